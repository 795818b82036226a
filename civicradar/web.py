"""The read-only web app behind ``civicradar serve``: feeds, a JSON API and a few HTML pages.

Everything is GET. Any other method is refused with 405, unless it carries the
``web.token`` bearer token (then it reaches the route, e.g. ``POST /api/run``); a wrong
token is a 401. Pages are Jinja2 templates with autoescaping, so crawled text stays text,
and a strict Content-Security-Policy means nothing on a page can run script anyway.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from civicradar import clock
from civicradar.alerts.feed import MEDIA_TYPES, build_feed, change_link, jurisdiction_names
from civicradar.alerts.kinds import KIND_ORDER, details, kind_label
from civicradar.alerts.public import public_change
from civicradar.config.schema import Config
from civicradar.models.queries import list_changes
from civicradar.models.store import Store
from civicradar.models.tables import Change
from civicradar.scheduler import Scheduler
from civicradar.web_api import listing_routes
from civicradar.web_pages import page_routes
from civicradar.web_params import MAX_LIMIT, BadQuery, date, kinds, limit, rows_answer

TEMPLATES = Path(__file__).parent / "web_templates"
READ_METHODS = {"GET", "HEAD"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class ReadOnly(BaseHTTPMiddleware):
    """Refuse writes unless authenticated with the configured bearer token."""

    def __init__(self, app: Any, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method not in READ_METHODS:
            given = request.headers.get("authorization", "")
            if not given:
                return PlainTextResponse(
                    "read-only: only GET is allowed",
                    status_code=405,
                    headers={"Allow": "GET, HEAD"},
                )
            scheme, _, value = given.partition(" ")
            ok = (
                self.token is not None
                and scheme.lower() == "bearer"
                and hmac.compare_digest(value.strip().encode(), self.token.encode())
            )
            if not ok:
                return PlainTextResponse(
                    "invalid token", status_code=401, headers={"WWW-Authenticate": "Bearer"}
                )
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def create_app(config: Config, store: Store, scheduler: Scheduler | None = None) -> Starlette:
    """The Starlette app for one configuration and store."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    )
    templates = Jinja2Templates(env=environment)

    def feed(fmt: str):
        async def endpoint(request: Request) -> Response:
            jurisdiction = request.query_params.get("jurisdiction") or None
            body, _count = build_feed(
                store,
                config,
                fmt=fmt,
                jurisdiction=jurisdiction,
                kinds=kinds(request),
                self_url=str(request.url),
            )
            return Response(body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8")

        return endpoint

    def changes_query(request: Request, default_limit: int) -> list[Change]:
        since = date(request, "since")
        with store.session() as session:
            return list_changes(
                session,
                since=clock.start_of_day(since, config.schedule.timezone) if since else None,
                kinds=kinds(request),
                jurisdiction=request.query_params.get("jurisdiction") or None,
                limit=limit(request, default_limit),
                newest_first=True,
            )

    async def api_changes(request: Request) -> Response:
        rows = [public_change(c) for c in changes_query(request, MAX_LIMIT)]
        return rows_answer(request, rows, "changes")

    async def api_change(request: Request) -> Response:
        with store.session() as session:
            change = session.get(Change, request.path_params["change_id"])
        if change is None:
            return JSONResponse({"error": "no such change"}, status_code=404)
        return JSONResponse(public_change(change))

    async def api_sources(request: Request) -> Response:
        from civicradar.output import _plain
        from civicradar.pipeline import sources_status

        rows = [{k: _plain(v) for k, v in row.items()} for row in sources_status(store)]
        return JSONResponse(rows)

    async def api_run(request: Request) -> Response:
        if scheduler is None:
            return JSONResponse({"error": "scheduling is off (--no-schedule)"}, status_code=409)
        if not scheduler.trigger():
            return JSONResponse({"error": "a run is already in progress"}, status_code=409)
        return JSONResponse({"started": True}, status_code=202)

    async def api_status(request: Request) -> Response:
        return JSONResponse({"schedule": scheduler.status() if scheduler else None})

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        return templates.TemplateResponse(
            request, name, {"title": config.alerts.feed.title, **context}, status_code=status
        )

    async def index(request: Request) -> Response:
        changes = changes_query(request, 100)
        with store.session() as session:
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
        with store.session() as session:
            change = session.get(Change, request.path_params["change_id"])
            names = jurisdiction_names(session, config)
        if change is None:
            return page(request, "missing.html", {}, status=404)
        return page(request, "change.html", {"change": _view(change, names, config)})

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def bad_query(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": str(exc)}, status_code=400)

    routes = [
        Route("/", index),
        Route("/changes/{change_id:int}", change_page),
        Route("/feed.rss", feed("rss")),
        Route("/feed.atom", feed("atom")),
        Route("/api/changes", api_changes),
        Route("/api/changes/{change_id:int}", api_change),
        *listing_routes(config, store),
        *page_routes(config, store, page),
        Route("/api/sources", api_sources),
        Route("/api/status", api_status),
        Route("/api/run", api_run, methods=["POST"]),
        Route("/healthz", healthz),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(ReadOnly, token=config.web.token)],
        exception_handlers={BadQuery: bad_query},
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
