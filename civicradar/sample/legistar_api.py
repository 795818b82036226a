"""A small Legistar-compatible Web API on 127.0.0.1, for the demo, the tests and the benchmark.

It serves ``/{client}/bodies``, ``/events``, ``/events/{id}/eventitems``, ``/persons`` and
``/officerecords`` with the OData subset the real API is used with: ``$filter`` clauses
such as ``EventDate ge datetime'2026-01-01'`` joined by ``and``, ``$orderby``, and
``$top``/``$skip`` paging capped at 1,000 rows. A filter it cannot read is an HTTP 400
with a JSON ``Message``, like the real service; a client may require a ``token``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

MAX_ROWS = 1000
RESOURCES = ("bodies", "events", "eventitems", "persons", "officerecords")
SAMPLE = Path(__file__).parent

_CLAUSE = re.compile(
    r"^\s*(?P<field>[A-Za-z]+)\s+(?P<op>eq|ne|gt|ge|lt|le)\s+"
    r"(?:datetime'(?P<date>[^']*)'|'(?P<text>[^']*)'|(?P<number>-?\d+)|(?P<null>null))\s*$"
)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_OPS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


class ODataError(ValueError):
    """A query the API refuses (HTTP 400 with this message)."""


@dataclass
class ClientData:
    """One Legistar client's rows, as the API's JSON objects."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    eventitems: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    officerecords: list[dict[str, Any]] = field(default_factory=list)

    def items_of(self, event_id: int) -> list[dict[str, Any]]:
        """The items of one event (the flat list holds every event's items)."""
        return [item for item in self.eventitems if item.get("EventItemEventId") == event_id]

    @classmethod
    def from_folders(cls, *folders: Path) -> ClientData:
        """Each resource from the last folder that has ``<resource>.json`` (days overlay)."""
        data = cls()
        for resource in RESOURCES:
            for folder in folders:
                path = folder / f"{resource}.json"
                if path.is_file():
                    setattr(data, resource, json.loads(path.read_text(encoding="utf-8")))
        return data


# --- OData subset ---------------------------------------------------------------------


def _value(text: str) -> Any:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return text


def parse_filter(expression: str) -> list[tuple[str, str, Any]]:
    clauses = []
    for part in _AND.split(expression.strip()):
        found = _CLAUSE.match(part)
        if not found:
            raise ODataError(
                f"The query specified in the URI is not valid. Syntax error at '{part}'."
            )
        if found["date"] is not None:
            try:
                literal: Any = dt.datetime.fromisoformat(found["date"])
            except ValueError:
                raise ODataError(
                    f"The query specified in the URI is not valid. "
                    f"Unrecognized 'Edm.DateTime' literal 'datetime'{found['date']}''."
                ) from None
        elif found["text"] is not None:
            literal = found["text"]
        elif found["number"] is not None:
            literal = int(found["number"])
        else:
            literal = None
        clauses.append((found["field"], found["op"], literal))
    return clauses


def _keep(row: dict[str, Any], clauses: list[tuple[str, str, Any]]) -> bool:
    for name, op, literal in clauses:
        value = row.get(name)
        if isinstance(value, str) and isinstance(literal, dt.datetime):
            value = _value(value)
        if literal is None or value is None:
            # OData: only eq/ne compare with null; any other comparison with null is false.
            if op not in ("eq", "ne") or not _OPS[op](value is None, literal is None):
                return False
            continue
        try:
            if not _OPS[op](value, literal):
                return False
        except TypeError:
            return False
    return True


def apply_query(rows: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
    """``$filter``, ``$orderby``, ``$skip`` and ``$top`` (at most 1,000 rows) over rows."""
    selected = rows
    if query.get("$filter"):
        clauses = parse_filter(query["$filter"])
        fields = set().union(*(row.keys() for row in rows[:50])) if rows else set()
        for name, _op, _literal in clauses:
            if fields and name not in fields:
                raise ODataError(f"Could not find a property named '{name}' on type 'Legistar'.")
        selected = [row for row in rows if _keep(row, clauses)]
    if query.get("$orderby"):
        name, _, direction = query["$orderby"].strip().partition(" ")
        selected = sorted(
            selected,
            key=lambda row: (row.get(name) is None, row.get(name) or 0),
            reverse=direction.strip().lower() == "desc",
        )
    try:
        skip = int(query.get("$skip") or 0)
        top = min(int(query.get("$top") or MAX_ROWS), MAX_ROWS)
    except ValueError:
        raise ODataError(
            "The query specified in the URI is not valid. $top and $skip take integers."
        ) from None
    return selected[skip : skip + top]


# --- the HTTP server ------------------------------------------------------------------


@dataclass
class Fault:
    """A scripted failure for one client and resource: a status and a raw body."""

    status: int
    body: str
    content_type: str = "application/json; charset=utf-8"


class _BackloggedServer(ThreadingHTTPServer):
    """A listen backlog for a whole crawl's concurrency; the default of 5 drops connections."""

    request_queue_size = 128
    daemon_threads = True


class LegistarServer:
    """Serves clients' data on 127.0.0.1 (a random port unless given); swap ``clients`` at will.

    ``requests`` logs (path, query) of every request so callers can count what a crawl cost.
    """

    def __init__(
        self,
        clients: dict[str, ClientData] | None = None,
        *,
        token: str | None = None,
        port: int = 0,
    ) -> None:
        self.clients: dict[str, ClientData] = clients or {}
        self.token = token
        self.faults: dict[tuple[str, str], Fault] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        handler = _handler(self)
        self.httpd = _BackloggedServer(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LegistarServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> LegistarServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def count(self, resource: str, client: str | None = None) -> int:
        """How many requests asked for a resource (``eventitems``, ``events`` ...)."""
        total = 0
        for path, _query in self.requests:
            parts = path.strip("/").split("/")
            if len(parts) >= 2 and (client is None or parts[0] == client) and parts[-1] == resource:
                total += 1
        return total

    def reply(self, path: str, query: dict[str, str]) -> tuple[int, str, str]:
        """(status, content type, body) for one GET."""
        with self._lock:
            self.requests.append((path, query))
        json_type = "application/json; charset=utf-8"
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if not parts or parts[0] not in self.clients:
            if parts == ["robots.txt"]:
                return 404, "text/plain", "no robots.txt"
            return 404, json_type, json.dumps({"Message": f"No client found for {path}"})
        if self.token is not None and query.get("token") != self.token:
            return 401, json_type, json.dumps({"Message": "Token is required or invalid."})
        client, data = parts[0], self.clients[parts[0]]
        resource = parts[-1]
        fault = self.faults.get((client, resource))
        if fault is not None:
            return fault.status, fault.content_type, fault.body
        if len(parts) == 2 and resource in ("bodies", "events", "persons", "officerecords"):
            rows = getattr(data, resource)
        elif len(parts) == 4 and parts[1] == "events" and resource == "eventitems":
            try:
                rows = data.items_of(int(parts[2]))
            except ValueError:
                return 400, json_type, json.dumps({"Message": "The request is invalid."})
        else:
            return 404, json_type, json.dumps({"Message": f"No HTTP resource matches {path}"})
        try:
            return 200, json_type, json.dumps(apply_query(rows, query))
        except ODataError as exc:
            return 400, json_type, json.dumps({"Message": str(exc)})


def _handler(server: LegistarServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            status, content_type, text = server.reply(parts.path, query)
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
