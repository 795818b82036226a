"""The detect step: look at every crawl run not yet examined and log what changed.

Each run is examined in its own transaction that also marks it detected, so a crash
loses nothing and repeating the step finds nothing new. Per run: the source's problem
episode (``problems.py``); then, for a run that is ok or suspicious, ingest writes its
records and returns a diff (``models/ingest``), the source type's detector judges it
(a pure function), and its effects and change drafts are written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civicradar.config.platforms import SourceType
from civicradar.config.schema import Config
from civicradar.models.ingest.agendas import ingest_agendas
from civicradar.models.ingest.candidates import ingest_candidates
from civicradar.models.ingest.effects import apply_effects
from civicradar.models.ingest.run import ElectionRef, RunFacts, run_facts
from civicradar.models.ingest.staff import ingest_staff
from civicradar.models.records import AnyRecord, Record
from civicradar.models.store import Store, record_changes, undetected_runs
from civicradar.models.tables import Change, CrawlRun, Source
from civicradar.monitors.agendas import detect_agendas
from civicradar.monitors.candidates import detect_candidates
from civicradar.monitors.findings import Findings, Settings
from civicradar.monitors.problems import ProblemState, source_problem
from civicradar.monitors.staff import detect_staff

log = logging.getLogger(__name__)
RECORDS = TypeAdapter(list[AnyRecord])

Detector = Callable[[Session, RunFacts, Sequence[Record], Settings], Findings]


def _agendas(
    session: Session, run: RunFacts, records: Sequence[Record], settings: Settings
) -> Findings:
    return detect_agendas(run, ingest_agendas(session, run, records), settings)


def _staff(
    session: Session, run: RunFacts, records: Sequence[Record], settings: Settings
) -> Findings:
    return detect_staff(run, ingest_staff(session, run, records), settings)


def _candidates(
    session: Session, run: RunFacts, records: Sequence[Record], settings: Settings
) -> Findings:
    return detect_candidates(run, ingest_candidates(session, run, records), settings)


DETECTORS: dict[SourceType, Detector] = {
    "agendas": _agendas,
    "staff_directory": _staff,
    "candidate_list": _candidates,
}
"""Per source type: ingest the run's records (models), then judge the diff (monitors)."""


@dataclass
class DetectSummary:
    runs: int = 0
    changes: list[int] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)


def detect(store: Store, config: Config, now: dt.datetime) -> DetectSummary:
    summary = DetectSummary()
    with store.session() as session:
        pending = [run.id for run in undetected_runs(session)]
    for run_id in pending:
        with store.session() as session:
            run = session.get(CrawlRun, run_id)
            if run is None or run.detected_at is not None:
                continue
            summary.changes.extend(_detect_run(session, config, run, now))
            run.detected_at = now
            summary.runs += 1
            _prune_payloads(session, run)
    with store.session() as session:
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
    election = source_config.election
    facts = run_facts(
        session,
        run,
        source,
        timezone=jurisdiction.timezone,
        now=now,
        election=ElectionRef(election.name, election.date) if election else None,
    )
    state = ProblemState(source.problem_status, source.problem_since, source.recovered_at)
    findings = source_problem(state, facts)
    if run.status in ("ok", "suspicious"):
        settings = Settings(source_config.detection(config.detection), config.initiative)
        records = RECORDS.validate_python(run.payload or [])
        findings.extend(DETECTORS[source.type](session, facts, records, settings))
    apply_effects(session, findings.effects)
    return record_changes(session, findings.changes, detected_at=now, run_id=run.id)


def _prune_payloads(session: Session, run: CrawlRun) -> None:
    """Drop the saved records of examined runs; the store holds what they said."""
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.source_id == run.source_id, CrawlRun.detected_at.is_not(None))
        .values(payload=None)
    )


def records_payload(records: Sequence[Record]) -> list[dict[str, Any]]:
    return [record.model_dump(mode="json", exclude_defaults=False) for record in records]
