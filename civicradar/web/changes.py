"""The change log on the web: the index page, one change's page, the RSS/Atom feeds and
``/api/changes``. Pages show a change without its raw data, so never an address."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from civicradar import clock
from civicradar.alerts.feed import MEDIA_TYPES, build_feed, change_link, jurisdiction_names
from civicradar.alerts.kinds import KIND_ORDER, details, kind_label
from civicradar.alerts.public import public_change
from civicradar.config.schema import Config
from civicradar.models.queries import find_change, list_changes
from civicradar.models.tables import Change
from civicradar.web.params import MAX_LIMIT, date, kinds, limit, rows_answer
from civicradar.web.rendering import page
from civicradar.web.state import config_of, store_of


def _newest_changes(request: Request, default_limit: int) -> list[Change]:
    """The changes the query's ``since``, ``kind``, ``jurisdiction`` and ``limit`` select."""
    config = config_of(request)
    since = date(request, "since")
    with store_of(request).session() as session:
        return list_changes(
            session,
            since=clock.start_of_day(since, config.schedule.timezone) if since else None,
            kinds=kinds(request),
            jurisdiction=request.query_params.get("jurisdiction") or None,
            limit=limit(request, default_limit),
            newest_first=True,
        )


def _view(change: Change, names: dict[str, str], config: Config) -> dict[str, Any]:
    """What a page shows of a change: no raw data, so no addresses."""
    return {
        "id": change.id,
        "kind": change.kind,
        "kind_label": kind_label(change.kind, plural=False),
        "jurisdiction": names.get(change.jurisdiction_id, change.jurisdiction_id),
        "source": change.source_key,
        "detected_at": change.detected_at,
        "summary": change.summary,
        "link": change_link(change, config.alerts.feed),
        "details": details(change),
        "json": public_change(change),
    }


async def index(request: Request) -> Response:
    config = config_of(request)
    changes = _newest_changes(request, 100)
    with store_of(request).session() as session:
        names = jurisdiction_names(session, config)
    jurisdiction = request.query_params.get("jurisdiction") or ""
    wanted = kinds(request)
    return page(
        request,
        "index.html",
        {
            "changes": [_view(c, names, config) for c in changes],
            "names": names,
            "kinds": [(k, kind_label(k)) for k in KIND_ORDER],
            "jurisdiction": jurisdiction,
            "kind": wanted[0] if wanted else "",
            "feed_query": request.url.query,
        },
    )


async def change_page(request: Request) -> Response:
    config = config_of(request)
    with store_of(request).session() as session:
        change = find_change(session, request.path_params["change_id"])
        names = jurisdiction_names(session, config)
    if change is None:
        return page(request, "missing.html", {}, status=404)
    return page(request, "change.html", {"change": _view(change, names, config)})


async def _feed(request: Request, fmt: str) -> Response:
    jurisdiction = request.query_params.get("jurisdiction") or None
    body, _count = build_feed(
        store_of(request),
        config_of(request),
        fmt=fmt,
        jurisdiction=jurisdiction,
        kinds=kinds(request),
        self_url=str(request.url),
    )
    return Response(body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8")


async def rss_feed(request: Request) -> Response:
    return await _feed(request, "rss")


async def atom_feed(request: Request) -> Response:
    return await _feed(request, "atom")


async def api_changes(request: Request) -> Response:
    rows = [public_change(c) for c in _newest_changes(request, MAX_LIMIT)]
    return rows_answer(request, rows, "changes")


async def api_change(request: Request) -> Response:
    with store_of(request).session() as session:
        change = find_change(session, request.path_params["change_id"])
    if change is None:
        return JSONResponse({"error": "no such change"}, status_code=404)
    return JSONResponse(public_change(change))


ROUTES = [
    Route("/", index),
    Route("/changes/{change_id:int}", change_page),
    Route("/feed.rss", rss_feed),
    Route("/feed.atom", atom_feed),
    Route("/api/changes", api_changes),
    Route("/api/changes/{change_id:int}", api_change),
]
