"""Read-only staff queries behind ``people`` and ``turnover``, and the SQL views that
give any SQL tool the same answers (``current_people``, ``tenure_history``; docs/staff.md).

Every function returns flat rows (dicts of plain values) so the CLI, the web and exports
print them as they are.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, and_, case, func, or_, select, text
from sqlalchemy.orm import Session

from civicradar.models.tables import Person, Source, Tenure

TENURE_HISTORY_SQL = """
SELECT t.id AS tenure_id, t.jurisdiction_id AS jurisdiction, s.key AS source,
       t.person_id AS person_id, p.name AS name, p.email AS email, p.phone AS phone,
       t.role AS role, t.title AS title, t.department AS department,
       t.started_on AS started_on, t.ended_on AS ended_on, t.end_reason AS end_reason,
       t.baseline AS baseline, t.last_seen AS last_seen,
       p.first_seen AS first_seen
FROM tenures t
JOIN people p ON p.id = t.person_id
JOIN sources s ON s.id = t.source_id
"""
CURRENT_PEOPLE_SQL = "SELECT * FROM tenure_history WHERE ended_on IS NULL"
VIEWS = {"tenure_history": TENURE_HISTORY_SQL, "current_people": CURRENT_PEOPLE_SQL}


def create_views(engine: Engine) -> None:
    """(Re)create the staff views; safe to run on every start, on SQLite and PostgreSQL."""
    with engine.begin() as connection:
        for name in reversed(VIEWS):
            connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
        for name, sql in VIEWS.items():
            connection.execute(text(f"CREATE VIEW {name} AS {sql}"))


@dataclass(frozen=True)
class StaffFilter:
    """The filters every staff command shares."""

    jurisdiction: str | None = None
    department: str | None = None
    title: str | None = None
    role: str | None = None

    def apply(self, query: Select) -> Select:
        if self.jurisdiction:
            query = query.where(Tenure.jurisdiction_id == self.jurisdiction)
        if self.department:
            query = query.where(Tenure.department.icontains(self.department, autoescape=True))
        if self.title:
            query = query.where(Tenure.title.icontains(self.title, autoescape=True))
        if self.role:
            query = query.where(Tenure.role == self.role)
        return query


def _tenure_query() -> Select:
    return (
        select(
            Tenure.id.label("tenure_id"),
            Tenure.jurisdiction_id.label("jurisdiction"),
            Source.key.label("source"),
            Tenure.person_id,
            Person.name,
            Tenure.role,
            Tenure.title,
            Tenure.department,
            Person.email,
            Person.phone,
            Tenure.started_on,
            Tenure.ended_on,
            Tenure.end_reason,
            Tenure.baseline,
            Person.first_seen,
            Tenure.last_seen,
        )
        .join(Person, Person.id == Tenure.person_id)
        .join(Source, Source.id == Tenure.source_id)
    )


def _row(mapping: Any) -> dict[str, Any]:
    row = dict(mapping)
    for key in ("started_on", "ended_on"):
        if isinstance(row.get(key), dt.date):
            row[key] = row[key].isoformat()
    for key in ("first_seen", "last_seen"):
        if isinstance(row.get(key), dt.datetime):
            row[key] = row[key].date().isoformat()
    return row


def current_people(
    session: Session,
    filters: StaffFilter,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Who is listed now (an open tenure), with current title, department and contacts;
    ``since``/``until`` bound the day the person was first seen."""
    query = filters.apply(_tenure_query().where(Tenure.ended_on.is_(None)))
    if since:
        query = query.where(Person.first_seen >= _start_of(since))
    if until:
        query = query.where(Person.first_seen < _start_of(until + dt.timedelta(days=1)))
    query = query.order_by(Tenure.jurisdiction_id, Tenure.department, Person.name, Tenure.id)
    rows = []
    for mapping in session.execute(query).mappings():
        row = _row(mapping)
        for key in ("end_reason", "ended_on", "baseline"):
            row.pop(key)
        rows.append(row)
    return rows


def turnover(
    session: Session,
    filters: StaffFilter,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Tenures that started (not as the baseline) or ended within [since, until]."""
    started = Tenure.baseline.is_(False)
    ended = Tenure.ended_on.is_not(None)
    if since:
        started = and_(started, Tenure.started_on >= since)
        ended = and_(ended, Tenure.ended_on >= since)
    if until:
        started = and_(started, Tenure.started_on <= until)
        ended = and_(ended, Tenure.ended_on <= until)
    query = filters.apply(
        _tenure_query()
        .add_columns(case((ended, Tenure.end_reason), else_="started").label("event"))
        .where(or_(started, ended))
    )
    query = query.order_by(func.coalesce(Tenure.ended_on, Tenure.started_on), Tenure.id)
    rows = []
    for mapping in session.execute(query).mappings():
        row = _row(mapping)
        row.pop("phone")
        rows.append(row)
    return rows


def stayed_through(session: Session, filters: StaffFilter, day: dt.date) -> list[dict[str, Any]]:
    """People listed on both sides of ``day``: their tenures (any post) began on or before
    it and one is still open or ended on or after it. Only days after the first crawl of
    a source can be answered (a baseline tenure's start is the first day it was seen)."""
    spans = filters.apply(
        select(
            Tenure.person_id,
            func.min(Tenure.started_on).label("first_started"),
            func.max(Tenure.ended_on).label("last_ended"),
            func.sum(case((Tenure.ended_on.is_(None), 1), else_=0)).label("open"),
        ).group_by(Tenure.person_id)
    ).subquery()
    query = (
        select(spans.c.person_id, spans.c.first_started, spans.c.last_ended, spans.c.open)
        .where(spans.c.first_started <= day)
        .where(or_(spans.c.open > 0, spans.c.last_ended >= day))
    )
    found = {r.person_id: r for r in session.execute(query)}
    if not found:
        return []
    latest: dict[int, dict[str, Any]] = {}
    ids = list(found)
    for chunk in range(0, len(ids), 500):
        tenures = filters.apply(
            _tenure_query().where(Tenure.person_id.in_(ids[chunk : chunk + 500]))
        )
        for mapping in session.execute(tenures.order_by(Tenure.started_on, Tenure.id)).mappings():
            latest[mapping["person_id"]] = _row(mapping)
    rows = []
    for person_id, span in found.items():
        row = latest[person_id]
        rows.append(
            {
                "person_id": person_id,
                "jurisdiction": row["jurisdiction"],
                "name": row["name"],
                "role": row["role"],
                "title": row["title"],
                "department": row["department"],
                "email": row["email"],
                "listed_since": span.first_started.isoformat(),
                "left_on": None if span.open else span.last_ended.isoformat(),
            }
        )
    return sorted(rows, key=lambda r: (r["jurisdiction"], r["department"] or "", r["name"]))


def turnover_rate(
    session: Session, filters: StaffFilter, *, today: dt.date
) -> list[dict[str, Any]]:
    """Departures per department per year over the average headcount of that year.

    Headcount on a day is the distinct people with a tenure in the department that day;
    the average is the mean of the headcounts at the start and end of the observed part
    of the year (from the first listing, to today for the current year). A role change
    within the department is not a departure; a move to another department is counted
    as that department's role change, not as a departure.
    """
    first = session.scalar(filters.apply(select(func.min(Tenure.started_on))))
    if first is None:
        return []
    departures: dict[tuple[str, str, int], int] = defaultdict(int)
    year = func.extract("year", Tenure.ended_on)
    query = filters.apply(
        select(Tenure.jurisdiction_id, Tenure.department, year, func.count())
        .where(Tenure.end_reason == "departed")
        .group_by(Tenure.jurisdiction_id, Tenure.department, year)
    )
    for jurisdiction, department, when, count in session.execute(query):
        departures[(jurisdiction, department or "", int(when))] += count
    years = range(first.year, today.year + 1)
    bounds = {
        when: (max(dt.date(when, 1, 1), first), min(dt.date(when, 12, 31), today)) for when in years
    }
    heads = _headcounts(session, filters, sorted({day for pair in bounds.values() for day in pair}))
    rows = []
    for when, (start, end) in bounds.items():
        heads_start, heads_end = heads.get(start, {}), heads.get(end, {})
        for key in sorted(set(heads_start) | set(heads_end)):
            jurisdiction, department = key
            average = (heads_start.get(key, 0) + heads_end.get(key, 0)) / 2
            gone = departures.get((jurisdiction, department, when), 0)
            rows.append(
                {
                    "jurisdiction": jurisdiction,
                    "department": department or None,
                    "year": when,
                    "headcount_start": heads_start.get(key, 0),
                    "headcount_end": heads_end.get(key, 0),
                    "departures": gone,
                    "turnover_rate": round(gone / average, 4) if average else None,
                }
            )
    return rows


def _headcounts(
    session: Session, filters: StaffFilter, days: list[dt.date]
) -> dict[dt.date, dict[tuple[str, str], int]]:
    """Distinct people with a tenure in each (jurisdiction, department) on each of ``days``.

    One pass over the tenures: each covers the days between its start and end (found by
    bisection), so the cost is one read of the table, not one query per day."""
    present: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    query = filters.apply(
        select(
            Tenure.jurisdiction_id,
            Tenure.department,
            Tenure.person_id,
            Tenure.started_on,
            Tenure.ended_on,
        )
    )
    for jurisdiction, department, person_id, started_on, ended_on in session.execute(
        query.execution_options(yield_per=50_000)
    ):
        first = bisect_left(days, started_on)
        last = bisect_right(days, ended_on) if ended_on is not None else len(days)
        for index in range(first, last):
            present[(index, jurisdiction, department or "")].add(person_id)
    found: dict[dt.date, dict[tuple[str, str], int]] = defaultdict(dict)
    for (index, jurisdiction, department), people in present.items():
        found[days[index]][(jurisdiction, department)] = len(people)
    return found


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
