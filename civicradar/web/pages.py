"""HTML pages over the store: upcoming meetings, the people listed now, and the election
calendar with its candidates.

Each page reads the same queries as the API and the CLI. Crawled text reaches the
templates as plain strings (Jinja2 escapes it); a crawled link is passed on only through
``safe_url`` (absolute http/https), and no home address is ever selected.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from civicradar import clock
from civicradar.alerts.feed import jurisdiction_names
from civicradar.alerts.public import safe_url
from civicradar.models import candidate_queries, staff_queries
from civicradar.models.queries import list_changes, list_meetings
from civicradar.models.tables import Change, Meeting
from civicradar.web.params import candidate_filter, date, flag, staff_filter, text
from civicradar.web.rendering import page
from civicradar.web.state import config_of, store_of

MAX_ROWS = 500
"""Rows a page shows; the CSV link beside it has them all."""


def csv_link(request: Request, api_path: str) -> str:
    """The API's CSV of what this page shows (the same filters)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "format" and v]
    return f"{api_path}?{urlencode([*params, ('format', 'csv')])}"


def _when(meeting: Meeting) -> str:
    """The local date, and the local time with its zone when the source gave one."""
    if meeting.time_known and meeting.start is not None:
        return meeting.start.strftime("%a %d %b %Y, %H:%M %Z")
    return meeting.meeting_date.strftime("%a %d %b %Y")


def _matches_by_meeting(changes: list[Change]) -> dict[int, list[dict[str, Any]]]:
    """The agenda items that matched the initiative, from the change log, per meeting."""
    found: dict[int, list[dict[str, Any]]] = {}
    for change in changes:
        data = change.data or {}
        if isinstance(data.get("meeting_id"), int):
            found.setdefault(data["meeting_id"], []).append(
                {
                    "change_id": change.id,
                    "item_title": str(data.get("item_title") or change.summary),
                    "terms": ", ".join(str(t) for t in data.get("matched_terms") or []),
                }
            )
    return found


def _meeting_view(meeting: Meeting, names: dict[str, str], matches: list[dict]) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "jurisdiction": names.get(meeting.jurisdiction_id, meeting.jurisdiction_id),
        "when": _when(meeting),
        "body": meeting.body_name,
        "title": meeting.title if meeting.title and meeting.title != meeting.body_name else "",
        "status": meeting.status,
        "location": meeting.location,
        "item_count": len(meeting.items),
        "link": safe_url(meeting.url),
        "agenda": safe_url(meeting.agenda_url),
        "minutes": safe_url(meeting.minutes_url),
        "matches": matches,
    }


def _candidate_view(row: dict[str, Any]) -> dict[str, Any]:
    """A candidate as the page shows them: contact details from the filing, no address."""
    website = row.get("website")
    return {
        "name": row["name"],
        "party": row.get("party"),
        "status": row["status"],
        "status_text": row.get("status_text"),
        "filed_on": row.get("filed_on"),
        "email": row.get("email"),
        "phone": row.get("phone"),
        "website": safe_url(website),
        "website_text": None if safe_url(website) else website,
        "incumbent": row.get("incumbent"),
        "insider": row.get("insider"),
        "running": row["status"] in candidate_queries.ACTIVE,
    }


def _elections(
    calendar: list[dict[str, Any]], rows: list[dict[str, Any]], names: dict[str, str]
) -> list[dict[str, Any]]:
    """The calendar's elections, each with its office counts and its candidates by office."""
    elections: dict[tuple, dict[str, Any]] = {}
    for entry in calendar:
        key = (entry["jurisdiction"], entry["election"], entry["election_date"])
        election = elections.setdefault(
            key,
            {
                "jurisdiction": names.get(entry["jurisdiction"], entry["jurisdiction"]),
                "name": entry["election"],
                "date": entry["election_date"],
                "days_remaining": entry["days_remaining"],
                "counts": [],
                "offices": {},
            },
        )
        if entry["office"]:
            election["counts"].append(entry)
    for row in rows:
        key = (row["jurisdiction"], row["election"], row["election_date"])
        if key not in elections:
            continue
        office = elections[key]["offices"].setdefault(
            row["office_key"],
            {
                "label": candidate_queries.office_with_district(row["office"], row.get("district")),
                "candidates": [],
            },
        )
        office["candidates"].append(_candidate_view(row))
    return list(elections.values())


async def meetings(request: Request) -> Response:
    config, store = config_of(request), store_of(request)
    jurisdiction, body = text(request, "jurisdiction"), text(request, "body")
    since, until = date(request, "since"), date(request, "until")
    with store.session() as session:
        names = jurisdiction_names(session, config)
        today = candidate_queries.local_today(session, clock.now(), config.zones())
        start = since or min(today.values(), default=None)
        found = list_meetings(
            session, jurisdiction=jurisdiction, since=start, until=until, body=body
        )
        if since is None:  # upcoming: from today's date where each meeting takes place
            found = [m for m in found if m.meeting_date >= today[m.jurisdiction_id]]
        matches = _matches_by_meeting(
            list_changes(session, kinds=["agenda_match"], jurisdiction=jurisdiction)
        )
        shown = [_meeting_view(m, names, matches.get(m.id, [])) for m in found[:MAX_ROWS]]
    return page(
        request,
        "meetings.html",
        {
            "meetings": shown,
            "total": len(found),
            "names": names,
            "jurisdiction": jurisdiction or "",
            "body": body or "",
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
            "csv": csv_link(request, "/api/meetings"),
        },
    )


async def people(request: Request) -> Response:
    config, store = config_of(request), store_of(request)
    filters = staff_filter(request)
    with store.session() as session:
        names = jurisdiction_names(session, config)
        rows = staff_queries.current_people(session, filters)
    return page(
        request,
        "people.html",
        {
            "people": [
                {**r, "jurisdiction": names.get(r["jurisdiction"], r["jurisdiction"])}
                for r in rows[:MAX_ROWS]
            ],
            "total": len(rows),
            "names": names,
            "filters": filters,
            "csv": csv_link(request, "/api/people"),
        },
    )


async def candidates(request: Request) -> Response:
    config, store = config_of(request), store_of(request)
    filters = candidate_filter(request)
    now, where = clock.now(), config.zones()
    with store.session() as session:
        names = jurisdiction_names(session, config)
        calendar = candidate_queries.calendar(session, filters, now, where)
        rows = candidate_queries.candidates(session, filters, now, where)
    return page(
        request,
        "candidates.html",
        {
            "elections": _elections(calendar, rows[: MAX_ROWS * 4], names),
            "total": len(rows),
            "shown": min(len(rows), MAX_ROWS * 4),
            "names": names,
            "jurisdiction": text(request, "jurisdiction") or "",
            "office": text(request, "office") or "",
            "status": filters.status or "",
            "everything": flag(request, "all"),
            "csv": csv_link(request, "/api/candidates"),
        },
    )


ROUTES = [
    Route("/meetings", meetings),
    Route("/people", people),
    Route("/candidates", candidates),
]
