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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civicradar.models.ingest.bulk import id_in, insert_rows, update_rows
from civicradar.models.ingest.candidacies import (
    STORED,
    WRITTEN,
    Campaigns,
    CandidacySnapshot,
    CandidacyUpdate,
    CandidateDiff,
    StoredCandidacy,
    snapshot,
)
from civicradar.models.ingest.filings import Filing, merge_filings, status_kind
from civicradar.models.ingest.insiders import Insiders, flag_insider, load_insiders
from civicradar.models.ingest.run import ElectionRef, RunFacts
from civicradar.models.names import fuzzy_same, parse_name
from civicradar.models.records import CandidateRecord, Record
from civicradar.models.tables import Candidacy, Election

CONTACT = ("email", "phone", "website", "committee", "address", "party", "filed_on")


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
            then = snapshot(candidacy, elections.refs[candidacy.election_id])
            before[candidacy.id] = (then, _written(candidacy))

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
    created: list[StoredCandidacy] = []
    if trusted:
        needed = {f.election for f in fresh} | ({run.election} if run.election else set())
        _add_elections(session, run.jurisdiction_id, needed, elections)
        leftovers = [c for c in mine if c.id not in seen]
        for filing in fresh:
            election_id = elections.ids[filing.election]
            moved = _moved(filing, election_id, leftovers)
            if moved is None:
                created.append(_new_candidacy(run, filing, election_id, insiders))
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
            CandidacyUpdate(before[c.id][0], snapshot(c, elections.refs[c.election_id]))
            for c in changed
        ),
        unchanged=len(seen) - len(changed),
        missing=tuple(snapshot(c, elections.refs[c.election_id]) for c in mine if c.id not in seen),
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


def _contact(candidacy: StoredCandidacy, record: CandidateRecord) -> None:
    """Contact details and filing facts from the latest trusted list (blank keeps old)."""
    for name in CONTACT:
        value = getattr(record, name)
        if value:
            setattr(candidacy, name, value)
    if record.external_id:
        candidacy.external_id = record.external_id
    if record.extra:
        candidacy.extra = dict(record.extra)


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


def _new_candidacy(
    run: RunFacts, filing: Filing, election_id: int, insiders: Insiders
) -> StoredCandidacy:
    """A candidacy to insert (its id is read back after the insert)."""
    record = filing.record
    candidacy = StoredCandidacy(
        id=0,
        election_id=election_id,
        candidate_key=filing.key,
        name=filing.name.display,
        name_key=filing.name.key,
        office=record.office,
        office_key=filing.office_key,
        district=record.district,
        status=record.status,
        status_kind=status_kind(record.status),
        extra={},
        last_seen=run.now,
        **dict.fromkeys(CONTACT),
    )
    _contact(candidacy, record)
    flag_insider(candidacy, record, filing.name.key, insiders)
    return candidacy


def _insert(
    session: Session, run: RunFacts, created: list[StoredCandidacy], elections: Elections
) -> tuple[CandidacySnapshot, ...]:
    """New candidacies in one executemany, read back by their unique (election, key)."""
    if not created:
        return ()
    rows = [
        {
            **{name: getattr(c, name) for name in STORED if name != "id"},
            "source_id": run.source_id,
            "jurisdiction_id": run.jurisdiction_id,
            "person_id": None,
            "baseline": run.baseline,
            "first_seen": run.now,
            "last_run_id": run.run_id,
        }
        for c in created
    ]
    insert_rows(session, Candidacy, rows)
    ids = {
        (election_id, key): candidacy_id
        for candidacy_id, election_id, key in session.execute(
            select(Candidacy.id, Candidacy.election_id, Candidacy.candidate_key).where(
                Candidacy.source_id == run.source_id, Candidacy.first_seen == run.now
            )
        )
    }
    for candidacy in created:
        candidacy.id = ids[(candidacy.election_id, candidacy.candidate_key)]
    return tuple(snapshot(c, elections.refs[c.election_id]) for c in created)


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
        snapshot(StoredCandidacy(*row[: len(STORED)]), ElectionRef(*row[len(STORED) :]))
        for row in rows
    )
    return CandidateDiff(unchanged=getattr(result, "rowcount", 0) or 0, missing=missing)
