"""``sources_status``: each source's last crawl and open problem, as ``sources`` and
``/api/sources`` show them (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from civicradar.config import parse_config
from civicradar.models.source_queries import sources_status
from civicradar.models.store import Store, sync_sources
from civicradar.models.tables import CrawlRun

CONFIG = parse_config(
    """
initiative: {name: Early Learning, terms: ["child care"]}
jurisdictions:
  - id: springfield
    name: City of Springfield
    timezone: America/Chicago
    sources:
      - {id: staff, type: staff_directory, platform: csv, url: "http://127.0.0.1/s.csv"}
      - {id: council, type: agendas, platform: legistar, client: springfield}
  - id: albany
    name: City of Albany
    timezone: America/New_York
    sources:
      - {id: filings, type: candidate_list, platform: csv, url: "http://127.0.0.1/c.csv",
         election: {name: General, date: 2026-11-03}}
"""
)
DAY1 = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
DAY2 = DAY1 + dt.timedelta(days=1)


def _run(
    source_id: int, when: dt.datetime, status: str, records: int, error: str | None
) -> CrawlRun:
    return CrawlRun(
        source_id=source_id,
        started_at=when,
        finished_at=when,
        status=status,
        requests=1,
        bytes=100,
        records=records,
        error=error,
        payload=[],
    )


def test_each_source_shows_its_latest_run_and_never_crawled_ones_show_none(store_url):
    store = Store(store_url)
    with store.session() as session:
        rows = sync_sources(session, CONFIG)
        staff = rows[("springfield", "staff")].id
        session.add(_run(staff, DAY1, "ok", 40, None))
        session.add(_run(staff, DAY2, "failed", 0, "HTTP 503"))
    with store.session() as session:
        status = sources_status(session)
    assert [(r["jurisdiction"], r["source"]) for r in status] == [
        ("albany", "filings"),
        ("springfield", "council"),
        ("springfield", "staff"),
    ]
    by_key = {r["source"]: r for r in status}
    assert by_key["staff"]["last_status"] == "failed"
    assert by_key["staff"]["last_run"] == DAY2
    assert by_key["staff"]["records"] == 0
    assert by_key["staff"]["error"] == "HTTP 503"
    assert by_key["council"]["last_run"] is None
    assert by_key["council"]["last_status"] is None
    store.close()


def test_a_jurisdiction_filter_keeps_only_its_sources(store_url):
    store = Store(store_url)
    with store.session() as session:
        sync_sources(session, CONFIG)
    with store.session() as session:
        status = sources_status(session, jurisdiction="springfield")
    assert [r["source"] for r in status] == ["council", "staff"]
    store.close()
