"""Wiring the steps together: crawl (fetch and record), detect, and the daily run."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.config.schema import Config
from civicradar.crawlers import engine
from civicradar.crawlers.base import CrawlJob, CrawlOutcome
from civicradar.models.crawl_state import crawl_state
from civicradar.models.store import Store, last_healthy_run, sync_sources
from civicradar.models.tables import CrawlRun, Source
from civicradar.monitors.detect import records_payload
from civicradar.monitors.health import SIZE_DROP, DropStreak, assess_run

log = logging.getLogger(__name__)


@dataclass
class CrawlReport:
    """One line per source: what the crawl cost and whether it can be trusted."""

    label: str
    status: str
    records: int
    requests: int
    bytes: int
    not_modified: int = 0
    error: str | None = None


@dataclass
class CrawlSummary:
    reports: list[CrawlReport] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.reports)

    @property
    def bytes(self) -> int:
        return sum(r.bytes for r in self.reports)


def select_sources(config: Config, jurisdiction: str | None, source: str | None) -> list[tuple]:
    chosen = []
    for j in config.jurisdictions:
        if jurisdiction and j.id != jurisdiction:
            continue
        for s in j.sources:
            if source and s.id != source:
                continue
            chosen.append((j, s))
    return chosen


def crawl_step(
    store: Store,
    config: Config,
    now: dt.datetime,
    *,
    jurisdiction: str | None = None,
    source: str | None = None,
    on_done: Callable[[CrawlOutcome], None] | None = None,
) -> CrawlSummary:
    """Crawl the chosen sources and record one run per source with its verdict and records."""
    chosen = select_sources(config, jurisdiction, source)
    jobs: list[CrawlJob] = []
    with store.session() as session:
        rows = sync_sources(session, config)
        for j, s in chosen:
            row = rows[(j.id, s.id)]
            healthy = last_healthy_run(session, row.id)
            jobs.append(
                CrawlJob(
                    jurisdiction=j,
                    source=s,
                    detection=s.detection(config.detection),
                    now=now,
                    source_row_id=row.id,
                    cursor=dict(row.cursor or {}),
                    last_healthy_at=healthy.started_at if healthy else None,
                    baseline=healthy is None,
                    state=crawl_state(session, row),
                )
            )
    outcomes = engine.crawl(jobs, config.crawling, on_done=on_done)
    summary = CrawlSummary()
    for outcome in outcomes:
        summary.reports.append(_record_run(store, outcome, now))
    return summary


def _record_run(store: Store, outcome: CrawlOutcome, now: dt.datetime) -> CrawlReport:
    job = outcome.job
    with store.session() as session:
        source = session.get(Source, job.source_row_id)
        assert source is not None
        healthy = last_healthy_run(session, source.id)
        verdict = assess_run(
            job.source.type,
            records=_countable(outcome),
            failures=outcome.failures,
            suspicions=outcome.suspicions,
            unchanged=outcome.unchanged,
            previous_healthy_records=healthy.records if healthy else None,
            detection=job.detection,
            day=job.today,
            streak=_drop_streak(session, source.id, healthy, job),
        )
        run = CrawlRun(
            source_id=source.id,
            started_at=now,
            finished_at=now,
            status=verdict.status,
            requests=outcome.requests,
            bytes=outcome.bytes,
            not_modified=outcome.not_modified,
            records=_countable(outcome)
            if not outcome.unchanged or not healthy
            else healthy.records,
            error=verdict.detail,
            payload=records_payload(outcome.records),
            unchanged=outcome.unchanged,
            reading=outcome.reading,
        )
        session.add(run)
        if verdict.status == "ok" and outcome.cursor:
            source.cursor = {**(source.cursor or {}), **outcome.cursor}
        elif _more_pages(source.cursor, outcome.cursor):
            source.cursor = {**(source.cursor or {}), "pages": outcome.cursor["pages"]}
    if verdict.status != "ok":
        log.warning("%s: %s (%s)", job.label, verdict.status, verdict.detail)
    return CrawlReport(
        label=job.label,
        status=verdict.status,
        records=run.records,
        requests=outcome.requests,
        bytes=outcome.bytes,
        not_modified=outcome.not_modified,
        error=verdict.detail,
    )


def _more_pages(kept: dict | None, seen: dict) -> bool:
    """Whether an untrusted run saw more pages than the cursor says: keeping that (and only
    that) can only make the next crawl fetch in full, never trust a 304 it should not."""
    return int(seen.get("pages") or 0) > int((kept or {}).get("pages") or 0)


def _drop_streak(
    session: Session, source_id: int, healthy: CrawlRun | None, job: CrawlJob
) -> DropStreak | None:
    """The runs since the last healthy one, newest first, while they were suspicious only
    for their size (a failed run or another suspicion ends the streak)."""
    if healthy is None:
        return None
    runs = session.scalars(
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id, CrawlRun.id > healthy.id)
        .order_by(CrawlRun.id.desc())
        .limit(200)
    )
    streak = []
    for run in runs:
        if run.status != "suspicious" or not (run.error or "").startswith(SIZE_DROP):
            break
        streak.append((run.started_at.astimezone(job.zone).date(), run.records))
    return DropStreak(streak)


def _countable(outcome: CrawlOutcome) -> int:
    """The records that measure a source's size (people, candidates, meetings), not bodies."""
    return sum(1 for r in outcome.records if r.record_type in ("person", "candidate", "meeting"))
