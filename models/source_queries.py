"""Read-only query behind ``sources`` and ``/api/sources``: each source's last crawl and
any open problem."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.tables import CrawlRun, Source


def sources_status(session: Session, *, jurisdiction: str | None = None) -> list[dict[str, Any]]:
    """One flat row per stored source, by jurisdiction and source id."""
    query = select(Source).order_by(Source.jurisdiction_id, Source.key)
    if jurisdiction:
        query = query.where(Source.jurisdiction_id == jurisdiction)
    rows = []
    for source in session.scalars(query):
        last = session.scalar(
            select(CrawlRun)
            .where(CrawlRun.source_id == source.id)
            .order_by(CrawlRun.id.desc())
            .limit(1)
        )
        rows.append(
            {
                "jurisdiction": source.jurisdiction_id,
                "source": source.key,
                "type": source.type,
                "platform": source.platform,
                "last_run": last.started_at if last else None,
                "last_status": last.status if last else None,
                "records": last.records if last else None,
                "problem": source.problem_status,
                "problem_since": source.problem_since,
                "recovered_at": source.recovered_at,
                "error": last.error if last else None,
                "reading": last.reading if last else None,
            }
        )
    return rows
