"""Serving the simulated region (``bench/region.py``) on 127.0.0.1 from a separate process.

The process answers like ordinary web servers: every reply carries an ``ETag`` (a digest
of the body) and a ``Last-Modified`` (when that address last changed), and a request that
brings either back unchanged gets a ``304``. It also runs an SMTP sink for the digests,
counts what each client (by User-Agent: CivicRadar, urlwatch) cost it, and reports its own
CPU time, so the server's work is never counted as the crawler's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import json
import multiprocessing
import os
import re
import socket
import sys
import threading
import urllib.request
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from region import (
    BODIES,
    COLD_DAY,
    City,
    Shape,
    build_city,
    candidates_csv,
    directory_page,
    staff_json,
)

VERSION_TIMES = (
    email.utils.format_datetime(dt.datetime(2026, 2, 27, 9, tzinfo=dt.UTC), usegmt=True),
    email.utils.format_datetime(
        dt.datetime.combine(COLD_DAY + dt.timedelta(days=1), dt.time(6), tzinfo=dt.UTC),
        usegmt=True,
    ),
)
"""Last-Modified of content as first published (version 0) and as changed on the ordinary day."""

_LEGISTAR = re.compile(r"^/legistar/(?P<slug>[^/]+)/(?P<what>.+)$")
_CITY = re.compile(r"^/(?P<slug>city\d+)/(?P<what>.+)$")
Reply = tuple[int, str, bytes]


class World:
    """Renders any address of the region in a version; caches cities and bodies."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.version = 0
        self._cities: dict[tuple[int, int], City] = {}
        self._replies: dict[tuple[int, str], Reply] = {}
        self._lock = threading.Lock()

    def city(self, slug: str, version: int) -> City | None:
        number = int(slug.removeprefix("city"))
        if not 0 <= number < self.shape.cities:
            return None
        with self._lock:
            if (number, version) not in self._cities:
                self._cities[(number, version)] = build_city(number, self.shape, version)
            return self._cities[(number, version)]

    def reply(self, target: str, version: int) -> Reply:
        key = (version, target)
        if key not in self._replies:
            self._replies[key] = self._render(target, version)
        return self._replies[key]

    def last_modified(self, target: str, body: bytes, version: int) -> str:
        """The time of the earliest version whose body at this address is the same."""
        for earlier in range(version):
            if self.reply(target, earlier)[2] == body:
                return VERSION_TIMES[earlier]
        return VERSION_TIMES[version]

    def _render(self, target: str, version: int) -> Reply:
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        found = _LEGISTAR.match(parts.path)
        if found:
            return self._legistar(found["slug"], found["what"], query, version)
        found = _CITY.match(parts.path)
        city = self.city(found["slug"], version) if found else None
        if found is None or city is None:
            return 404, "text/plain", b"not found"
        what = found["what"]
        if what == "directory":
            page = directory_page(city, int(query.get("page", "1")), self.shape.per_page)
            if page is not None:
                return 200, "text/html; charset=utf-8", page
        elif what == "staff.json":
            return 200, "application/json", staff_json(city)
        elif what == "candidates.csv":
            return 200, "text/csv; charset=utf-8", candidates_csv(city)
        return 404, "text/plain", b"not found"

    def _legistar(self, slug: str, what: str, query: dict[str, str], version: int) -> Reply:
        from civicradar.sample.legistar_api import ODataError, apply_query

        city = self.city(slug, version)
        if city is None:
            return 404, "application/json", b'{"Message": "client not found"}'
        bodies = [
            {"BodyId": b + 1, "BodyName": name, "BodyTypeName": "Committee", "BodyActiveFlag": 1}
            for b, name in enumerate(BODIES)
        ]
        tables: dict[str, list[dict[str, Any]]] = {
            "bodies": bodies,
            "events": city.events,
            "persons": city.persons,
            "officerecords": city.office_records,
        }
        items = re.fullmatch(r"events/(\d+)/eventitems", what)
        if items:
            rows = city.items.get(int(items[1]), [])
        elif what in tables:
            rows = tables[what]
        else:
            return 404, "application/json", b'{"Message": "No HTTP resource was found."}'
        try:
            selected = apply_query(rows, query)
        except ODataError as exc:
            return 400, "application/json", json.dumps({"Message": str(exc)}).encode()
        return 200, "application/json; charset=utf-8", json.dumps(selected).encode()


def _client(user_agent: str) -> str:
    agent = user_agent.lower()
    return "civicradar" if "civicradar" in agent else "urlwatch" if "urlwatch" in agent else "other"


def _handler(world: World, stats: dict[str, Counter], lock: threading.Lock) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/_bench/"):
                self._control()
                return
            status, content_type, body = world.reply(self.path, world.version)
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            modified = world.last_modified(self.path, body, world.version)
            if status == 200 and _fresh(self.headers, etag, modified):
                status, body = 304, b""
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", content_type)
            if status in (200, 304):
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with lock:
                counts = stats[_client(self.headers.get("User-Agent", ""))]
                counts["requests"] += 1
                counts["bytes"] += len(body)
                counts["not_modified"] += status == 304

        def _control(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/_bench/version":
                world.version = int(parse_qs(parts.query)["v"][0])
            elif parts.path == "/_bench/reset":
                with lock:
                    stats.clear()
            times = os.times()
            with lock:
                reply = {
                    "version": world.version,
                    "clients": {k: dict(v) for k, v in stats.items()},
                    "cpu_s": times.user + times.system,
                }
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _fresh(headers: Any, etag: str, modified: str) -> bool:
    """RFC 9110: If-None-Match decides when present, else If-Modified-Since."""
    tags = headers.get("If-None-Match")
    if tags is not None:
        return any(t.strip().removeprefix("W/") == etag for t in tags.split(","))
    since = headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        return email.utils.parsedate_to_datetime(modified) <= email.utils.parsedate_to_datetime(
            since
        )
    except (TypeError, ValueError):
        return False


class _Backlogged(ThreadingHTTPServer):
    request_queue_size = 512  # a whole crawl's connections at once; the default 5 drops some
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client closing a kept-alive connection is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(shape: Shape, ready: multiprocessing.Queue) -> None:
    from aiosmtpd.controller import Controller

    # The region's servers stand for other machines: on a busy 2-core box they must not
    # starve behind the crawler (and time its requests out), so they run first when allowed.
    with contextlib.suppress(OSError):
        os.nice(-5)

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "250 OK"

    smtp = Controller(Sink(), hostname="127.0.0.1", port=_free_port())
    smtp.start()
    world = World(shape)
    stats: dict[str, Counter] = defaultdict(Counter)
    httpd = _Backlogged(("127.0.0.1", 0), _handler(world, stats, threading.Lock()))
    ready.put((httpd.server_address[1], smtp.port))
    httpd.serve_forever()


class Region:
    """The region's servers in a child process; use as a context manager."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.port = self.smtp_port = 0
        self._process: multiprocessing.Process | None = None

    def __enter__(self) -> Region:
        ready: multiprocessing.Queue = multiprocessing.Queue()
        self._process = multiprocessing.Process(
            target=_serve, args=(self.shape, ready), daemon=True
        )
        self._process.start()
        self.port, self.smtp_port = ready.get(timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.join(10)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _call(self, path: str) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.base}/_bench/{path}", timeout=30) as reply:
            return json.loads(reply.read())

    def publish(self, version: int) -> None:
        """Serve this version of the world from now on."""
        self._call(f"version?v={version}")

    def reset(self) -> dict[str, Any]:
        """Zero the per-client counters; returns the server's state (CPU seconds so far)."""
        return self._call("reset")

    def stats(self) -> dict[str, Any]:
        return self._call("stats")
