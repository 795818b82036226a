"""An agendas source of any platform on the local test server, crawled a day at a time
through ``civicradar run``, with files (agenda PDFs) that answer conditional requests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tests.conftest import LocalServer, Reply, Request, write_config
from tests.conftest import logged_changes as changes
from tests.crawlers.test_rss import crawl_runs, stored_meetings

TERMS = ["child care", "pre-k"]


def agendas_config(
    folder: Path, platform: str, url: str, *, timezone: str = "America/Chicago", **source: Any
) -> Path:
    return write_config(
        folder,
        {
            "crawling": {
                "download_delay": 0,
                "autothrottle": False,
                "retries": 0,
                "timeout_seconds": 10,
                "obey_robots": False,
            },
            "initiative": {"name": "Early Learning", "terms": TERMS},
            "jurisdictions": [
                {
                    "id": "maplewood",
                    "name": "City of Maplewood",
                    "timezone": timezone,
                    "sources": [
                        {"id": "meetings", "type": "agendas", "platform": platform, "url": url}
                        | source
                    ],
                }
            ],
        },
    )


class AgendaDays:
    """One configured source; ``day`` runs the whole pipeline on a date and returns the
    changes recorded that day."""

    def __init__(self, folder: Path, cli_run: Any, config: Path) -> None:
        self.folder, self.cli_run, self.config = folder, cli_run, config
        self.seen = 0

    def day(self, date: str) -> list[dict]:
        result = self.cli_run("--config", self.config, "run", now=date)
        assert result.exit_code == 0, result.output
        self.output = result.output
        found = changes(self.cli_run, self.config)
        new, self.seen = found[self.seen :], len(found)
        return new

    def meetings(self) -> dict:
        return stored_meetings(self.folder)

    def runs(self) -> list:
        return crawl_runs(self.folder)


class Files:
    """Files by path with an ETag; a request bringing it back is answered 304."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.bodies: dict[str, tuple[bytes, str]] = {}

    def put(self, path: str, body: bytes, content_type: str = "application/pdf") -> str:
        self.bodies[path] = (body, content_type)
        self.server.routes[path] = self.reply
        return self.server.url + path

    def reply(self, request: Request) -> Reply:
        body, content_type = self.bodies[request.path]
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == tag:
            return Reply(status=304, headers={"ETag": tag}, content_type=content_type)
        return Reply(body=body, headers={"ETag": tag}, content_type=content_type)

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.server.requests if r.path == path]


def kinds(found: list[dict]) -> list[tuple[str, str | None]]:
    """(kind, what) of each change: the item for a match, the change for a meeting."""
    return [
        (c["kind"], c["data"].get("item_title") or c["data"].get("what") or c["data"].get("status"))
        for c in found
    ]
