"""Benchmark: a 50-city staff-directory cycle and ``turnover`` on a million tenure rows.

Part 1 serves 50 generated city directories of 2,000 people each (paginated HTML tables,
500 people a page, or ``--page-size``) from a local HTTP server in a separate process that
sends ETags and answers ``If-None-Match`` like a real site, then times a first crawl +
detect (the baseline) and an unchanged second one: wall time, peak RSS, requests and
bytes. Paginated directories are never asked conditionally; with ``--page-size 2000``
each city is one page and the unchanged run costs one 304 per city. Part 2 bulk-inserts
one million tenures into a fresh SQLite store and times the turnover queries.
Run: ``.venv/bin/python bench/staff_cycle.py [--cities N] [--page-size N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import insert

from civicradar.config.schema import Config
from civicradar.models import staff_queries as q
from civicradar.models.store import Store
from civicradar.models.tables import Jurisdiction, Person, Source, Tenure
from civicradar.monitors.detect import detect
from civicradar.pipeline import crawl_step

PER_PAGE = 500
DEPARTMENTS = ["Planning", "Parks", "Finance", "Police", "Fire", "Library", "Clerk", "Water"]


def city_page(city: int, page: int, people: int, per_page: int = PER_PAGE) -> bytes:
    """One page of a city's directory: a table of people and a Next link."""
    start, stop = (page - 1) * per_page, min(page * per_page, people)
    rows = []
    for n in range(start, stop):
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        rows.append(
            f"<tr><td><a href='/p/{n}'>Person{n:05d}, City{city:02d} Q.</a></td>"
            f"<td>Analyst {n % 5}</td><td>{department}</td>"
            f"<td><a href='mailto:p{n}@city{city}.test'>Email</a></td><td>555-{n:04d}</td></tr>"
        )
    pager = f"<a href='/city{city}?page={page + 1}'>Next</a>" if stop < people else ""
    html = (
        "<!DOCTYPE html><html><head><title>Directory</title></head><body><table>"
        "<thead><tr><th>Name</th><th>Title</th><th>Department</th><th>Email</th>"
        f"<th>Phone</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{pager}</body></html>"
    )
    return html.encode()


def serve(port_queue: multiprocessing.Queue, people: int, per_page: int) -> None:
    cache: dict[tuple[int, int], tuple[bytes, str]] = {}

    def page_and_tag(city: int, page: int) -> tuple[bytes, str]:
        if (city, page) not in cache:
            body = city_page(city, page, people, per_page)
            cache[(city, page)] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        return cache[(city, page)]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            city = int(parts.path.removeprefix("/city") or 0)
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            body, etag = page_and_tag(city, page)
            if self.headers.get("If-None-Match") == etag:
                body = b""
                self.send_response(304)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer.request_queue_size = 128  # the default 5 drops connections
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cycle(cities: int, people: int, folder: Path, per_page: int = PER_PAGE) -> None:
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, people, per_page), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=10)}"
    config = Config.model_validate(
        {
            "database": f"sqlite:///{folder / 'cycle.db'}",
            "initiative": {"name": "bench", "terms": ["child care"]},
            "crawling": {
                "obey_robots": False,
                "download_delay": 0,
                "autothrottle": False,
                "concurrency_per_domain": 16,
                "retries": 0,
            },
            "jurisdictions": [
                {
                    "id": f"city{c:02d}",
                    "name": f"City {c}",
                    "sources": [
                        {
                            "id": "staff",
                            "type": "staff_directory",
                            "platform": "html_table",
                            "url": f"{base}/city{c}",
                        }
                    ],
                }
                for c in range(cities)
            ],
        }
    )
    store = Store(config.database)
    print(f"== staff cycle: {cities} cities x {people} people (pages of {per_page})")
    for label, day in (("first run (baseline)", 2), ("second run (unchanged)", 3)):
        now = dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC)
        began = time.perf_counter()
        summary = crawl_step(store, config, now)
        crawled = time.perf_counter()
        found = detect(store, config, now)
        done = time.perf_counter()
        statuses = {r.status for r in summary.reports}
        records = sum(r.records for r in summary.reports)
        not_modified = sum(r.not_modified for r in summary.reports)
        print(
            f"{label}: crawl {crawled - began:.1f}s + detect {done - crawled:.1f}s = "
            f"{done - began:.1f}s; {summary.requests} requests ({not_modified} answered 304), "
            f"{summary.bytes:,} bytes; "
            f"{records} people; statuses {sorted(statuses)}; changes {found.by_kind or 'none'}; "
            f"peak RSS so far {peak_rss_mb():.0f} MB"
        )
    server.terminate()
    store.close()


def million_tenures(folder: Path, rows: int) -> None:
    store = Store(f"sqlite:///{folder / 'tenures.db'}")
    rng = random.Random(7)
    began = time.perf_counter()
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    jurisdictions = 50
    with store.session() as session:
        for j in range(jurisdictions):
            session.add(Jurisdiction(id=f"city{j:02d}", name=f"City {j}", timezone="UTC"))
            session.add(
                Source(
                    id=j + 1,
                    jurisdiction_id=f"city{j:02d}",
                    key="staff",
                    type="staff_directory",
                    platform="html_table",
                    cursor={},
                )
            )
    people = rows * 2 // 5
    batch = 50_000
    with store.engine.begin() as connection:
        for start in range(0, people, batch):
            connection.execute(
                insert(Person),
                [
                    {
                        "id": n + 1,
                        "jurisdiction_id": f"city{n % jurisdictions:02d}",
                        "name": f"Person {n}",
                        "name_key": f"person {n}",
                        "email": f"p{n}@city.test",
                        "first_seen": now,
                        "last_seen": now,
                    }
                    for n in range(start, min(start + batch, people))
                ],
            )
        for start in range(0, rows, batch):
            chunk = []
            for n in range(start, min(start + batch, rows)):
                person = n % people
                started = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4100))
                ended = started + dt.timedelta(days=rng.randrange(30, 2000))
                open_ = ended > dt.date(2026, 3, 1) or rng.random() < 0.3
                chunk.append(
                    {
                        "person_id": person + 1,
                        "source_id": person % jurisdictions + 1,
                        "jurisdiction_id": f"city{person % jurisdictions:02d}",
                        "role": "staff",
                        "title": f"Analyst {n % 5}",
                        "department": rng.choice(DEPARTMENTS),
                        "started_on": started,
                        "ended_on": None if open_ else ended,
                        "end_reason": None if open_ else "departed",
                        "last_seen": now,
                        "baseline": False,
                        "missing_runs": 0,
                    }
                )
            connection.execute(insert(Tenure), chunk)
    print(
        f"== turnover on {rows:,} tenure rows ({people:,} people), built in "
        f"{time.perf_counter() - began:.1f}s"
    )
    everyone = q.StaffFilter()
    one_city = q.StaffFilter(jurisdiction="city07", department="Planning")
    timings = [
        (
            "turnover --since 2025-01-01 (all cities)",
            lambda s: q.turnover(s, everyone, since=dt.date(2025, 1, 1)),
        ),
        (
            "turnover --jurisdiction city07 --department Planning --since 2025-01-01",
            lambda s: q.turnover(s, one_city, since=dt.date(2025, 1, 1)),
        ),
        (
            "people --jurisdiction city07",
            lambda s: q.current_people(s, q.StaffFilter(jurisdiction="city07")),
        ),
        (
            "turnover --stayed-through 2024-11-05 --jurisdiction city07",
            lambda s: q.stayed_through(
                s, q.StaffFilter(jurisdiction="city07"), dt.date(2024, 11, 5)
            ),
        ),
        (
            "turnover --rate (all cities, 12 years)",
            lambda s: q.turnover_rate(s, everyone, today=dt.date(2026, 3, 1)),
        ),
    ]
    for label, run in timings:
        with store.session() as session:
            began = time.perf_counter()
            result = run(session)
            print(f"{label}: {time.perf_counter() - began:.2f}s, {len(result):,} rows")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=50)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--page-size", type=int, default=PER_PAGE, help="people per directory page")
    parser.add_argument("--tenures", type=int, default=1_000_000)
    parser.add_argument("--skip-cycle", action="store_true", help="only the turnover queries")
    parser.add_argument("--skip-turnover", action="store_true", help="only the crawl cycle")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_cycle:
            cycle(args.cities, args.people, Path(folder), args.page_size)
        if not args.skip_turnover:
            million_tenures(Path(folder), args.tenures)
    print(f"peak RSS of the whole benchmark: {peak_rss_mb():.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
