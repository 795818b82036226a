"""Store effects a detector asks for, applied here in batches (a detector never writes).

A detector judges a run's diff and returns, besides change drafts, what its judgement
means for stored rows: one more absence counted, a tenure ended as departed, a
candidacy marked withdrawn, a source's problem episode opened or closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from civicradar.models.ingest.bulk import update_rows
from civicradar.models.tables import Base, Candidacy, Source, Tenure


@dataclass(frozen=True)
class TenureAbsent:
    """A healthy run did not list this open tenure: its absence count so far."""

    tenure_id: int
    missing_runs: int
    missing_since: dt.date


@dataclass(frozen=True)
class TenureEnded:
    """The tenure ended on ``ended_on`` (the last local day it was seen) for ``reason``."""

    tenure_id: int
    ended_on: dt.date
    reason: str = "departed"


@dataclass(frozen=True)
class CandidacyAbsent:
    candidacy_id: int
    missing_runs: int
    missing_since: dt.date


@dataclass(frozen=True)
class CandidacyWithdrawn:
    """Gone from the list long enough to count as withdrawn."""

    candidacy_id: int
    status: str = "no longer listed"
    status_kind: str = "withdrawn"


@dataclass(frozen=True)
class ProblemEpisode:
    """The source's problem state after this run (all None: no problem now)."""

    source_id: int
    problem_status: str | None
    problem_since: dt.datetime | None
    recovered_at: dt.datetime | None


Effect = TenureAbsent | TenureEnded | CandidacyAbsent | CandidacyWithdrawn | ProblemEpisode


def apply_effects(session: Session, effects: Sequence[Effect]) -> None:
    """Write the effects, one executemany per kind of effect."""
    batches: dict[type[Base], dict[str, list[dict[str, Any]]]] = {}

    def add(model: type[Base], kind: str, row: dict[str, Any]) -> None:
        batches.setdefault(model, {}).setdefault(kind, []).append(row)

    for effect in effects:
        match effect:
            case TenureAbsent(tenure_id, runs, since):
                add(
                    Tenure,
                    "absent",
                    {"id": tenure_id, "missing_runs": runs, "missing_since": since},
                )
            case TenureEnded(tenure_id, ended_on, reason):
                add(Tenure, "ended", {"id": tenure_id, "ended_on": ended_on, "end_reason": reason})
            case CandidacyAbsent(candidacy_id, runs, since):
                row = {"id": candidacy_id, "missing_runs": runs, "missing_since": since}
                add(Candidacy, "absent", row)
            case CandidacyWithdrawn(candidacy_id, status, status_kind):
                row = {"id": candidacy_id, "status": status, "status_kind": status_kind}
                add(Candidacy, "withdrawn", row)
            case ProblemEpisode(source_id, status, since, recovered):
                row = {"id": source_id, "problem_status": status, "problem_since": since}
                add(Source, "problem", {**row, "recovered_at": recovered})
    for model, kinds in batches.items():
        for rows in kinds.values():
            update_rows(session, model, rows)
