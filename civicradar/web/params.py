"""Reading the web app's query parameters, and answering a listing as JSON or CSV.

The API takes the CLI's filters under the same names (``?jurisdiction=&since=``) and
answers with the rows the CLI prints: ``--format json`` by default, ``?format=csv`` for
the CLI's CSV, rendered by the same code (``civicradar.output``). A bad value is a
:class:`BadQuery`, which the app turns into a 400 with a JSON ``error``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from civicradar.alerts.kinds import KIND_ORDER
from civicradar.models.candidate_queries import STATUSES, CandidateFilter
from civicradar.models.offices import office_matcher
from civicradar.models.staff_queries import StaffFilter
from civicradar.output import COLUMNS, plain_rows, render

MAX_LIMIT = 1000
TRUE = ("1", "true", "yes", "on")


class BadQuery(ValueError):
    """A query parameter the API cannot use; answered with 400 and the message."""


async def bad_query(request: Request, exc: Exception) -> Response:
    """The app's handler for :class:`BadQuery`: a 400 with a JSON ``error``."""
    return JSONResponse({"error": str(exc)}, status_code=400)


def kinds(request: Request) -> list[str]:
    """``kind`` repeated or comma-separated; each must be a known change kind."""
    found = [k for raw in request.query_params.getlist("kind") for k in raw.split(",") if k]
    unknown = [k for k in found if k not in KIND_ORDER]
    if unknown:
        raise BadQuery(f"unknown kind {unknown[0]!r}; expected one of {', '.join(KIND_ORDER)}")
    return found


def date(request: Request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"{name}: expected a date as YYYY-MM-DD, got {value!r}") from None


def limit(request: Request, default: int) -> int:
    value = request.query_params.get("limit")
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadQuery(f"limit: expected a number from 1 to {MAX_LIMIT}")
    return int(value)


def flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in TRUE


def text(request: Request, name: str) -> str | None:
    return request.query_params.get(name) or None


def staff_filter(request: Request) -> StaffFilter:
    """The filters ``people`` and ``turnover`` share."""
    role = text(request, "role")
    if role not in (None, "staff", "official"):
        raise BadQuery(f"role: expected staff or official, got {role!r}")
    return StaffFilter(
        jurisdiction=text(request, "jurisdiction"),
        department=text(request, "department"),
        title=text(request, "title"),
        role=role,
    )


def candidate_filter(request: Request) -> CandidateFilter:
    """``candidates``' filters: without ``since`` or ``all=1``, elections from each
    jurisdiction's today on (and undated ones), as on the command line."""
    status = text(request, "status")
    if status not in (None, *STATUSES):
        raise BadQuery(f"status: expected one of {', '.join(STATUSES)}, got {status!r}")
    since = date(request, "since")
    return CandidateFilter(
        jurisdiction=text(request, "jurisdiction"),
        election=text(request, "election"),
        since=since,
        until=date(request, "until"),
        status=status,
        office=office_matcher(text(request, "office")),
        upcoming=since is None and not flag(request, "all"),
    )


def rows_answer(request: Request, rows: Sequence[dict[str, Any]], listing: str) -> Response:
    """The rows as the CLI's ``--format json`` (default) or ``--format csv`` prints them."""
    fmt = request.query_params.get("format") or "json"
    if fmt == "json":
        return JSONResponse(plain_rows(rows))
    if fmt == "csv":
        out = io.StringIO()
        render(rows, "csv", columns=COLUMNS[listing], out=out)
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{listing}.csv"'},
        )
    raise BadQuery(f"format: expected json or csv, got {fmt!r}")
