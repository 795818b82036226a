"""One staff directory or candidate list on the local server, crawled and detected a day at
a time through the CLI, with the runs and the server's log at hand (conditional requests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import Candidacy, CrawlRun, Person, Source, Tenure
from tests.conftest import LocalServer, Reply, Request, run_day, write_config

CRAWLING = {"download_delay": 0, "autothrottle": False, "retries": 0, "obey_robots": False}


class ListDays:
    """A source whose reply tests set each day; ``day`` crawls and detects on a date."""

    def __init__(
        self,
        folder: Path,
        server: LocalServer,
        cli_run: Any,
        source_type: str,
        path: str,
        query: str = "",
        database: str | None = None,
        **source: Any,
    ) -> None:
        self.server, self.cli_run, self.path = server, cli_run, path
        self.database = database or f"sqlite:///{folder / 'civicradar.db'}"
        self.folder = folder
        self.source = {
            "id": "list",
            "type": source_type,
            "url": f"{server.url}{path}{query}",
            **source,
        }
        self.write_config()
        self.seen_ids: set[int] = set()

    def write_config(self, **changes: Any) -> None:
        self.source.update(changes)
        self.config = write_config(
            self.folder,
            {
                "database": self.database,
                "crawling": CRAWLING,
                "jurisdictions": [
                    {
                        "id": "testville",
                        "name": "City of Testville",
                        "timezone": "America/Chicago",
                        "sources": [self.source],
                    }
                ],
            },
        )

    def serve(self, body: str | bytes, content_type: str, *, etag: bool = True) -> None:
        self.server.routes[self.path] = Reply(body=body, content_type=content_type, etag=etag)

    def day(self, date: str) -> list[dict]:
        """Crawl and detect on ``date``; the changes recorded that day."""
        return run_day(self.cli_run, self.config, date, self.seen_ids)

    def asked(self, path: str | None = None) -> list[Request]:
        return [r for r in self.server.requests if r.path == (path or self.path)]

    def runs(self) -> list[CrawlRun]:
        return self._all(select(CrawlRun).order_by(CrawlRun.id))

    def cursor(self) -> dict[str, Any]:
        with Store(self.database).session() as session:
            return dict(session.scalar(select(Source)).cursor or {})

    def tenures(self) -> list[Tenure]:
        return self._all(select(Tenure).order_by(Tenure.id))

    def people(self) -> list[Person]:
        return self._all(select(Person).order_by(Person.id))

    def candidacies(self) -> list[Candidacy]:
        return self._all(select(Candidacy).order_by(Candidacy.id))

    def _all(self, query: Any) -> list[Any]:
        with Store(self.database).session() as session:
            return list(session.scalars(query))


def kinds(changes: list[dict]) -> list[tuple[str, str]]:
    return sorted((c["kind"], c["data"].get("name", c["data"].get("status", ""))) for c in changes)


def seen_on(rows: list[Any]) -> set[str]:
    """The local (Chicago) days rows were last seen, as ISO dates."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/Chicago")
    return {row.last_seen.astimezone(zone).date().isoformat() for row in rows}
