"""A candidacy as ingest reads and writes it, and as the candidate detector sees it.

:class:`StoredCandidacy` is the row's values in plain form; :class:`CandidacySnapshot`
what a change may report (never the address); :class:`CandidateDiff` what one run of a
candidate list changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from civicradar.models.ingest.run import ElectionRef

Campaigns = Mapping[tuple[str, str], tuple[dt.date | None, ...]]


@dataclass(slots=True, eq=False)
class StoredCandidacy:
    """A candidacy row as ingest reads and writes it (``last_seen`` and the absence count
    are written set-based, the rest only when a value changed)."""

    id: int
    election_id: int
    candidate_key: str
    name: str
    name_key: str
    office: str
    office_key: str
    district: str | None
    party: str | None
    status: str | None
    status_kind: str
    filed_on: dt.date | None
    email: str | None
    phone: str | None
    website: str | None
    committee: str | None
    address: str | None
    extra: dict[str, Any]
    last_seen: dt.datetime
    external_id: str | None = None
    insider: str | None = None
    insider_title: str | None = None
    incumbent: bool = False
    missing_runs: int = 0
    missing_since: dt.date | None = None


STORED = tuple(f.name for f in fields(StoredCandidacy))
WRITTEN = tuple(
    name
    for name in STORED
    if name not in ("id", "election_id", "last_seen", "missing_runs", "missing_since")
)
"""What a run may change on a stored candidacy, written only when a value changed."""


@dataclass(frozen=True)
class CandidacySnapshot:
    """A candidacy as changes report it (no address: never reported)."""

    id: int
    name: str
    name_key: str
    office: str
    office_key: str
    district: str | None
    party: str | None
    status: str | None
    status_kind: str
    filed_on: dt.date | None
    email: str | None
    phone: str | None
    website: str | None
    committee: str | None
    incumbent: bool
    insider: str | None
    insider_title: str | None
    election: ElectionRef
    last_seen: dt.datetime
    missing_runs: int = 0
    missing_since: dt.date | None = None


SNAPSHOT_FIELDS = tuple(f.name for f in fields(CandidacySnapshot))[:-4]


@dataclass(frozen=True)
class CandidacyUpdate:
    """A listed candidacy whose stored values changed (status, office, contact, flags)."""

    before: CandidacySnapshot
    after: CandidacySnapshot


@dataclass(frozen=True)
class CandidateDiff:
    """What a run changed, and for new candidacies the election dates of the earlier
    candidacies of the same (person, office) in the jurisdiction (``earlier``)."""

    inserted: tuple[CandidacySnapshot, ...] = ()
    updated: tuple[CandidacyUpdate, ...] = ()
    unchanged: int = 0
    missing: tuple[CandidacySnapshot, ...] = ()
    earlier: Campaigns = field(default_factory=dict)


def snapshot(candidacy: StoredCandidacy, election: ElectionRef) -> CandidacySnapshot:
    return CandidacySnapshot(
        **{name: getattr(candidacy, name) for name in SNAPSHOT_FIELDS},
        election=election,
        last_seen=candidacy.last_seen,
        missing_runs=candidacy.missing_runs or 0,
        missing_since=candidacy.missing_since,
    )
