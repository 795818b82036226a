"""Crawl one staff source through the CLI and read back the records the run saw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import CrawlRun
from tests.conftest import write_config
from tests.fixtures.staff.pages import staff_sources


def crawl_once(
    cli_run: Any, folder: Path, source: dict[str, Any], now: str = "2026-03-02", **settings: Any
) -> tuple[CrawlRun, list[dict[str, Any]]]:
    """The crawl run and its person records (crawl only: detection would prune them)."""
    settings.setdefault(
        "crawling",
        {"download_delay": 0, "autothrottle": False, "retries": 0, "obey_robots": False},
    )
    config = write_config(folder, staff_sources({"id": "staff", **source}, **settings))
    result = cli_run("--config", config, "crawl", now=now)
    assert result.exit_code == 0, result.output
    with Store(f"sqlite:///{folder / 'civicradar.db'}").session() as session:
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        people = [r for r in run.payload or [] if r["record_type"] == "person"]
        return run, people


def by_name(people: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {person["name"]: person for person in people}
