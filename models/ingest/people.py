"""Who is who on a directory run: each listed person matched to a stored person and post.

The jurisdiction's people and the source's open tenures are read in two queries, then
matched in memory: email first (when only one listing uses it), then the name key with
the department as context, then a conservative fuzzy match against people of this
source not yet accounted for. A matched person is paired with an open tenure of the same
post, else with any unclaimed one of theirs (a role change).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
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
from civicradar.models.tables import Person, Tenure


@dataclass(slots=True, eq=False)
class StoredPerson:
    id: int
    name: str
    name_key: str
    email: str | None
    phone: str | None
    external_id: str | None


@dataclass(slots=True, eq=False)
class OpenTenure:
    id: int
    person_id: int
    role: str
    title: str | None
    department: str | None
    started_on: dt.date
    last_seen: dt.datetime
    missing_runs: int
    missing_since: dt.date | None


@dataclass(slots=True, eq=False)
class Listing:
    """One person record of the run, its parsed name, and (once matched) who and which post."""

    record: PersonRecord
    name: PersonName
    person: StoredPerson | None = None
    tenure: OpenTenure | None = None
    replaces: OpenTenure | None = None

    @property
    def post(self) -> tuple[str, str]:
        return normal_label(self.record.title), normal_department(self.record.department)


@dataclass
class Directory:
    """The jurisdiction's people indexed for matching, and this source's open tenures."""

    by_id: dict[int, StoredPerson] = field(default_factory=dict)
    by_email: dict[str, StoredPerson] = field(default_factory=dict)
    by_key: dict[str, list[StoredPerson]] = field(default_factory=lambda: defaultdict(list))
    open_tenures: dict[int, list[OpenTenure]] = field(default_factory=lambda: defaultdict(list))

    def add(self, person: StoredPerson) -> None:
        self.by_id[person.id] = person
        if person.email:
            self.by_email.setdefault(person.email, person)
        self.by_key[person.name_key].append(person)

    def tenures(self) -> list[OpenTenure]:
        return [t for tenures in self.open_tenures.values() for t in tenures]


def listings(records: list[PersonRecord]) -> list[Listing]:
    """The run's person records that carry a name a key can be made of."""
    found = []
    for record in records:
        name = parse_name(record.name)
        if name.key:
            found.append(Listing(record=record, name=name))
    return found


def load_directory(session: Session, jurisdiction_id: str, source_id: int) -> Directory:
    """Two queries: the jurisdiction's people, and the source's open tenures."""
    directory = Directory()
    people = session.execute(
        select(
            Person.id, Person.name, Person.name_key, Person.email, Person.phone, Person.external_id
        )
        .where(Person.jurisdiction_id == jurisdiction_id)
        .order_by(Person.id)
    )
    for row in people:
        directory.add(StoredPerson(*row))
    tenures = session.execute(
        select(
            Tenure.id,
            Tenure.person_id,
            Tenure.role,
            Tenure.title,
            Tenure.department,
            Tenure.started_on,
            Tenure.last_seen,
            Tenure.missing_runs,
            Tenure.missing_since,
        )
        .where(Tenure.source_id == source_id, Tenure.ended_on.is_(None))
        .order_by(Tenure.id)
    )
    for row in tenures:
        tenure = OpenTenure(*row)
        directory.open_tenures[tenure.person_id].append(tenure)
    return directory


def match_people(seen: list[Listing], directory: Directory) -> None:
    """Set ``person`` on every listing that is someone already stored."""
    email_counts: dict[str, int] = defaultdict(int)
    for item in seen:
        if item.record.email:
            email_counts[item.record.email] += 1
    for item in seen:
        email = item.record.email
        if email and email_counts[email] == 1:
            person = directory.by_email.get(email)
            if person is not None and (
                person.name_key == item.name.key or compatible(item.name, parse_name(person.name))
            ):
                item.person = person
                continue
        item.person = _by_key(item, directory)
    claimed = {item.person.id for item in seen if item.person is not None}
    leftovers = [
        directory.by_id[person_id]
        for person_id, tenures in directory.open_tenures.items()
        if person_id not in claimed and tenures and person_id in directory.by_id
    ]
    for item in seen:
        if item.person is not None or not leftovers:
            continue
        department = normal_department(item.record.department)
        for person in leftovers:
            departments = {
                normal_department(t.department) for t in directory.open_tenures[person.id]
            }
            if department in departments and fuzzy_same(item.name, parse_name(person.name)):
                item.person = person
                leftovers.remove(person)
                break


def _by_key(item: Listing, directory: Directory) -> StoredPerson | None:
    candidates = [
        person
        for person in directory.by_key.get(item.name.key, [])
        if not (item.record.email and person.email and person.email != item.record.email)
    ]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    department = normal_department(item.record.department)
    for person in candidates:
        if any(
            normal_department(t.department) == department
            for t in directory.open_tenures.get(person.id, [])
        ):
            return person
    with_tenure = [p for p in candidates if directory.open_tenures.get(p.id)]
    return (with_tenure or candidates)[0]


def pair_tenures(seen: list[Listing], directory: Directory) -> None:
    """Attach each matched listing to an open tenure: same post first, then any unclaimed
    one of the same person (``replaces``: a role change). Unpaired listings are new posts."""
    claimed: set[int] = set()
    for item in seen:
        if item.person is None:
            continue
        for tenure in directory.open_tenures.get(item.person.id, []):
            if tenure.id not in claimed and same_post(item, tenure):
                item.tenure = tenure
                claimed.add(tenure.id)
                break
    for item in seen:
        if item.person is None or item.tenure is not None:
            continue
        for tenure in directory.open_tenures.get(item.person.id, []):
            if tenure.id not in claimed:
                item.replaces = tenure
                claimed.add(tenure.id)
                break


def same_post(item: Listing, tenure: OpenTenure) -> bool:
    """Unchanged title and department; a blank cell this time is not a change, nor is a
    department relabelled with generic words ("Planning" -> "Planning Dept.")."""
    title, department = item.post
    return (not title or title == normal_label(tenure.title)) and (
        not department or department == normal_department(tenure.department)
    )
