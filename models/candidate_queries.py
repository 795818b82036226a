"""Read-only candidate queries behind ``candidates`` and its ``--calendar`` view.

Rows are flat dicts of plain values. Addresses are never selected: they stay in the
store for people with SQL access and are shown nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from civicradar.models.tables import Candidacy, Election, Source

ACTIVE = ("filed", "qualified")
OfficeTest = Callable[[str, str], bool]
"""(raw office, office key) -> does it match the user's --office text."""


@dataclass(frozen=True)
class CandidateFilter:
    jurisdiction: str | None = None
    election: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    status: str | None = None
    office: OfficeTest | None = None

    def apply(self, query: Select) -> Select:
        if self.jurisdiction:
            query = query.where(Election.jurisdiction_id == self.jurisdiction)
        if self.election:
            query = query.where(Election.name.ilike(f"%{_escape(self.election)}%", "\\"))
        if self.since:
            query = query.where(or_(Election.date.is_(None), Election.date >= self.since))
        if self.until:
            query = query.where(Election.date <= self.until)
        return query


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _days(date: dt.date | None, today: dt.date) -> int | None:
    return (date - today).days if date else None


def candidates(session: Session, filters: CandidateFilter, today: dt.date) -> list[dict[str, Any]]:
    """Candidacies with their election, soonest election first, then office and name."""
    query = filters.apply(
        select(Candidacy, Election, Source.key)
        .join(Election, Election.id == Candidacy.election_id)
        .join(Source, Source.id == Candidacy.source_id)
    )
    if filters.status:
        query = query.where(Candidacy.status_kind == filters.status)
    rows = []
    for candidacy, election, source in session.execute(query):
        if filters.office and not filters.office(candidacy.office, candidacy.office_key):
            continue
        rows.append(
            {
                "jurisdiction": election.jurisdiction_id,
                "election": election.name,
                "election_date": election.date,
                "days_remaining": _days(election.date, today),
                "office": candidacy.office,
                "district": candidacy.district,
                "office_key": candidacy.office_key,
                "name": candidacy.name,
                "party": candidacy.party,
                "status": candidacy.status_kind,
                "status_text": candidacy.status,
                "filed_on": candidacy.filed_on,
                "email": candidacy.email,
                "phone": candidacy.phone,
                "website": candidacy.website,
                "committee": candidacy.committee,
                "incumbent": candidacy.incumbent,
                "insider": candidacy.insider_title,
                "source": source,
                "first_seen": candidacy.first_seen,
                "last_seen": candidacy.last_seen,
                "candidacy_id": candidacy.id,
            }
        )
    rows.sort(key=lambda r: (_date_order(r["election_date"]), r["office_key"], r["name"]))
    return rows


def calendar(session: Session, filters: CandidateFilter, today: dt.date) -> list[dict[str, Any]]:
    """Elections with days remaining and, per office, how many candidates are running
    (filed or qualified) and how many withdrew or were disqualified; one row per
    (election, office), or one row with no office for an election without candidates."""
    elections = list(session.scalars(filters.apply(select(Election))))
    counts: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    query = select(Candidacy).where(Candidacy.election_id.in_([e.id for e in elections]))
    for candidacy in session.scalars(query):
        if filters.office and not filters.office(candidacy.office, candidacy.office_key):
            continue
        if filters.status and candidacy.status_kind != filters.status:
            continue
        office = counts[candidacy.election_id].setdefault(
            candidacy.office_key,
            {"office": _label(candidacy), "candidates": 0, "withdrawn": 0, "names": set()},
        )
        if candidacy.name_key in office["names"]:
            continue  # the same person on two lists of one election counts once
        office["names"].add(candidacy.name_key)
        office["candidates" if candidacy.status_kind in ACTIVE else "withdrawn"] += 1
    rows = []
    for election in sorted(elections, key=lambda e: (_date_order(e.date), e.name)):
        base = {
            "jurisdiction": election.jurisdiction_id,
            "election": election.name,
            "election_date": election.date,
            "days_remaining": _days(election.date, today),
        }
        offices = counts.get(election.id)
        if not offices:
            if filters.office or filters.status:
                continue
            rows.append({**base, "office": None, "candidates": 0, "withdrawn": 0})
            continue
        for _key, office in sorted(offices.items()):
            rows.append(
                {
                    **base,
                    "office": office["office"],
                    "candidates": office["candidates"],
                    "withdrawn": office["withdrawn"],
                }
            )
    return rows


def _label(candidacy: Candidacy) -> str:
    if candidacy.district and candidacy.district not in candidacy.office:
        return f"{candidacy.office} ({candidacy.district})"
    return candidacy.office


def _date_order(date: dt.date | None) -> tuple[int, dt.date]:
    return (1, dt.date.max) if date is None else (0, date)
