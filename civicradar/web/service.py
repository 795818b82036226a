"""The service's own state: ``/healthz``, the daily schedule (``/api/status``) and starting
a run now (``POST /api/run``, which needs the ``web.token``; see ``middleware.py``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from civicradar.web.state import scheduler_of


async def api_run(request: Request) -> Response:
    scheduler = scheduler_of(request)
    if scheduler is None:
        return JSONResponse({"error": "scheduling is off (--no-schedule)"}, status_code=409)
    if not scheduler.trigger():
        return JSONResponse({"error": "a run is already in progress"}, status_code=409)
    return JSONResponse({"started": True}, status_code=202)


async def api_status(request: Request) -> Response:
    scheduler = scheduler_of(request)
    return JSONResponse({"schedule": scheduler.status() if scheduler else None})


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


ROUTES = [
    Route("/api/status", api_status),
    Route("/api/run", api_run, methods=["POST"]),
    Route("/healthz", healthz),
]
