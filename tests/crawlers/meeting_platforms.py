"""What the tests of the meeting-list platforms share (Granicus, PrimeGov, CivicClerk, eScribe,
Legistar InSite): a config for one source, files served with the real host replaced by the
local server's, and reading the store back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import CrawlRun, Meeting
from tests.conftest import FIXTURES, Reply, Request, write_config

TODAY = "2026-11-25"  # the fixtures' day: the window is 2026-10-26 .. 2027-03-25


def platform_config(
    tmp_path: Path,
    platform: str,
    url: str,
    *,
    timezone: str = "America/Chicago",
    terms: list[str] | None = None,
    **source: Any,
) -> Path:
    """A config with one agendas source of ``platform`` at ``url`` (documents not fetched
    unless ``fetch_documents=True``)."""
    return write_config(
        tmp_path,
        {
            "initiative": {
                "name": "Early Learning",
                "terms": terms or ["child care", "pre-k"],
                "exclude": ["child care tax credit"],
            },
            "jurisdictions": [
                {
                    "id": "maplewood",
                    "name": "City of Maplewood",
                    "timezone": timezone,
                    "sources": [
                        {
                            "id": "meetings",
                            "type": "agendas",
                            "platform": platform,
                            "url": url,
                            "fetch_documents": False,
                            **source,
                        }
                    ],
                }
            ],
        },
    )


def fixture_text(platform: str, name: str) -> str:
    return (FIXTURES / platform / name).read_text(encoding="utf-8")


class HostedFile:
    """A file served as its site serves it, with its real address (``https://host``)
    replaced by the local server's, and the query it must be asked with checked."""

    def __init__(
        self,
        body: str,
        server_url: str,
        *,
        real_host: str | None = None,
        query: dict[str, list[str]] | None = None,
        content_type: str = "text/html; charset=utf-8",
        method: str | None = None,
    ) -> None:
        self.body = body.replace(real_host, server_url) if real_host else body
        self.query, self.content_type, self.method = query, content_type, method
        self.fault: Reply | None = None
        self.seen: list[Request] = []

    def __call__(self, request: Request) -> Reply:
        self.seen.append(request)
        if self.fault is not None:
            return self.fault
        if self.method and request.method != self.method:
            return Reply(status=405, body=b"method not allowed", content_type="text/plain")
        if self.query is not None and request.query != self.query:
            body = f"no such query {request.query}"
            return Reply(status=404, body=body, content_type="text/plain")
        return Reply(body=self.body, content_type=self.content_type)


def open_store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'civicradar.db'}")


def stored_meetings(tmp_path: Path) -> dict[str, Meeting]:
    with open_store(tmp_path).session() as session:
        rows = session.scalars(select(Meeting)).all()
        for meeting in rows:
            _ = (meeting.items, meeting.documents)
        return {m.external_id: m for m in rows}


def crawl_runs(tmp_path: Path) -> list[CrawlRun]:
    with open_store(tmp_path).session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def run(cli_run: Any, config: Path, day: str = TODAY, *args: str) -> Any:
    result = cli_run("--config", config, "run", *args, now=day)
    assert result.exit_code == 0, result.output
    return result
