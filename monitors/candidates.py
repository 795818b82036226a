"""New candidates and changes to their filings (``candidate_list`` sources).

Identity: a candidacy is one person (name key from ``models/names.py``) running for one
office (office key from ``models/offices.py``) in one election; rows repeated per county
or per ballot style collapse into it. Rules:

- the first healthy run is the baseline: candidacies are stored quietly (``baseline``);
- a candidacy first seen on a later healthy run is a ``new_candidate``, unless the same
  person already runs for the same office in this jurisdiction within a year (a primary
  and its general, or the same race on another list): then it is stored quietly; several
  new rows of one person and office in one run make one change;
- a known person in the same election under a new office is an office change, and a
  near-identical name in the same race a correction (stored quietly), not a new candidate;
- a status that turns withdrawn, qualified or disqualified is a ``candidate_update``;
- a candidacy missing from ``departure_after_runs`` consecutive healthy runs while its
  election is still ahead is a withdrawal (``reason: no longer listed``); failed and
  suspicious runs (including a sudden drop in the list's size) never count as absences;
- an ``unchanged`` run (a 304: the same list as the last healthy run) is that list served
  again: candidacies it listed (``missing_runs == 0``) are seen today, the missing count
  one more absence;
- a candidate who is a current official or staff member of the jurisdiction (an open
  tenure in the staff store) is flagged: ``incumbent`` for officials, ``insider`` with
  their title for both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from civicradar.models.names import PersonName, fuzzy_same, parse_name
from civicradar.models.offices import normalize_office
from civicradar.models.records import CandidateRecord
from civicradar.models.store import ChangeDraft
from civicradar.models.tables import Candidacy, Election
from civicradar.monitors.absences import count_absence, seen_again
from civicradar.monitors.candidate_changes import (
    UPDATE_WORDS,
    candidate_update,
    new_candidate,
    status_kind,
)
from civicradar.monitors.detect import RunContext
from civicradar.monitors.insiders import Insiders, flag_insider, load_insiders

SAME_CAMPAIGN_DAYS = 365
UNDATED = "Election (date not listed)"


@dataclass
class Filing:
    """One candidacy as this run lists it: its rows merged, its keys computed."""

    record: CandidateRecord
    name: PersonName
    office_key: str
    election: tuple[str, dt.date | None]

    @property
    def key(self) -> str:
        return f"{self.name.key}|{self.office_key}"


def detect_candidates(context: RunContext) -> list[ChangeDraft]:
    if context.run.unchanged:
        return _same_list_again(context) if context.healthy else []
    session = context.session
    filings = _filings(context)
    elections = _elections(session, context)
    mine = list(session.scalars(select(Candidacy).where(Candidacy.source_id == context.source.id)))
    by_key = {(c.election_id, c.candidate_key): c for c in mine}
    trusted = context.healthy
    insiders = load_insiders(session, context.source.jurisdiction_id) if trusted else Insiders()
    drafts: list[ChangeDraft] = []
    touched: set[int] = set()
    fresh: list[Filing] = []
    for filing in filings:
        election = elections.get(filing.election)
        candidacy = by_key.get((election.id, filing.key)) if election else None
        if candidacy is None:
            if trusted:
                fresh.append(filing)
            continue
        touched.add(candidacy.id)
        candidacy.last_seen, candidacy.last_run_id = context.now, context.run.id
        if trusted:
            drafts.extend(_refresh(context, candidacy, filing, insiders))
    if not trusted:
        return drafts
    configured = context.source_config.election
    if configured and (configured.name, configured.date) not in elections:
        key = (configured.name, configured.date)
        elections[key] = _new_election(session, context, key)  # on the calendar before filings
    leftovers = [c for c in mine if c.id not in touched]
    created: list[tuple[Candidacy, Filing]] = []
    for filing in fresh:
        election = elections.get(filing.election) or _new_election(
            session, context, filing.election
        )
        elections[filing.election] = election
        moved = _moved(filing, election, leftovers)
        if moved is not None:
            drafts.extend(_move(context, moved, filing, insiders))
            touched.add(moved.id)
            continue
        candidacy = _create(context, filing, election, insiders)
        by_key[(election.id, filing.key)] = candidacy
        created.append((candidacy, filing))
    session.flush()
    if not context.baseline:
        drafts.extend(_announce(context, created))
    drafts.extend(_absences(context, [c for c in leftovers if c.id not in touched]))
    return drafts


def _same_list_again(context: RunContext) -> list[ChangeDraft]:
    """A 304 day: the last healthy list again; ``missing_runs`` counts every healthy run a
    candidacy was left out of (see :func:`_absences`), so 0 means it was on that list."""
    mine = Candidacy.source_id == context.source.id
    context.session.execute(
        update(Candidacy)
        .where(mine, Candidacy.missing_runs == 0)
        .values(last_seen=context.now, last_run_id=context.run.id),
        execution_options={"synchronize_session": False},
    )
    missing = context.session.scalars(
        select(Candidacy)
        .where(mine, Candidacy.missing_runs > 0)
        .options(selectinload(Candidacy.election))
    )
    return _absences(context, list(missing))


# --- reading the run ------------------------------------------------------------------


def _filings(context: RunContext) -> list[Filing]:
    """The run's candidate rows merged per (election, person, office); blanks filled from
    the repeated rows, the first row's values kept otherwise."""
    default = context.source_config.election
    merged: dict[tuple, Filing] = {}
    for record in context.records:
        if not isinstance(record, CandidateRecord):
            continue
        name = parse_name(record.name)
        if not name.key:
            continue
        office = normalize_office(record.office, record.district)
        date = record.election_date or (default.date if default else None)
        label = record.election_name or (default.name if default and date == default.date else None)
        election = (label or (f"{date.isoformat()} election" if date else UNDATED), date)
        filing = Filing(record=record, name=name, office_key=office.key, election=election)
        known = merged.get((election, filing.key))
        if known is None:
            merged[(election, filing.key)] = filing
        else:
            blanks = {
                k: v
                for k, v in record.model_dump().items()
                if v and not getattr(known.record, k) and k != "extra"
            }
            if blanks:
                known.record = known.record.model_copy(update=blanks)
    return list(merged.values())


def _elections(session: Session, context: RunContext) -> dict[tuple, Election]:
    rows = session.scalars(
        select(Election).where(Election.jurisdiction_id == context.source.jurisdiction_id)
    )
    return {(e.name, e.date): e for e in rows}


def _new_election(session: Session, context: RunContext, key: tuple) -> Election:
    name, date = key
    election = Election(jurisdiction_id=context.source.jurisdiction_id, name=name, date=date)
    session.add(election)
    session.flush()
    return election


# --- applying what was seen -----------------------------------------------------------


def _contact(candidacy: Candidacy, record: CandidateRecord) -> None:
    """Contact details and filing facts from the latest trusted list (blank keeps old)."""
    for name in ("email", "phone", "website", "committee", "address", "party", "filed_on"):
        value = getattr(record, name)
        if value:
            setattr(candidacy, name, value)
    if record.external_id:
        candidacy.external_id = record.external_id
    if record.extra:
        candidacy.extra = dict(record.extra)


def _create(
    context: RunContext, filing: Filing, election: Election, insiders: Insiders
) -> Candidacy:
    record = filing.record
    candidacy = Candidacy(
        source_id=context.source.id,
        election_id=election.id,
        jurisdiction_id=context.source.jurisdiction_id,
        candidate_key=filing.key,
        name=filing.name.display,
        name_key=filing.name.key,
        office=record.office,
        office_key=filing.office_key,
        district=record.district,
        status=record.status,
        status_kind=status_kind(record.status),
        baseline=context.baseline,
        incumbent=False,
        missing_runs=0,
        extra={},
        first_seen=context.now,
        last_seen=context.now,
        last_run_id=context.run.id,
    )
    candidacy.election = election
    _contact(candidacy, record)
    flag_insider(candidacy, filing.record, filing.name.key, insiders)
    context.session.add(candidacy)
    return candidacy


def _refresh(
    context: RunContext, candidacy: Candidacy, filing: Filing, insiders: Insiders
) -> list[ChangeDraft]:
    """A known candidacy on a trusted run: contact details, flags, and its status."""
    seen_again(candidacy)
    candidacy.name = filing.name.display
    _contact(candidacy, filing.record)
    flag_insider(candidacy, filing.record, filing.name.key, insiders)
    kind = status_kind(filing.record.status)
    absent_before = candidacy.status == "no longer listed"
    previous = candidacy.status_kind
    candidacy.status = filing.record.status
    if kind == previous and not absent_before:
        return []
    candidacy.status_kind = kind
    if kind == previous or (kind == "filed" and not absent_before):
        return []  # a status reworded, or cleared, is not news
    what = "listed again" if absent_before and kind == "filed" else UPDATE_WORDS[kind]
    return [_update(context, candidacy, what, previous_status=previous)]


def _moved(filing: Filing, election: Election, leftovers: list[Candidacy]) -> Candidacy | None:
    """A candidacy of this election not seen this run that ``filing`` continues: the same
    person under another office, or a near-identical name in the same race (a correction)."""
    same_election = [c for c in leftovers if c.election_id == election.id]
    for candidacy in same_election:
        if candidacy.name_key == filing.name.key:
            return candidacy
    for candidacy in same_election:
        if candidacy.office_key == filing.office_key and fuzzy_same(
            parse_name(candidacy.name), filing.name
        ):
            return candidacy
    return None


def _move(
    context: RunContext, candidacy: Candidacy, filing: Filing, insiders: Insiders
) -> list[ChangeDraft]:
    previous_office = candidacy.office
    office_changed = candidacy.office_key != filing.office_key
    candidacy.candidate_key = filing.key
    candidacy.name_key = filing.name.key
    candidacy.office = filing.record.office
    candidacy.office_key = filing.office_key
    candidacy.district = filing.record.district
    candidacy.last_seen, candidacy.last_run_id = context.now, context.run.id
    drafts = _refresh(context, candidacy, filing, insiders)
    if office_changed:
        drafts.append(
            _update(context, candidacy, "office_changed", previous_office=previous_office)
        )
    return drafts


def _announce(context: RunContext, created: list[tuple[Candidacy, Filing]]) -> list[ChangeDraft]:
    """One ``new_candidate`` per new (person, office) of this run, for its nearest election."""
    if not created:
        return []
    known = _campaigns(context, {c.id for c, _ in created})
    groups: dict[tuple[str, str], list[Candidacy]] = defaultdict(list)
    for candidacy, _filing in created:
        groups[(candidacy.name_key, candidacy.office_key)].append(candidacy)
    today = context.today
    drafts = []
    for pair, candidacies in groups.items():
        dates = [c.election.date for c in candidacies]
        if any(_same_campaign(date, other) for date in dates for other in known.get(pair, [])):
            continue
        candidacies.sort(key=lambda c: _nearest(c.election.date, today))
        first, others = candidacies[0], candidacies[1:]
        other_dates = [c.election.date.isoformat() for c in others if c.election.date]
        drafts.append(
            new_candidate(
                first,
                context.source.jurisdiction_id,
                context.source.key,
                context.source.url,
                other_dates,
            )
        )
    return drafts


def _campaigns(context: RunContext, new_ids: set[int]) -> dict[tuple[str, str], list]:
    """Election dates of the jurisdiction's earlier candidacies, by (person, office)."""
    rows = context.session.execute(
        select(Candidacy.id, Candidacy.name_key, Candidacy.office_key, Election.date)
        .join(Election, Election.id == Candidacy.election_id)
        .where(Candidacy.jurisdiction_id == context.source.jurisdiction_id)
    )
    known: dict[tuple[str, str], list] = defaultdict(list)
    for candidacy_id, name_key, office_key, date in rows:
        if candidacy_id not in new_ids:
            known[(name_key, office_key)].append(date)
    return known


def _same_campaign(date: dt.date | None, other: dt.date | None) -> bool:
    if date is None or other is None:
        return True
    return abs((date - other).days) <= SAME_CAMPAIGN_DAYS


def _nearest(date: dt.date | None, today: dt.date) -> tuple[int, int]:
    """Upcoming elections first (soonest first), then past ones (latest first)."""
    if date is None:
        return (2, 0)
    days = (date - today).days
    return (0, days) if days >= 0 else (1, -days)


def _absences(context: RunContext, missing: list[Candidacy]) -> list[ChangeDraft]:
    """Candidacies missing from this healthy run, each counted (so ``missing_runs`` is 0
    exactly for those on the last healthy list); one of an upcoming election, not already
    withdrawn, missing ``departure_after_runs`` runs in a row on as many different local
    days is a withdrawal."""
    limit, today = context.detection.departure_after_runs, context.today
    drafts = []
    for candidacy in missing:
        gone = count_absence(candidacy, today, limit)
        date = candidacy.election.date
        if candidacy.status_kind in ("withdrawn", "disqualified") or (date and date < today):
            continue
        if gone:
            previous = candidacy.status_kind
            candidacy.status, candidacy.status_kind = "no longer listed", "withdrawn"
            drafts.append(
                _update(
                    context,
                    candidacy,
                    "withdrew",
                    previous_status=previous,
                    reason="no longer listed",
                    last_seen=context.local_date(candidacy.last_seen).isoformat(),
                )
            )
    return drafts


def _update(
    context: RunContext, candidacy: Candidacy, what: str, **previous: object
) -> ChangeDraft:
    return candidate_update(
        candidacy,
        context.source.jurisdiction_id,
        context.source.key,
        context.source.url,
        context.run.id,
        what,
        **previous,
    )
