"""Arrivals, departures and role changes on staff directories and officials' rosters.

One detector call compares a run's people with the open tenures of its source, loaded
in bulk (one query for the jurisdiction's people, one for the source's open tenures),
then matches in memory. Rules:

- the first healthy run is the baseline: tenures open quietly (``baseline`` true);
- a new (title, department) for a known person closes one tenure and opens another
  (``staff_role_change``);
- an open tenure missing from ``departure_after_runs`` consecutive healthy runs ends,
  dated by the last day it was seen (``staff_departure``);
- a suspicious run only refreshes ``last_seen`` of people it saw unchanged: no absences,
  no arrivals, no role changes;
- an ``unchanged`` run (a 304: the same list as the last healthy run) is that list served
  again: tenures it listed (``missing_runs == 0``) are seen today, tenures already missing
  count one more absence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civicradar.models.names import (
    PersonName,
    compatible,
    fuzzy_same,
    normal_department,
    normal_label,
    parse_name,
)
from civicradar.models.records import PersonRecord
from civicradar.models.store import ChangeDraft
from civicradar.models.tables import Person, Tenure
from civicradar.monitors.absences import count_absence, seen_again
from civicradar.monitors.detect import RunContext

IMPORTANCE = {"staff_departure": 80, "staff_role_change": 50, "staff_arrival": 40}


@dataclass
class Seen:
    """One person record of this run, with its parsed name and (once matched) its person."""

    record: PersonRecord
    name: PersonName
    person: Person | None = None
    tenure: Tenure | None = None
    replaces: Tenure | None = None

    @property
    def post(self) -> tuple[str, str]:
        return normal_label(self.record.title), normal_department(self.record.department)


@dataclass
class People:
    """The jurisdiction's people indexed for matching, and this source's open tenures."""

    by_email: dict[str, Person] = field(default_factory=dict)
    by_key: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    open_tenures: dict[int, list[Tenure]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[int, Person] = field(default_factory=dict)

    def add(self, person: Person) -> None:
        self.by_id[person.id] = person
        if person.email:
            self.by_email.setdefault(person.email, person)
        self.by_key[person.name_key].append(person)

    @staticmethod
    def name_of(person: Person) -> PersonName:
        """Parsed only when needed: most people match by key without it."""
        return parse_name(person.name)


def detect_staff(context: RunContext) -> list[ChangeDraft]:
    if context.run.unchanged:
        return _same_list_again(context) if context.healthy else []
    session = context.session
    seen = [
        Seen(record=r, name=parse_name(r.name))
        for r in context.records
        if isinstance(r, PersonRecord) and parse_name(r.name).key
    ]
    people = _load(session, context)
    _match_people(seen, people)
    trusted = context.healthy
    today = context.today
    drafts: list[ChangeDraft] = []
    touched: set[int] = set()
    opened: list[tuple[Seen, Tenure]] = []
    fresh: dict[str, Person] = {}
    for item in _pair_tenures(seen, people):
        if item.tenure is not None:
            _refresh(item, context, touched)
        elif trusted:
            opened.append((item, _open_tenure(item, people, context, today, fresh)))
        elif item.person is not None:
            item.person.last_seen = context.now
    session.flush()  # new people and tenures in one batch, for their ids
    for item, tenure in opened:
        drafts.extend(_announce(item, tenure, context, touched))
    if trusted:
        drafts.extend(_count_absences(people, touched, context))
    return drafts


def _same_list_again(context: RunContext) -> list[ChangeDraft]:
    """A 304 day: the last healthy list again, so its people were seen today (two bulk
    updates) and the absent stay absent one run longer, as if the same page were served."""
    session, now = context.session, context.now
    is_open = (Tenure.source_id == context.source.id, Tenure.ended_on.is_(None))
    listed = (*is_open, Tenure.missing_runs == 0)
    quiet = {"synchronize_session": False}
    holders = select(Tenure.person_id).where(*listed)
    session.execute(
        update(Person).where(Person.id.in_(holders)).values(last_seen=now), execution_options=quiet
    )
    session.execute(
        update(Tenure).where(*listed).values(last_seen=now, last_run_id=context.run.id),
        execution_options=quiet,
    )
    people = People()
    for tenure in session.scalars(select(Tenure).where(*is_open, Tenure.missing_runs > 0)):
        people.open_tenures[tenure.person_id].append(tenure)
    missing = select(Tenure.person_id).where(*is_open, Tenure.missing_runs > 0)
    for person in session.scalars(select(Person).where(Person.id.in_(missing))):
        people.by_id[person.id] = person
    return _count_absences(people, set(), context)


# --- loading and matching -------------------------------------------------------------


def _load(session: Session, context: RunContext) -> People:
    people = People()
    for person in session.scalars(
        select(Person).where(Person.jurisdiction_id == context.source.jurisdiction_id)
    ):
        people.add(person)
    for tenure in session.scalars(
        select(Tenure).where(Tenure.source_id == context.source.id, Tenure.ended_on.is_(None))
    ):
        people.open_tenures[tenure.person_id].append(tenure)
    return people


def _match_people(seen: list[Seen], people: People) -> None:
    """Email first (when it is personal), then the name key with department as context,
    then a conservative fuzzy match against people of this source not yet accounted for."""
    email_counts: dict[str, int] = defaultdict(int)
    for item in seen:
        if item.record.email:
            email_counts[item.record.email] += 1
    by_id = people.by_id
    for item in seen:
        email = item.record.email
        if email and email_counts[email] == 1:
            person = people.by_email.get(email)
            if person is not None and (
                person.name_key == item.name.key or compatible(item.name, people.name_of(person))
            ):
                item.person = person
                continue
        item.person = _by_key(item, people)
    claimed = {item.person.id for item in seen if item.person is not None}
    leftovers = [
        by_id[person_id]
        for person_id, tenures in people.open_tenures.items()
        if person_id not in claimed and tenures and person_id in by_id
    ]
    for item in seen:
        if item.person is not None or not leftovers:
            continue
        department = normal_department(item.record.department)
        for person in leftovers:
            departments = {normal_department(t.department) for t in people.open_tenures[person.id]}
            if department in departments and fuzzy_same(item.name, people.name_of(person)):
                item.person = person
                leftovers.remove(person)
                break


def _by_key(item: Seen, people: People) -> Person | None:
    candidates = [
        person
        for person in people.by_key.get(item.name.key, [])
        if not (item.record.email and person.email and person.email != item.record.email)
    ]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    department = normal_department(item.record.department)
    for person in candidates:
        if any(
            normal_department(t.department) == department for t in people.open_tenures[person.id]
        ):
            return person
    with_tenure = [p for p in candidates if people.open_tenures.get(p.id)]
    return (with_tenure or candidates)[0]


def _pair_tenures(seen: list[Seen], people: People) -> list[Seen]:
    """Attach each seen record to an open tenure: same post first, then any unclaimed one
    of the same person (a role change). Records left without a tenure are new posts."""
    claimed: set[int] = set()
    for item in seen:
        if item.person is None:
            continue
        for tenure in people.open_tenures.get(item.person.id, []):
            if tenure.id not in claimed and _same_post(item, tenure):
                item.tenure = tenure
                claimed.add(tenure.id)
                break
    for item in seen:
        if item.person is None or item.tenure is not None:
            continue
        for tenure in people.open_tenures.get(item.person.id, []):
            if tenure.id not in claimed:
                item.replaces = tenure
                claimed.add(tenure.id)
                break
    return seen


def _same_post(item: Seen, tenure: Tenure) -> bool:
    """Unchanged title and department; a blank cell this time is not a change, nor is a
    department relabelled with generic words ("Planning" -> "Planning Dept.")."""
    title, department = item.post
    return (not title or title == normal_label(tenure.title)) and (
        not department or department == normal_department(tenure.department)
    )


# --- applying what was seen -------------------------------------------------------------


def _refresh(item: Seen, context: RunContext, touched: set[int]) -> None:
    """A known tenure seen again: it is current (and, on a trusted run, not missing)."""
    tenure, person = item.tenure, item.person
    assert tenure is not None and person is not None
    touched.add(tenure.id)
    person.last_seen = context.now
    tenure.last_seen = context.now
    tenure.last_run_id = context.run.id
    if context.healthy:
        seen_again(tenure)
        _update_contact(person, item)
        if item.record.department and item.record.department != tenure.department:
            tenure.department = item.record.department  # relabelled: same tenure, new text


def _update_contact(person: Person, item: Seen) -> None:
    record = item.record
    person.name = item.name.display
    if record.email and not person.email:
        person.email = record.email
    if record.phone:
        person.phone = record.phone
    if record.external_id and not person.external_id:
        person.external_id = record.external_id


def _open_tenure(
    item: Seen, people: People, context: RunContext, today: dt.date, fresh: dict[str, Person]
) -> Tenure:
    """A new post, for a known person or a new one (created once even if listed twice);
    only trusted runs get here. Rows are added to the session, flushed by the caller."""
    record = item.record
    person = item.person or fresh.get(item.name.key)
    if person is None:
        person = Person(
            jurisdiction_id=context.source.jurisdiction_id,
            name=item.name.display,
            name_key=item.name.key,
            email=record.email,
            phone=record.phone,
            external_id=record.external_id,
            first_seen=context.now,
            last_seen=context.now,
        )
        context.session.add(person)
        fresh[item.name.key] = person
    else:
        person.last_seen = context.now
        _update_contact(person, item)
    item.person = person
    tenure = Tenure(
        source_id=context.source.id,
        jurisdiction_id=context.source.jurisdiction_id,
        role=record.role,
        title=record.title,
        department=record.department,
        started_on=today,
        last_seen=context.now,
        baseline=context.baseline,
        missing_runs=0,
        first_run_id=context.run.id,
        last_run_id=context.run.id,
    )
    if person.id is None:
        tenure.person = person  # a new person's empty collection: no lazy load
    else:
        tenure.person_id = person.id
    context.session.add(tenure)
    return tenure


def _announce(
    item: Seen, tenure: Tenure, context: RunContext, touched: set[int]
) -> list[ChangeDraft]:
    """The change a new post means: a role change if it replaced one, else an arrival."""
    person = item.person
    assert person is not None
    today = tenure.started_on
    touched.add(tenure.id)
    previous = item.replaces
    if previous is not None:
        previous.ended_on = today  # the old post ends the day the new one is first seen
        previous.end_reason = "role_change"
        touched.add(previous.id)
        return [_role_change(context, person, tenure, previous)]
    if context.baseline:
        return []
    return [_arrival(context, person, tenure)]


def _count_absences(people: People, touched: set[int], context: RunContext) -> list[ChangeDraft]:
    """One more absence for every open tenure this run did not list; a departure once
    :func:`count_absence` says it is gone."""
    limit, today = context.detection.departure_after_runs, context.today
    drafts = []
    for tenures in people.open_tenures.values():
        for tenure in tenures:
            if tenure.id in touched or tenure.ended_on is not None:
                continue
            if count_absence(tenure, today, limit):
                tenure.ended_on = context.local_date(tenure.last_seen)
                tenure.end_reason = "departed"
                drafts.append(_departure(context, tenure, people.by_id[tenure.person_id]))
    return drafts


# --- change drafts ----------------------------------------------------------------------


def _data(person: Person, tenure: Tenure) -> dict[str, object]:
    return {
        "name": person.name,
        "title": tenure.title,
        "department": tenure.department,
        "role": tenure.role,
        "email": person.email,
        "person_id": person.id,
        "tenure_id": tenure.id,
    }


def _where(tenure: Tenure) -> str:
    parts = [p for p in (tenure.title, tenure.department) if p]
    return ", ".join(parts) if parts else "no title listed"


def _arrival(context: RunContext, person: Person, tenure: Tenure) -> ChangeDraft:
    who = "official" if tenure.role == "official" else "staff"
    return ChangeDraft(
        kind="staff_arrival",
        jurisdiction_id=context.source.jurisdiction_id,
        source_key=context.source.key,
        dedupe_key=f"staff_arrival:{tenure.id}",
        summary=f"New {who}: {person.name} ({_where(tenure)})",
        url=context.source.url,
        data=_data(person, tenure),
        importance=IMPORTANCE["staff_arrival"],
    )


def _role_change(
    context: RunContext, person: Person, tenure: Tenure, previous: Tenure
) -> ChangeDraft:
    data = _data(person, tenure)
    data["previous_title"] = previous.title
    data["previous_department"] = previous.department
    return ChangeDraft(
        kind="staff_role_change",
        jurisdiction_id=context.source.jurisdiction_id,
        source_key=context.source.key,
        dedupe_key=f"staff_role_change:{tenure.id}",
        summary=f"{person.name}: {_where(previous)} -> {_where(tenure)}",
        url=context.source.url,
        data=data,
        importance=IMPORTANCE["staff_role_change"],
    )


def _departure(context: RunContext, tenure: Tenure, person: Person) -> ChangeDraft:
    data = _data(person, tenure)
    data["last_seen"] = tenure.ended_on.isoformat() if tenure.ended_on else None
    return ChangeDraft(
        kind="staff_departure",
        jurisdiction_id=context.source.jurisdiction_id,
        source_key=context.source.key,
        dedupe_key=f"staff_departure:{tenure.id}",
        summary=f"{person.name} left ({_where(tenure)}); last seen {data['last_seen']}",
        url=context.source.url,
        data=data,
        importance=IMPORTANCE["staff_departure"],
    )
