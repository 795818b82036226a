"""Fixtures every test area shares: a scriptable local HTTP server, stores, configs, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
POSTGRES_URL = os.environ.get(
    "CIVICRADAR_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    truncate: bool = False
    etag: bool = False
    """Send an ETag (a digest of the body) and answer a request bringing it back with 304."""


Handler = Callable[["Request"], Reply]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""


class _Server(ThreadingHTTPServer):
    """A listen backlog big enough for a crawl's concurrency (the default 5 drops connections)."""

    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a crawl cancelled, a timeout test) is not a test failure;
        the default prints a traceback to stderr, which CliRunner mixes into CLI output."""


class LocalServer:
    """An HTTP server on 127.0.0.1 whose routes tests set and change between 'days'.

    A route is a path mapped to a :class:`Reply` or a function of the request returning one.
    Every request is logged in ``requests`` so tests can count what a crawl cost.
    """

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                server.requests.append(request)
                route = server.routes.get(parts.path)
                if route is None:
                    reply = Reply(status=404, body=b"not found", content_type="text/plain")
                else:
                    reply = route(request) if callable(route) else route
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                if reply.etag and reply.status == 200:
                    tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    reply = replace(reply, headers={**reply.headers, "ETag": tag})
                    if request.headers.get("if-none-match") == tag:
                        reply, body = replace(reply, status=304), b""
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body[: len(body) // 2] if reply.truncate else body)
                if reply.truncate:
                    self.close_connection = True

            do_GET = do_POST = do_HEAD = _serve

        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = LocalServer().start()
    yield server
    server.stop()


def _postgres_reachable() -> bool:
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    return _postgres_reachable()


@pytest.fixture
def postgres_url(postgres_available: bool) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not postgres_available:
        pytest.skip("no PostgreSQL server reachable at " + POSTGRES_URL)
    import sqlalchemy as sa

    name = f"civicradar_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    from civicradar.models import store as store_module

    store_module._migrated.discard(url)
    with admin.connect() as connection:
        connection.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        )
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL: SQLite always, and the machine's PostgreSQL when reachable."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not present at {CORPUS}")
    return CORPUS


def write_config(folder: Path, data: dict[str, Any], name: str = "civicradar.yaml") -> Path:
    """Write a config dict as YAML, filling the required initiative when a test omits it."""
    data = dict(data)
    data.setdefault("initiative", {"name": "Early Learning", "terms": ["child care"]})
    data.setdefault("database", f"sqlite:///{folder / 'civicradar.db'}")
    data.setdefault(
        "crawling",
        {"download_delay": 0, "autothrottle": False, "retries": 0, "timeout_seconds": 10},
    )
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def cli_run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Run the civicradar CLI in-process; ``now=`` sets CIVICRADAR_NOW for that call."""
    from click.testing import CliRunner

    from civicradar.cli import cli

    def run(*args: str, now: str | None = None, env: dict[str, str] | None = None) -> Any:
        environment = dict(env or {})
        if now is not None:
            environment["CIVICRADAR_NOW"] = now
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], env=environment, catch_exceptions=False)

    return run


def run_day(cli_run: Any, config: Path, date: str, seen_ids: set[int]) -> list[dict]:
    """Crawl and detect on ``date``; the changes recorded that day (ids not in ``seen_ids``,
    which is updated)."""
    for command in ("crawl", "detect"):
        result = cli_run("--config", config, command, now=date)
        assert result.exit_code == 0, result.output
    result = cli_run("--config", config, "changes", "--format", "json", now=date)
    new = [c for c in json.loads(result.output) if c["id"] not in seen_ids]
    seen_ids.update(c["id"] for c in new)
    return new


def logged_changes(cli_run: Any, config: Path, *kinds: str) -> list[dict]:
    """``changes --format json``, narrowed to ``kinds`` when given."""
    args: list[Any] = ["--config", config, "changes", "--format", "json"]
    for kind in kinds:
        args += ["--kind", kind]
    return json.loads(cli_run(*args).output)
