"""The store's listings on the web API: what ``meetings``, ``people``, ``turnover``,
``candidates`` and ``sources`` print, with the same filters, as JSON or (``?format=csv``) CSV.

Each endpoint calls the query the CLI command calls, so the answers are the same rows;
candidate rows never hold an address (the queries never select one).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from civicradar import clock
from civicradar.models import candidate_queries, staff_queries
from civicradar.models.queries import list_meetings, meeting_row
from civicradar.models.source_queries import sources_status
from civicradar.output import plain_rows
from civicradar.web.params import (
    BadQuery,
    candidate_filter,
    date,
    flag,
    rows_answer,
    staff_filter,
    text,
)
from civicradar.web.state import config_of, store_of


async def meetings(request: Request) -> Response:
    with store_of(request).session() as session:
        rows = [
            meeting_row(m)
            for m in list_meetings(
                session,
                jurisdiction=text(request, "jurisdiction"),
                since=date(request, "since"),
                until=date(request, "until"),
                body=text(request, "body"),
            )
        ]
    return rows_answer(request, rows, "meetings")


async def people(request: Request) -> Response:
    filters = staff_filter(request)
    with store_of(request).session() as session:
        rows = staff_queries.current_people(
            session, filters, since=date(request, "since"), until=date(request, "until")
        )
    return rows_answer(request, rows, "people")


async def turnover(request: Request) -> Response:
    filters = staff_filter(request)
    stayed = date(request, "stayed_through")
    since, until = date(request, "since"), date(request, "until")
    rate = flag(request, "rate")
    if stayed and rate:
        raise BadQuery("choose one of stayed_through and rate")
    with store_of(request).session() as session:
        if stayed:
            rows = staff_queries.stayed_through(session, filters, stayed)
            listing = "stayed_through"
        elif rate:
            rows = [
                r
                for r in staff_queries.turnover_rate(session, filters, today=clock.now().date())
                if (not since or r["year"] >= since.year) and (not until or r["year"] <= until.year)
            ]
            listing = "turnover_rate"
        else:
            rows = staff_queries.turnover(session, filters, since=since, until=until)
            listing = "turnover"
    return rows_answer(request, rows, listing)


async def candidates(request: Request) -> Response:
    filters = candidate_filter(request)
    zones = config_of(request).zones()
    with store_of(request).session() as session:
        rows = candidate_queries.candidates(session, filters, clock.now(), zones)
    return rows_answer(request, rows, "candidates")


async def calendar(request: Request) -> Response:
    filters = candidate_filter(request)
    zones = config_of(request).zones()
    with store_of(request).session() as session:
        rows = candidate_queries.calendar(session, filters, clock.now(), zones)
    return rows_answer(request, rows, "calendar")


async def sources(request: Request) -> Response:
    """Each source's last crawl and open problem, as ``sources --format json`` prints it."""
    with store_of(request).session() as session:
        rows = sources_status(session)
    return JSONResponse(plain_rows(rows))


ROUTES = [
    Route("/api/meetings", meetings),
    Route("/api/people", people),
    Route("/api/turnover", turnover),
    Route("/api/candidates", candidates),
    Route("/api/candidates/calendar", calendar),
    Route("/api/sources", sources),
]
