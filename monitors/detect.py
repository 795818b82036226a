"""The detect step: look at every crawl run not yet examined and log what changed.

Each run is examined in its own transaction that also marks it detected, so a crash
loses nothing and repeating the step finds nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civicradar.config.schema import Config, Detection, Initiative
from civicradar.config.schema import Jurisdiction as JurisdictionConfig
from civicradar.config.schema import Source as SourceConfig
from civicradar.models.records import AnyRecord, Record
from civicradar.models.store import ChangeDraft, Store, record_change, undetected_runs
from civicradar.models.tables import CrawlRun, Source
from civicradar.monitors.problems import source_problem_change

log = logging.getLogger(__name__)
RECORDS = TypeAdapter(list[AnyRecord])

DETECTORS: dict[str, str] = {
    "agendas": "civicradar.monitors.agendas:detect_agendas",
    "staff_directory": "civicradar.monitors.staff:detect_staff",
    "candidate_list": "civicradar.monitors.candidates:detect_candidates",
}


@dataclass
class RunContext:
    """What a detector needs to compare one run with the stored state of its source."""

    session: Session
    run: CrawlRun
    source: Source
    source_config: SourceConfig
    jurisdiction: JurisdictionConfig
    initiative: Initiative
    detection: Detection
    records: list[Record]
    baseline: bool
    now: dt.datetime

    @property
    def healthy(self) -> bool:
        return self.run.status == "ok"

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The date of ``moment`` in the jurisdiction's time zone (the day people live in)."""
        return moment.astimezone(ZoneInfo(self.jurisdiction.timezone)).date()

    @property
    def today(self) -> dt.date:
        return self.local_date(self.now)


@dataclass
class DetectSummary:
    runs: int = 0
    changes: list[int] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)


def detector_for(source_type: str) -> Callable[[RunContext], list[ChangeDraft]]:
    module, _, name = DETECTORS[source_type].partition(":")
    return getattr(import_module(module), name)


def detect(store: Store, config: Config, now: dt.datetime) -> DetectSummary:
    summary = DetectSummary()
    with store.session() as session:
        pending = [run.id for run in undetected_runs(session)]
    for run_id in pending:
        with store.session() as session:
            run = session.get(CrawlRun, run_id)
            if run is None or run.detected_at is not None:
                continue
            for change in _detect_run(session, config, run, now):
                summary.changes.append(change)
            run.detected_at = now
            summary.runs += 1
            _prune_payloads(session, run)
    with store.session() as session:
        from civicradar.models.tables import Change

        for change in session.scalars(select(Change).where(Change.id.in_(summary.changes))):
            summary.by_kind[change.kind] = summary.by_kind.get(change.kind, 0) + 1
    return summary


def _detect_run(session: Session, config: Config, run: CrawlRun, now: dt.datetime) -> list[int]:
    source = session.get(Source, run.source_id)
    assert source is not None
    try:
        jurisdiction = config.jurisdiction(source.jurisdiction_id)
        source_config = next(s for s in jurisdiction.sources if s.id == source.key)
    except (KeyError, StopIteration):
        log.info("run %s belongs to a source no longer configured; skipped", run.id)
        return []
    drafts: list[ChangeDraft] = []
    problem = source_problem_change(source, run, now)
    if problem is not None:
        drafts.append(problem)
    if run.status in ("ok", "suspicious"):
        context = RunContext(
            session=session,
            run=run,
            source=source,
            source_config=source_config,
            jurisdiction=jurisdiction,
            initiative=config.initiative,
            detection=source_config.detection(config.detection),
            records=RECORDS.validate_python(run.payload or []),
            baseline=not _has_earlier_healthy_run(session, run),
            now=now,
        )
        drafts.extend(detector_for(source.type)(context))
    added = []
    for draft in drafts:
        change = record_change(session, draft, detected_at=now, run_id=run.id)
        if change is not None:
            added.append(change.id)
    return added


def _has_earlier_healthy_run(session: Session, run: CrawlRun) -> bool:
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


def _prune_payloads(session: Session, run: CrawlRun) -> None:
    """Drop the saved records of examined runs; the store holds what they said."""
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.source_id == run.source_id, CrawlRun.detected_at.is_not(None))
        .values(payload=None)
    )


def records_payload(records: list[Record]) -> list[dict[str, Any]]:
    return [record.model_dump(mode="json", exclude_defaults=False) for record in records]
