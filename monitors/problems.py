"""``source_problem`` changes: one per episode of failure, with recovery noted on the source."""

from __future__ import annotations

import datetime as dt

from civicradar.models.store import ChangeDraft
from civicradar.models.tables import CrawlRun, Source


def source_problem_change(source: Source, run: CrawlRun, now: dt.datetime) -> ChangeDraft | None:
    """Open or close a problem episode for this run; a draft only when an episode starts."""
    if run.status == "ok":
        if source.problem_status is not None:
            source.problem_status = None
            source.problem_since = None
            source.recovered_at = now
        return None
    if source.problem_status is not None:
        if source.problem_status != run.status and run.status == "failed":
            source.problem_status = "failed"
        return None
    source.problem_status = run.status
    source.problem_since = now
    what = "is failing" if run.status == "failed" else "looks wrong"
    return ChangeDraft(
        kind="source_problem",
        jurisdiction_id=source.jurisdiction_id,
        source_key=source.key,
        dedupe_key=f"source_problem:{source.id}:{run.id}",
        summary=f"Source {source.jurisdiction_id}/{source.key} {what}: {run.error or run.status}",
        url=source.url,
        data={"status": run.status, "detail": run.error or "", "run_id": run.id},
        importance=20,
    )
