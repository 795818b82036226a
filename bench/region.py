"""A simulated region for the day-cycle benchmark: what each city publishes, day by day.

Every city has a staff directory (an HTML table paginated ``per_page`` people a page, and
the same people as an open-data JSON list), a Legistar Web API client (bodies, a year of
events with items, of which the crawl's window of 30 days back and 120 ahead holds about
40%, and, in two cities out of three, officials), and a candidate list (CSV).
Version 0 is the world of the cold day; version 1 adds one ordinary day's changes in every
city (``DAY_CHANGES``); a later day with nothing new is served as version 1 again.
Everything is generated from the city number, so the server process and the benchmark
agree on it without sharing state.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

_FIRST_NAMES = (
    "Ana Ben Carla David Elena Frank Grace Hector Irene James Karen Luis Maria Nathan "
    "Olivia Paul Quinn Rosa Samuel Teresa Umar Valerie Walter Ximena Yusuf Zoe Aaron Bianca "
    "Carlos Diana Ethan Fatima George Hannah Isaac Julia Kevin Laura Marcus Nina Oscar "
    "Priya Ramon Sofia Thomas Ursula Victor Wendy Xavier Yolanda Zachary Alice Bruno Chloe "
    "Daniel Erin Felix Gloria Henry Ivy"
)
FIRST = _FIRST_NAMES.split()
_LAST_NAMES = (
    "Abbott Baker Castillo Dalton Espinoza Fischer Garcia Holloway Ibarra Jensen Kowalski "
    "Lindqvist Moreno Nakamura Okafor Petrov Quintero Ramirez Schmidt Tanaka Underwood "
    "Vasquez Whitaker Xu Yamamoto Zielinski Anders Brennan Chavez Dubois Ellison Ferreira "
    "Gallagher Hughes Iverson Jimenez Kaplan Lambert Mercer Nguyen Ortega Pham Reyes "
    "Sullivan Thornton Ulrich Valdez Weber Young Zimmerman Acosta Barrett Conway Delgado "
    "Eriksen Foley Guzman Hartley Ingram Jovanovic"
)
LAST = _LAST_NAMES.split()
DEPARTMENTS = ("Planning", "Parks", "Finance", "Police", "Fire", "Library", "Clerk", "Water")
TITLES = ("Analyst", "Specialist", "Coordinator", "Technician", "Manager", "Assistant")
BODIES = (
    "City Council",
    "Finance Committee",
    "Planning Commission",
    "Parks Board",
    "Library Board",
)
ITEM_TITLES = (
    "Approval of the minutes",
    "Ordinance amending the zoning code for accessory dwelling units",
    "Contract for street resurfacing, phase {n}",
    "Resolution adopting the capital improvement plan",
    "Public hearing on the proposed budget amendment",
    "Appointment to the library board",
    "Report on child care center licensing",
    "Adjournment",
)
ITEMS_PER_MEETING = 8
OFFICIALS = 15
CANDIDATES = 12
COLD_DAY = dt.date(2026, 3, 2)
ELECTION = {"name": "2026 Municipal General", "date": "2026-11-03"}


@dataclass(frozen=True)
class DayChanges:
    """One ordinary day in every city (candidates: in one city out of ``candidate_every``)."""

    hires: int = 2
    departures: int = 2
    role_changes: int = 3
    new_meetings: int = 2
    changed_meetings: int = 1
    candidate_every: int = 5


DAY_CHANGES = DayChanges()


@dataclass(frozen=True)
class Shape:
    """The size of the region: the knobs of ``bench/day_cycle.py``."""

    cities: int = 50
    staff: int = 2000
    meetings: int = 200
    per_page: int = 500

    def has_officials(self, city: int) -> bool:
        """Two cities out of three also publish their officials (50 cities: 234 sources)."""
        return city % 3 != 2


def person_name(n: int) -> str:
    """A distinct name for each of the first 3,600 people numbered in a city."""
    return f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"


@dataclass
class City:
    """What one city publishes in one version of the world."""

    number: int
    staff: dict[int, dict[str, str]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    items: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    persons: list[dict[str, Any]] = field(default_factory=list)
    office_records: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[dict[str, str]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return f"city{self.number:02d}"


def _staff_member(city: int, n: int, version: int) -> dict[str, str]:
    name = person_name(n)
    return {
        "name": name,
        "title": f"{TITLES[n % len(TITLES)]} {1 + n % 3}",
        "department": DEPARTMENTS[(n // 7) % len(DEPARTMENTS)],
        "email": f"{name.lower().replace(' ', '.')}@city{city:02d}.test",
        "phone": f"555-{city:02d}{n % 100:02d}-{n:04d}",
    }


def _event(city: int, e: int, meetings: int, modified: str) -> dict[str, Any]:
    event_id = city * 100_000 + e + 1
    day = COLD_DAY + dt.timedelta(days=-240 + (e * 365) // max(meetings, 1))  # one year
    body = e % len(BODIES)
    return {
        "EventId": event_id,
        "EventGuid": f"{event_id:032X}",
        "EventLastModifiedUtc": modified,
        "EventBodyId": body + 1,
        "EventBodyName": BODIES[body],
        "EventDate": f"{day.isoformat()}T00:00:00",
        "EventTime": "6:30 PM" if e % 3 else "17:30",
        "EventAgendaStatusName": "Final",
        "EventMinutesStatusName": "Draft",
        "EventLocation": "City Hall, 100 Main Street",
        "EventAgendaFile": None,
        "EventMinutesFile": None,
        "EventComment": None,
        "EventInSiteURL": f"https://city{city:02d}.legistar.test/MeetingDetail.aspx?ID={event_id}",
    }


def _items(event_id: int, count: int) -> list[dict[str, Any]]:
    return [
        {
            "EventItemId": event_id * 100 + i,
            "EventItemEventId": event_id,
            "EventItemAgendaSequence": i + 1,
            "EventItemAgendaNumber": f"{i + 1}.",
            "EventItemTitle": ITEM_TITLES[i % len(ITEM_TITLES)].format(n=event_id),
            "EventItemMatterFile": f"ORD {event_id}-{i}" if i % 2 else None,
            "EventItemMatterType": "Ordinance" if i % 2 else None,
            "EventItemActionName": None,
            "EventItemMover": None,
            "EventItemSeconder": None,
            "EventItemAgendaNote": None,
        }
        for i in range(count)
    ]


def build_city(number: int, shape: Shape, version: int, changes: DayChanges = DAY_CHANGES) -> City:
    """The city as published in ``version`` (0: cold day, 1: after an ordinary day)."""
    city = City(number)
    for n in range(shape.staff):
        city.staff[n] = _staff_member(number, n, version)
    base = "2026-02-20T15:04:05.12"
    for e in range(shape.meetings):
        event = _event(number, e, shape.meetings, base)
        city.events.append(event)
        city.items[event["EventId"]] = _items(event["EventId"], ITEMS_PER_MEETING)
    for p in range(OFFICIALS):
        pid = number * 1000 + p + 1
        name = person_name(3000 + p * 7 + number)
        city.persons.append(
            {"PersonId": pid, "PersonFullName": name, "PersonEmail": None, "PersonPhone": None}
        )
        city.office_records.append(
            {
                "OfficeRecordId": pid * 10,
                "OfficeRecordPersonId": pid,
                "OfficeRecordFullName": name,
                "OfficeRecordTitle": "Council Member" if p < 9 else "Commissioner",
                "OfficeRecordBodyName": "City Council" if p < 9 else "Planning Commission",
                "OfficeRecordStartDate": "2024-01-01T00:00:00",
                "OfficeRecordEndDate": "2027-12-31T00:00:00",
            }
        )
    for k in range(CANDIDATES):
        city.candidates.append(_candidate(number, k))
    if version >= 1:
        _ordinary_day(city, shape, changes)
    return city


def _candidate(city: int, k: int) -> dict[str, str]:
    return {
        "Candidate Name": person_name(3300 + k * 11 + city),
        "Office": "Council Member",
        "District": f"Ward {1 + k % 6}",
        "Party": "Nonpartisan",
        "Date Filed": (dt.date(2026, 1, 5) + dt.timedelta(days=k * 3)).isoformat(),
        "Status": "Qualified",
    }


def _ordinary_day(city: City, shape: Shape, changes: DayChanges) -> None:
    """Hires, departures, role changes, new and changed meetings, maybe a new candidate."""
    c = city.number
    for k in range(changes.departures):
        city.staff.pop((c * 37 + k * 611 + 5) % shape.staff, None)
    for k in range(changes.role_changes):
        n = (c * 53 + k * 467 + 11) % shape.staff
        if n in city.staff:
            city.staff[n]["title"] = "Senior " + city.staff[n]["title"]
    for k in range(changes.hires):
        n = shape.staff + k
        city.staff[n] = _staff_member(c, n, 1)
    modified = "2026-03-02T21:10:00.5"
    for k in range(changes.new_meetings):
        event = _event(c, shape.meetings + k, shape.meetings, modified)
        event["EventDate"] = f"{COLD_DAY + dt.timedelta(days=20 + k * 7)}T00:00:00"
        city.events.append(event)
        city.items[event["EventId"]] = _items(event["EventId"], ITEMS_PER_MEETING)
    for k in range(min(changes.changed_meetings, len(city.events))):
        event = city.events[(len(city.events) * 3) // 4 - k]
        event["EventLastModifiedUtc"] = modified
        item = _items(event["EventId"], ITEMS_PER_MEETING + 1)[-1]
        item["EventItemTitle"] = "Grant agreement for child care facility renovation"
        city.items[event["EventId"]].append(item)
    if changes.candidate_every and c % changes.candidate_every == 0:
        city.candidates.append(_candidate(c, CANDIDATES))


# --- what each address answers --------------------------------------------------------


def staff_rows(city: City) -> list[dict[str, str]]:
    """The directory's order: by last name, then first name, as city sites list people."""
    return sorted(city.staff.values(), key=lambda p: (p["name"].split()[-1], p["name"]))


def directory_page(city: City, page: int, per_page: int) -> bytes | None:
    """One page of the HTML directory (None past the last page)."""
    people = staff_rows(city)
    start = (page - 1) * per_page
    if page < 1 or (start >= len(people) and page > 1):
        return None
    rows = "".join(
        f"<tr><td><a href='/{city.slug}/people/{start + i}'>{p['name']}</a></td>"
        f"<td>{p['title']}</td><td>{p['department']}</td>"
        f"<td><a href='mailto:{p['email']}'>Email</a></td><td>{p['phone']}</td></tr>"
        for i, p in enumerate(people[start : start + per_page])
    )
    more = start + per_page < len(people)
    pager = f"<a href='/{city.slug}/directory?page={page + 1}'>Next</a>" if more else ""
    return (
        "<!DOCTYPE html><html><head><title>Staff directory</title></head><body>"
        "<h1>Staff directory</h1><table><thead><tr><th>Name</th><th>Title</th>"
        "<th>Department</th><th>Email</th><th>Phone</th></tr></thead>"
        f"<tbody>{rows}</tbody></table><nav>{pager}</nav></body></html>"
    ).encode()


def staff_json(city: City) -> bytes:
    return json.dumps({"records": staff_rows(city)}).encode()


def candidates_csv(city: City) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(city.candidates[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(city.candidates)
    return out.getvalue().encode()


def sources(shape: Shape, base: str) -> list[dict[str, Any]]:
    """Each city's configuration block (``jurisdictions`` of civicradar.yaml)."""
    cities = []
    for c in range(shape.cities):
        slug = f"city{c:02d}"
        blocks: list[dict[str, Any]] = [
            {
                "id": "directory",
                "type": "staff_directory",
                "platform": "html_table",
                "url": f"{base}/{slug}/directory",
            },
            {
                "id": "open-data",
                "type": "staff_directory",
                "platform": "json",
                "url": f"{base}/{slug}/staff.json",
                "params": {"records_path": "records"},
            },
            {
                "id": "council",
                "type": "agendas",
                "platform": "legistar",
                "client": slug,
                "base_url": f"{base}/legistar",
                "fetch_documents": False,
            },
            {
                "id": "candidates",
                "type": "candidate_list",
                "platform": "csv",
                "url": f"{base}/{slug}/candidates.csv",
                "election": ELECTION,
            },
        ]
        if shape.has_officials(c):
            blocks.append(
                {
                    "id": "officials",
                    "type": "staff_directory",
                    "platform": "legistar",
                    "client": slug,
                    "base_url": f"{base}/legistar",
                }
            )
        cities.append(
            {
                "id": slug,
                "name": f"City {c:02d}",
                "timezone": "America/Chicago",
                "sources": blocks,
            }
        )
    return cities


def entry_pages(shape: Shape, base: str, day: dt.date) -> list[str]:
    """The first address each source reads: what a page watcher such as urlwatch is given."""
    first = day - dt.timedelta(days=30)
    after = day + dt.timedelta(days=121)
    window = f"EventDate ge datetime'{first}' and EventDate lt datetime'{after}'"
    urls = []
    for city in sources(shape, base):
        for s in city["sources"]:
            if s["platform"] != "legistar":
                urls.append(s["url"])
            elif s["type"] == "agendas":
                query = urlencode({"$filter": window, "$orderby": "EventId"}, quote_via=quote)
                urls.append(f"{base}/legistar/{city['id']}/events?{query}")
            else:
                urls.append(f"{base}/legistar/{city['id']}/persons")
    return urls
