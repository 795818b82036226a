"""Read-only candidate queries behind ``candidates`` and its ``--calendar`` view.

Rows are flat dicts of plain values. Addresses are never selected: they stay in the
store for people with SQL access and are shown nowhere else. Election days are local
dates, so "today" (for days remaining and for "upcoming") is the date in each
jurisdiction's time zone, not the UTC date of the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from civicradar.models.tables import Candidacy, Election, Jurisdiction, Source

ACTIVE = ("filed", "qualified")
STATUSES = (*ACTIVE, "withdrawn", "disqualified")
"""The status kinds a candidacy can be in (``--status``, ``?status=``)."""
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
    upcoming: bool = False
    """Only elections from each jurisdiction's own today on (and undated ones)."""

    def apply(self, query: Select, today: Mapping[str, dt.date] | None = None) -> Select:
        if self.jurisdiction:
            query = query.where(Election.jurisdiction_id == self.jurisdiction)
        if self.election:
            query = query.where(Election.name.icontains(self.election, autoescape=True))
        if self.since:
            query = query.where(or_(Election.date.is_(None), Election.date >= self.since))
        if self.until:
            query = query.where(Election.date <= self.until)
        if self.upcoming and today is not None:
            query = query.where(
                or_(
                    Election.date.is_(None),
                    *(
                        and_(Election.jurisdiction_id == jurisdiction, Election.date >= date)
                        for jurisdiction, date in today.items()
                    ),
                )
            )
        return query


def local_today(
    session: Session, now: dt.datetime, zones: Mapping[str, str] | None = None
) -> dict[str, dt.date]:
    """Today's date in each stored jurisdiction, from an aware ``now``: the configured zone
    (``zones``: id -> IANA name) where given, else the zone the store last mirrored."""
    zones = zones or {}
    return {
        jurisdiction: now.astimezone(ZoneInfo(zones.get(jurisdiction) or stored or "UTC")).date()
        for jurisdiction, stored in session.execute(select(Jurisdiction.id, Jurisdiction.timezone))
    }


def _days(date: dt.date | None, jurisdiction: str, today: Mapping[str, dt.date]) -> int | None:
    return (date - today[jurisdiction]).days if date else None


def candidates(
    session: Session,
    filters: CandidateFilter,
    now: dt.datetime,
    zones: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Candidacies with their election, soonest election first, then office and name;
    ``days_remaining`` counts from the date at ``now`` in the election's jurisdiction."""
    today = local_today(session, now, zones)
    query = filters.apply(
        select(Candidacy, Election, Source.key)
        .join(Election, Election.id == Candidacy.election_id)
        .join(Source, Source.id == Candidacy.source_id),
        today,
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
                "days_remaining": _days(election.date, election.jurisdiction_id, today),
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


def calendar(
    session: Session,
    filters: CandidateFilter,
    now: dt.datetime,
    zones: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Elections with days remaining and, per office, how many candidates are running
    (filed or qualified) and how many withdrew or were disqualified; one row per
    (election, office), or one row with no office for an election without candidates."""
    today = local_today(session, now, zones)
    elections = list(session.scalars(filters.apply(select(Election), today)))
    counts: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    query = select(Candidacy).where(Candidacy.election_id.in_([e.id for e in elections]))
    for candidacy in session.scalars(query):
        if filters.office and not filters.office(candidacy.office, candidacy.office_key):
            continue
        if filters.status and candidacy.status_kind != filters.status:
            continue
        office = counts[candidacy.election_id].setdefault(
            candidacy.office_key,
            {
                "office": office_with_district(candidacy.office, candidacy.district),
                "candidates": 0,
                "withdrawn": 0,
                "names": set(),
            },
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
            "days_remaining": _days(election.date, election.jurisdiction_id, today),
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


def office_with_district(office: str, district: str | None) -> str:
    """An office as listings label it: the filing's words, plus the district if separate."""
    if district and district not in office:
        return f"{office} ({district})"
    return office


def _date_order(date: dt.date | None) -> tuple[int, dt.date]:
    return (1, dt.date.max) if date is None else (0, date)
