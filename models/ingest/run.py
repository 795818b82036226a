"""What ingest and the detectors know about one crawl run: its source, its health, its day.

A :class:`RunFacts` is plain data built once per run from the ``crawl_runs`` and
``sources`` rows, so detectors can be called with one made by hand in a test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.tables import CrawlRun, Source


@dataclass(frozen=True)
class ElectionRef:
    """An election as a list or the config names it: (name, date) is its identity."""

    name: str
    date: dt.date | None

    @property
    def key(self) -> tuple[str, dt.date | None]:
        return (self.name, self.date)


@dataclass(frozen=True)
class RunFacts:
    """One run of one source: who, when, and whether its records can be trusted.

    ``status`` is ok (healthy), suspicious or failed; ``unchanged`` marks a run answered
    304 (the last healthy list served again); ``baseline`` the first healthy run of its
    source. ``election`` is the one the source's config names, for lists that do not.
    """

    run_id: int
    source_id: int
    source_key: str
    source_type: str
    jurisdiction_id: str
    timezone: str
    status: str
    now: dt.datetime
    source_url: str | None = None
    unchanged: bool = False
    baseline: bool = False
    error: str | None = None
    election: ElectionRef | None = None

    @property
    def healthy(self) -> bool:
        return self.status == "ok"

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The date of ``moment`` in the jurisdiction's time zone (the day people live in)."""
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    @cached_property
    def today(self) -> dt.date:
        return self.local_date(self.now)


def run_facts(
    session: Session,
    run: CrawlRun,
    source: Source,
    *,
    timezone: str,
    now: dt.datetime,
    election: ElectionRef | None = None,
) -> RunFacts:
    """The facts of ``run``; it is a baseline unless an earlier healthy run was examined."""
    return RunFacts(
        run_id=run.id,
        source_id=source.id,
        source_key=source.key,
        source_type=source.type,
        jurisdiction_id=source.jurisdiction_id,
        timezone=timezone,
        status=run.status,
        now=now,
        source_url=source.url,
        unchanged=bool(run.unchanged),
        baseline=not _earlier_healthy_run(session, run),
        error=run.error,
        election=election,
    )


def _earlier_healthy_run(session: Session, run: CrawlRun) -> bool:
    earlier = session.scalar(
        select(CrawlRun.id)
        .where(
            CrawlRun.source_id == run.source_id,
            CrawlRun.id < run.id,
            CrawlRun.status == "ok",
            CrawlRun.detected_at.is_not(None),
        )
        .limit(1)
    )
    return earlier is not None
