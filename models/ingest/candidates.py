"""Ingest a candidate list run: elections and candidacies, and their diff.

Set-based: the jurisdiction's elections, the source's candidacies and (on a healthy run)
the jurisdiction's current officials and staff are read in one query each; new rows go
out in one executemany per table, changed rows in one, and the rows the run listed are
refreshed by one UPDATE. Rules of identity (``filings.py``):

- a listed filing with a stored (election, person|office) is that candidacy: seen again;
  on a healthy run its contact details, insider flags and status are the list's now;
- on a healthy run, a new filing continues a candidacy of the same election the run left
  out when it is the same person (another office) or a near-identical name in the same
  race (a correction); otherwise it is a new candidacy;
- an ``unchanged`` run (a 304) refreshes the candidacies the last healthy list showed
  (``missing_runs == 0``) and reports the rest as still missing;
- a suspicious run only refreshes what it saw.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civicradar.models.ingest.bulk import id_in, insert_rows, update_rows
from civicradar.models.ingest.filings import Filing, merge_filings, status_kind
from civicradar.models.ingest.insiders import Insiders, flag_insider, load_insiders
from civicradar.models.ingest.run import ElectionRef, RunFacts
from civicradar.models.names import fuzzy_same, parse_name
from civicradar.models.records import CandidateRecord, Record
from civicradar.models.tables import Candidacy, Election

CONTACT = ("email", "phone", "website", "committee", "address", "party", "filed_on")
Campaigns = Mapping[tuple[str, str], tuple[dt.date | None, ...]]


@dataclass(slots=True)
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
    external_id: str | None
    extra: dict[str, Any]
    insider: str | None
    insider_title: str | None
    incumbent: bool
    missing_runs: int
    missing_since: dt.date | None
    last_seen: dt.datetime


STORED = tuple(f.name for f in fields(StoredCandidacy))
WRITTEN = STORED[2:-3]  # what a run may change on a stored candidacy (not id, election, counts)


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


def ingest_candidates(session: Session, run: RunFacts, records: Sequence[Record]) -> CandidateDiff:
    if run.unchanged:
        return _listed_again(session, run) if run.healthy else CandidateDiff()
    filings = merge_filings([r for r in records if isinstance(r, CandidateRecord)], run.election)
    elections = _elections(session, run.jurisdiction_id)
    mine = _candidacies(session, run.source_id)
    by_key = {(c.election_id, c.candidate_key): c for c in mine}
    trusted = run.healthy
    insiders = load_insiders(session, run.jurisdiction_id) if trusted else Insiders()
    seen: dict[int, StoredCandidacy] = {}
    before: dict[int, tuple[CandidacySnapshot, tuple[Any, ...]]] = {}

    def keep_before(candidacy: StoredCandidacy) -> None:
        if candidacy.id not in before:
            snapshot = _snapshot(candidacy, elections.refs[candidacy.election_id])
            before[candidacy.id] = (snapshot, _written(candidacy))

    fresh: list[Filing] = []
    for filing in filings:
        election_id = elections.ids.get(filing.election)
        candidacy = by_key.get((election_id, filing.key)) if election_id else None
        if candidacy is None:
            if trusted:
                fresh.append(filing)
            continue
        seen[candidacy.id] = candidacy
        if trusted:
            keep_before(candidacy)
            _refresh(candidacy, filing, insiders)
    created: list[tuple[Filing, dict[str, Any]]] = []
    if trusted:
        needed = {f.election for f in fresh} | ({run.election} if run.election else set())
        _add_elections(session, run.jurisdiction_id, needed, elections)
        leftovers = [c for c in mine if c.id not in seen]
        for filing in fresh:
            election_id = elections.ids[filing.election]
            moved = _moved(filing, election_id, leftovers)
            if moved is None:
                created.append((filing, _new_row(run, filing, election_id, insiders)))
                continue
            leftovers.remove(moved)
            seen[moved.id] = moved
            keep_before(moved)
            _move(moved, filing)
            _refresh(moved, filing, insiders)
    changed = [seen[i] for i, (_, values) in before.items() if _written(seen[i]) != values]
    update_rows(session, Candidacy, [_written_row(c) for c in changed])
    _refresh_seen(session, run, set(seen), {c.id for c in mine})
    inserted = _insert(session, run, created, elections)
    return CandidateDiff(
        inserted=inserted,
        updated=tuple(
            CandidacyUpdate(before[c.id][0], _snapshot(c, elections.refs[c.election_id]))
            for c in changed
        ),
        unchanged=len(seen) - len(changed),
        missing=tuple(
            _snapshot(c, elections.refs[c.election_id]) for c in mine if c.id not in seen
        ),
        earlier=_earlier(session, run.jurisdiction_id, inserted) if inserted else {},
    )


# --- reading --------------------------------------------------------------------------


@dataclass
class Elections:
    """The jurisdiction's elections both ways: id by (name, date) and (name, date) by id."""

    ids: dict[ElectionRef, int] = field(default_factory=dict)
    refs: dict[int, ElectionRef] = field(default_factory=dict)


def _elections(session: Session, jurisdiction_id: str) -> Elections:
    elections = Elections()
    rows = session.execute(
        select(Election.id, Election.name, Election.date).where(
            Election.jurisdiction_id == jurisdiction_id
        )
    )
    for election_id, name, date in rows:
        ref = ElectionRef(name, date)
        elections.ids[ref] = election_id
        elections.refs[election_id] = ref
    return elections


def _add_elections(
    session: Session, jurisdiction_id: str, needed: set[ElectionRef], elections: Elections
) -> None:
    """Elections the run names that are not stored yet (the configured one included, so
    it is on the calendar before anybody files), inserted and read back."""
    new = [ref for ref in needed if ref not in elections.ids]
    if not new:
        return
    rows = [{"jurisdiction_id": jurisdiction_id, "name": r.name, "date": r.date} for r in new]
    insert_rows(session, Election, rows)
    found = _elections(session, jurisdiction_id)
    elections.ids, elections.refs = found.ids, found.refs


def _candidacies(session: Session, source_id: int) -> list[StoredCandidacy]:
    columns = [getattr(Candidacy, name) for name in STORED]
    rows = session.execute(
        select(*columns).where(Candidacy.source_id == source_id).order_by(Candidacy.id)
    )
    return [StoredCandidacy(*row) for row in rows]


def _snapshot(candidacy: StoredCandidacy, election: ElectionRef) -> CandidacySnapshot:
    return CandidacySnapshot(
        **{name: getattr(candidacy, name) for name in SNAPSHOT_FIELDS},
        election=election,
        last_seen=candidacy.last_seen,
        missing_runs=candidacy.missing_runs or 0,
        missing_since=candidacy.missing_since,
    )


def _earlier(
    session: Session, jurisdiction_id: str, inserted: tuple[CandidacySnapshot, ...]
) -> Campaigns:
    """Election dates of the jurisdiction's other candidacies, for the (person, office)
    pairs of the new ones: one query."""
    pairs = {(c.name_key, c.office_key) for c in inserted}
    new_ids = {c.id for c in inserted}
    rows = session.execute(
        select(Candidacy.id, Candidacy.name_key, Candidacy.office_key, Election.date)
        .join(Election, Election.id == Candidacy.election_id)
        .where(Candidacy.jurisdiction_id == jurisdiction_id)
    )
    known: dict[tuple[str, str], list[dt.date | None]] = defaultdict(list)
    for candidacy_id, name_key, office_key, date in rows:
        if candidacy_id not in new_ids and (name_key, office_key) in pairs:
            known[(name_key, office_key)].append(date)
    return {pair: tuple(dates) for pair, dates in known.items()}


# --- applying what was seen -----------------------------------------------------------


def _written(candidacy: StoredCandidacy) -> tuple[Any, ...]:
    return tuple(getattr(candidacy, name) for name in WRITTEN)


def _written_row(candidacy: StoredCandidacy) -> dict[str, Any]:
    return {"id": candidacy.id, **{name: getattr(candidacy, name) for name in WRITTEN}}


def _contact(candidacy: StoredCandidacy | dict[str, Any], record: CandidateRecord) -> None:
    """Contact details and filing facts from the latest trusted list (blank keeps old)."""
    values = {name: getattr(record, name) for name in CONTACT if getattr(record, name)}
    if record.external_id:
        values["external_id"] = record.external_id
    if record.extra:
        values["extra"] = dict(record.extra)
    if isinstance(candidacy, dict):
        candidacy.update(values)
    else:
        for name, value in values.items():
            setattr(candidacy, name, value)


def _refresh(candidacy: StoredCandidacy, filing: Filing, insiders: Insiders) -> None:
    """A known candidacy on a trusted run: name, contact details, flags, and status."""
    candidacy.name = filing.name.display
    _contact(candidacy, filing.record)
    flag_insider(candidacy, filing.record, filing.name.key, insiders)
    candidacy.status = filing.record.status
    candidacy.status_kind = status_kind(filing.record.status)


def _moved(
    filing: Filing, election_id: int, leftovers: list[StoredCandidacy]
) -> StoredCandidacy | None:
    """A candidacy of this election not seen this run that ``filing`` continues: the same
    person under another office, or a near-identical name in the same race (a correction)."""
    same_election = [c for c in leftovers if c.election_id == election_id]
    for candidacy in same_election:
        if candidacy.name_key == filing.name.key:
            return candidacy
    for candidacy in same_election:
        if candidacy.office_key == filing.office_key and fuzzy_same(
            parse_name(candidacy.name), filing.name
        ):
            return candidacy
    return None


def _move(candidacy: StoredCandidacy, filing: Filing) -> None:
    candidacy.candidate_key = filing.key
    candidacy.name_key = filing.name.key
    candidacy.office = filing.record.office
    candidacy.office_key = filing.office_key
    candidacy.district = filing.record.district


def _new_row(run: RunFacts, filing: Filing, election_id: int, insiders: Insiders) -> dict[str, Any]:
    record = filing.record
    row: dict[str, Any] = {
        "source_id": run.source_id,
        "election_id": election_id,
        "jurisdiction_id": run.jurisdiction_id,
        "person_id": None,
        "candidate_key": filing.key,
        "external_id": None,
        "name": filing.name.display,
        "name_key": filing.name.key,
        "office": record.office,
        "office_key": filing.office_key,
        "district": record.district,
        **{name: None for name in CONTACT},
        "status": record.status,
        "status_kind": status_kind(record.status),
        "insider": None,
        "insider_title": None,
        "incumbent": False,
        "baseline": run.baseline,
        "extra": {},
        "missing_runs": 0,
        "missing_since": None,
        "first_seen": run.now,
        "last_seen": run.now,
        "last_run_id": run.run_id,
    }
    _contact(row, record)
    flags = _Flags()
    flag_insider(flags, record, filing.name.key, insiders)
    row.update(insider=flags.insider, insider_title=flags.insider_title, incumbent=flags.incumbent)
    return row


@dataclass
class _Flags:
    insider: str | None = None
    insider_title: str | None = None
    incumbent: bool = False


def _insert(
    session: Session,
    run: RunFacts,
    created: list[tuple[Filing, dict[str, Any]]],
    elections: Elections,
) -> tuple[CandidacySnapshot, ...]:
    """New candidacies in one executemany, read back by their unique (election, key)."""
    if not created:
        return ()
    insert_rows(session, Candidacy, [row for _, row in created])
    columns = [getattr(Candidacy, name) for name in STORED]
    rows = session.execute(
        select(*columns).where(
            Candidacy.source_id == run.source_id, Candidacy.first_seen == run.now
        )
    )
    stored = {(c.election_id, c.candidate_key): c for c in (StoredCandidacy(*r) for r in rows)}
    found = [stored[(row["election_id"], row["candidate_key"])] for _, row in created]
    return tuple(_snapshot(c, elections.refs[c.election_id]) for c in found)


def _refresh_seen(session: Session, run: RunFacts, seen: set[int], mine: set[int]) -> None:
    """Every candidacy the run listed was seen now: one UPDATE (on a healthy run the
    absence count starts over)."""
    if not seen:
        return
    values: dict[str, Any] = {"last_seen": run.now, "last_run_id": run.run_id}
    if run.healthy:
        values.update(missing_runs=0, missing_since=None)
    session.execute(
        update(Candidacy)
        .where(Candidacy.source_id == run.source_id, id_in(Candidacy.id, seen, mine))
        .values(values),
        execution_options={"synchronize_session": False},
    )


def _listed_again(session: Session, run: RunFacts) -> CandidateDiff:
    """A 304 day: the last healthy list again; ``missing_runs`` counts every healthy run a
    candidacy was left out of, so 0 means it was on that list: those are seen today, the
    others are missing one run longer."""
    mine = Candidacy.source_id == run.source_id
    result = session.execute(
        update(Candidacy)
        .where(mine, Candidacy.missing_runs == 0)
        .values(last_seen=run.now, last_run_id=run.run_id),
        execution_options={"synchronize_session": False},
    )
    columns = [getattr(Candidacy, name) for name in STORED]
    rows = session.execute(
        select(*columns, Election.name, Election.date)
        .join(Election, Election.id == Candidacy.election_id)
        .where(mine, Candidacy.missing_runs > 0)
        .order_by(Candidacy.id)
    )
    missing = tuple(
        _snapshot(StoredCandidacy(*row[: len(STORED)]), ElectionRef(*row[len(STORED) :]))
        for row in rows
    )
    return CandidateDiff(unchanged=getattr(result, "rowcount", 0) or 0, missing=missing)
