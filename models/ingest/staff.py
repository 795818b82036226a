"""Ingest a staff directory or officials' roster run: people and tenures, and their diff.

Identity is decided in ``people.py``; this module writes what the run says, set-based
(a constant number of statements however long the list):

- a listing in its known post refreshes that tenure (``last_seen``; on a healthy run
  the absence count starts over, contact details and a relabelled department update);
- on a healthy run, a listing in a new post opens a tenure (for a new person, or a
  known one); if it replaces an open tenure of that person, the old one ends today
  (``role_change``);
- an ``unchanged`` run (a 304, the last healthy list again) refreshes the tenures that
  list showed (``missing_runs == 0``) and reports the rest as still missing;
- a suspicious run only refreshes what it saw in its known post.

Whether an absence is a departure is the detector's call (``monitors/staff.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from civicradar.models.ingest.bulk import id_in, insert_rows, update_rows
from civicradar.models.ingest.people import (
    Directory,
    Listing,
    OpenTenure,
    StoredPerson,
    listings,
    load_directory,
    match_people,
    pair_tenures,
)
from civicradar.models.ingest.run import RunFacts
from civicradar.models.records import PersonRecord, Record
from civicradar.models.tables import Person, Tenure

CONTACT = ("name", "email", "phone", "external_id")


@dataclass(frozen=True)
class TenureSnapshot:
    """A tenure and its person as a change reports them."""

    tenure_id: int
    person_id: int
    name: str
    email: str | None
    role: str
    title: str | None
    department: str | None
    started_on: dt.date
    last_seen: dt.datetime
    missing_runs: int = 0
    missing_since: dt.date | None = None


@dataclass(frozen=True)
class RoleChange:
    """A known person listed in another post: ``before`` ended today, ``after`` opened."""

    before: TenureSnapshot
    after: TenureSnapshot


@dataclass(frozen=True)
class StaffDiff:
    """What a run changed: posts opened (``inserted``), posts changed (``updated``), posts
    listed again as they were (``unchanged``, a count), open posts it left out (``missing``)."""

    inserted: tuple[TenureSnapshot, ...] = ()
    updated: tuple[RoleChange, ...] = ()
    unchanged: int = 0
    missing: tuple[TenureSnapshot, ...] = ()


def ingest_staff(session: Session, run: RunFacts, records: Sequence[Record]) -> StaffDiff:
    if run.unchanged:
        return _listed_again(session, run) if run.healthy else StaffDiff()
    seen = listings([r for r in records if isinstance(r, PersonRecord)])
    directory = load_directory(session, run.jurisdiction_id, run.source_id)
    match_people(seen, directory)
    pair_tenures(seen, directory)
    known = [item for item in seen if item.tenure is not None]
    posts = [item for item in seen if item.tenure is None] if run.healthy else []
    contacts: dict[int, StoredPerson] = {}
    if run.healthy:
        for item in seen:
            if item.person is not None:
                _update_contact(item.person, item, contacts)
    ended = [item.replaces for item in posts if item.replaces is not None]
    update_rows(
        session,
        Tenure,
        [{"id": t.id, "ended_on": run.today, "end_reason": "role_change"} for t in ended],
    )
    opened = _open_tenures(session, run, posts, directory)
    _refresh(session, run, known, directory, ended)
    update_rows(session, Person, [_contact_row(p) for p in contacts.values()])
    if not run.healthy:
        _person_seen(session, run, [i.person.id for i in seen if i.person and not i.tenure])
    touched = {t.id for t in ended} | {item.tenure.id for item in known if item.tenure}
    return StaffDiff(
        inserted=tuple(tenure for item, tenure in opened if item.replaces is None),
        updated=tuple(
            RoleChange(before=_stored(item.replaces, directory), after=tenure)
            for item, tenure in opened
            if item.replaces is not None
        ),
        unchanged=len(known),
        missing=tuple(_stored(t, directory) for t in directory.tenures() if t.id not in touched),
    )


def _update_contact(person: StoredPerson, item: Listing, dirty: dict[int, StoredPerson]) -> None:
    """Contact details from the latest trusted listing (a blank never erases)."""
    record = item.record
    before = (person.name, person.email, person.phone, person.external_id)
    person.name = item.name.display
    if record.email and not person.email:
        person.email = record.email
    if record.phone:
        person.phone = record.phone
    if record.external_id and not person.external_id:
        person.external_id = record.external_id
    if (person.name, person.email, person.phone, person.external_id) != before:
        dirty[person.id] = person


def _contact_row(person: StoredPerson) -> dict[str, Any]:
    return {"id": person.id, **{name: getattr(person, name) for name in CONTACT}}


def _open_tenures(
    session: Session, run: RunFacts, posts: list[Listing], directory: Directory
) -> list[tuple[Listing, TenureSnapshot]]:
    """New people (one per name key even if listed twice, with the contact details of
    their last listing), then a tenure per new post: each inserted in one executemany
    and read back in one query."""
    fresh: dict[str, StoredPerson] = {}
    for item in posts:
        if item.person is not None:
            continue
        person = fresh.get(item.name.key)
        if person is None:
            record = item.record
            person = StoredPerson(
                0, item.name.display, item.name.key, record.email, record.phone, record.external_id
            )
            fresh[item.name.key] = person
        else:
            _update_contact(person, item, {})
    if fresh:
        insert_rows(session, Person, [_person_row(run, p) for p in fresh.values()])
        stored = {p.name_key: p for p in _new_people(session, run, directory)}
        for person in stored.values():
            directory.add(person)
        for item in posts:
            if item.person is None:
                item.person = stored[item.name.key]
    rows = [_tenure_row(run, item) for item in posts]
    insert_rows(session, Tenure, rows)
    if not rows:
        return []
    ids = session.scalars(
        select(Tenure.id)
        .where(Tenure.source_id == run.source_id, Tenure.first_run_id == run.run_id)
        .order_by(Tenure.id)
    ).all()
    if len(ids) != len(posts):
        raise RuntimeError(f"run {run.run_id}: {len(posts)} tenures inserted, {len(ids)} found")
    return [
        (item, _snapshot(item, tenure_id, run)) for item, tenure_id in zip(posts, ids, strict=True)
    ]


def _person_row(run: RunFacts, person: StoredPerson) -> dict[str, Any]:
    return {
        "jurisdiction_id": run.jurisdiction_id,
        **{name: getattr(person, name) for name in CONTACT},
        "name_key": person.name_key,
        "first_seen": run.now,
        "last_seen": run.now,
    }


def _new_people(session: Session, run: RunFacts, directory: Directory) -> list[StoredPerson]:
    """People of the jurisdiction first seen now that the directory did not hold before
    (inserted by this run: several runs detected at one ``now`` were loaded already)."""
    rows = session.execute(
        select(
            Person.id, Person.name, Person.name_key, Person.email, Person.phone, Person.external_id
        ).where(Person.jurisdiction_id == run.jurisdiction_id, Person.first_seen == run.now)
    )
    return [StoredPerson(*row) for row in rows if row.id not in directory.by_id]


def _tenure_row(run: RunFacts, item: Listing) -> dict[str, Any]:
    assert item.person is not None
    record = item.record
    return {
        "person_id": item.person.id,
        "source_id": run.source_id,
        "jurisdiction_id": run.jurisdiction_id,
        "role": record.role,
        "title": record.title,
        "department": record.department,
        "started_on": run.today,
        "ended_on": None,
        "last_seen": run.now,
        "baseline": run.baseline,
        "missing_runs": 0,
        "missing_since": None,
        "first_run_id": run.run_id,
        "last_run_id": run.run_id,
    }


def _snapshot(item: Listing, tenure_id: int, run: RunFacts) -> TenureSnapshot:
    assert item.person is not None
    record = item.record
    return TenureSnapshot(
        tenure_id=tenure_id,
        person_id=item.person.id,
        name=item.person.name,
        email=item.person.email,
        role=record.role,
        title=record.title,
        department=record.department,
        started_on=run.today,
        last_seen=run.now,
    )


def _stored(tenure: OpenTenure, directory: Directory) -> TenureSnapshot:
    person = directory.by_id[tenure.person_id]
    return TenureSnapshot(
        tenure_id=tenure.id,
        person_id=tenure.person_id,
        name=person.name,
        email=person.email,
        role=tenure.role,
        title=tenure.title,
        department=tenure.department,
        started_on=tenure.started_on,
        last_seen=tenure.last_seen,
        missing_runs=tenure.missing_runs or 0,
        missing_since=tenure.missing_since,
    )


def _refresh(
    session: Session,
    run: RunFacts,
    known: list[Listing],
    directory: Directory,
    ended: list[OpenTenure],
) -> None:
    """Tenures listed in their known post are current: one UPDATE for all of them (the
    absence count restarts on a healthy run), one executemany for relabelled departments,
    and one UPDATE for the people they belong to."""
    seen_ids = {item.tenure.id for item in known if item.tenure is not None}
    if seen_ids:
        still_open = {t.id for t in directory.tenures()} - {t.id for t in ended}
        values: dict[str, Any] = {"last_seen": run.now, "last_run_id": run.run_id}
        if run.healthy:
            values.update(missing_runs=0, missing_since=None)
        session.execute(
            update(Tenure)
            .where(
                Tenure.source_id == run.source_id,
                Tenure.ended_on.is_(None),
                id_in(Tenure.id, seen_ids, still_open),
            )
            .values(values),
            execution_options={"synchronize_session": False},
        )
    if run.healthy:
        relabelled = [
            {"id": item.tenure.id, "department": item.record.department}
            for item in known
            if item.tenure is not None
            and item.record.department
            and item.record.department != item.tenure.department
        ]
        update_rows(session, Tenure, relabelled)
    holders = select(Tenure.person_id).where(
        Tenure.source_id == run.source_id, Tenure.last_run_id == run.run_id
    )
    session.execute(
        update(Person).where(Person.id.in_(holders)).values(last_seen=run.now),
        execution_options={"synchronize_session": False},
    )


def _person_seen(session: Session, run: RunFacts, person_ids: list[int]) -> None:
    """People listed in a post that was not written (a new post on an untrusted run)."""
    if person_ids:
        session.execute(
            update(Person.__table__).where(Person.__table__.c.id == bindparam("person")),
            [{"person": pid, "last_seen": run.now} for pid in sorted(set(person_ids))],
        )


def _listed_again(session: Session, run: RunFacts) -> StaffDiff:
    """A 304 day: the last healthy list again, so its people were seen today (two bulk
    updates) and the absent stay absent one run longer, as if the same page were served."""
    is_open = (Tenure.source_id == run.source_id, Tenure.ended_on.is_(None))
    listed = (*is_open, Tenure.missing_runs == 0)
    quiet = {"synchronize_session": False}
    holders = select(Tenure.person_id).where(*listed)
    session.execute(
        update(Person).where(Person.id.in_(holders)).values(last_seen=run.now),
        execution_options=quiet,
    )
    result = session.execute(
        update(Tenure).where(*listed).values(last_seen=run.now, last_run_id=run.run_id),
        execution_options=quiet,
    )
    rows = session.execute(
        select(
            Tenure.id,
            Tenure.person_id,
            Person.name,
            Person.email,
            Tenure.role,
            Tenure.title,
            Tenure.department,
            Tenure.started_on,
            Tenure.last_seen,
            Tenure.missing_runs,
            Tenure.missing_since,
        )
        .join(Person, Person.id == Tenure.person_id)
        .where(*is_open, Tenure.missing_runs > 0)
        .order_by(Tenure.id)
    )
    return StaffDiff(
        unchanged=getattr(result, "rowcount", 0) or 0,
        missing=tuple(TenureSnapshot(*row) for row in rows),
    )
