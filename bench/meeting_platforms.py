"""Benchmark: what a first and an unchanged crawl cost on each meeting platform.

Two settings, each crawled twice (a first crawl, then the next day with nothing changed),
on 127.0.0.1:

- ``sites``: the five platforms served by the tests' sites (``tests/crawlers/
  platform_sites.py``) with ``--meetings`` meetings in the window, each with a one-page
  agenda PDF (ETag); documents fetched.
- ``corpus``: the captured listing replies of ../shared/corpus/agendas (when present),
  served at their paths; listing only (their documents are not captured).

Prints requests (304s among them; robots.txt is one of them) and bytes received per
crawl, with the records found and the run's status.

    .venv/bin/python bench/meeting_platforms.py [--meetings 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' sites and local server

from civicradar.config import load_config  # noqa: E402
from civicradar.models.store import Store  # noqa: E402
from civicradar.monitors.detect import detect  # noqa: E402
from civicradar.pipeline import crawl_step  # noqa: E402
from tests.conftest import CORPUS, LocalServer, Reply  # noqa: E402
from tests.crawlers.agenda_pdfs import text_pdf  # noqa: E402
from tests.crawlers.meeting_platforms import platform_config  # noqa: E402
from tests.crawlers.platform_sites import SITES, SiteMeeting  # noqa: E402

BODIES = ("City Council", "Planning Commission", "Parks Board", "Library Board")


def crawl_twice(config_path: Path, first_day: dt.date) -> list[dict[str, Any]]:
    config = load_config(str(config_path))
    store = Store(config.database)
    found = []
    for offset in (0, 1):
        now = dt.datetime.combine(
            first_day + dt.timedelta(days=offset), dt.time(13, 0), tzinfo=dt.UTC
        )
        (report,) = crawl_step(store, config, now).reports
        detect(store, config, now)  # the store learns the meetings and documents
        found.append(
            {
                "status": report.status,
                "records": report.records,
                "requests": report.requests,
                "not_modified": report.not_modified,
                "bytes": report.bytes,
            }
        )
    store.close()
    return found


def site_meetings(count: int) -> list[SiteMeeting]:
    start = dt.datetime(2026, 11, 26, 18, 0)
    return [
        SiteMeeting(
            200 + n,
            BODIES[n % len(BODIES)],
            1 + n % len(BODIES),
            start + dt.timedelta(days=(n * 110) // count),
            agenda=text_pdf([[f"{BODIES[n % len(BODIES)]}", "1. Call to order", "2. Budget"]]),
        )
        for n in range(count)
    ]


def bench_sites(count: int) -> list[tuple[str, list[dict[str, Any]]]]:
    results = []
    for platform, site_class in sorted(SITES.items()):
        server = LocalServer().start()
        try:
            site = site_class(server)
            site.meetings = site_meetings(count)
            with tempfile.TemporaryDirectory() as tmp:
                config = platform_config(Path(tmp), platform, site.url, fetch_documents=True)
                results.append((platform, crawl_twice(config, dt.date(2026, 11, 25))))
        finally:
            server.stop()
    return results


CORPUS_LISTINGS = (
    # (platform, file, path served, config url path, day, zone)
    ("granicus", "granicus/tulsa-ok-ViewPublisher-view4.html", "/ViewPublisher.php",
     "/ViewPublisher.php?view_id=4", dt.date(2025, 12, 5), "America/Chicago"),
    ("primegov", "primegov/lacity-ListUpcomingMeetings.json",
     "/api/v2/PublicPortal/ListUpcomingMeetings", "/public/portal", dt.date(2024, 9, 13),
     "America/Los_Angeles"),
    ("civicclerk", "civicclerk/southfultonga-events.json", "/v1/Events", "",
     dt.date(2026, 4, 16), "America/New_York"),
    ("escribe", "escribe/chulavista-GetCalendarMeetings.json",
     "/MeetingsCalendarView.aspx/GetCalendarMeetings", "", dt.date(2025, 12, 10),
     "America/Los_Angeles"),
    ("legistar", "legistar-insite/nashville-Calendar.aspx.html", "/Calendar.aspx",
     "/Calendar.aspx", dt.date(2025, 6, 18), "America/Chicago"),
)  # fmt: skip


def bench_corpus() -> list[tuple[str, list[dict[str, Any]]]]:
    results = []
    for platform, name, path, url_path, day, zone in CORPUS_LISTINGS:
        body = (CORPUS / "agendas" / name).read_bytes()
        server = LocalServer().start()
        kind = "application/json" if name.endswith(".json") else "text/html; charset=utf-8"
        server.routes[path] = Reply(body=body, content_type=kind)
        if platform == "primegov":  # this year's archive is not captured: an empty one
            server.routes[path.replace("Upcoming", "Archived")] = Reply(
                body=b"[]", content_type="application/json"
            )
        try:
            with tempfile.TemporaryDirectory() as tmp:
                config = platform_config(Path(tmp), platform, server.url + url_path, timezone=zone)
                results.append((f"{platform} ({name.split('/')[1]})", crawl_twice(config, day)))
        finally:
            server.stop()
    return results


def show(title: str, results: list[tuple[str, list[dict[str, Any]]]]) -> None:
    print(title)
    print(f"{'platform':52}{'first crawl':>26}{'unchanged crawl':>30}")
    for label, (first, second) in results:
        cells = [
            f"{r['requests']} req ({r['not_modified']} 304), {r['bytes']:,} B, "
            f"{r['records']} rec {r['status']}"
            for r in (first, second)
        ]
        print(f"{label:52}{cells[0]:>26}   {cells[1]:>30}")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=20)
    args = parser.parse_args(argv)
    show(
        f"Tests' sites: {args.meetings} meetings in the window, one agenda PDF each (ETag)",
        bench_sites(args.meetings),
    )
    if CORPUS.is_dir():
        show("Captured listings (shared corpus), listing only:", bench_corpus())
    else:
        print(f"(no corpus at {CORPUS}: captured listings not measured)")


if __name__ == "__main__":
    main()
