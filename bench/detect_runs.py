"""Benchmark: the detect step alone on one large staff directory and one candidate list.

Stores crawl runs of generated records directly (as the crawl step would record them),
then times ``detect`` and counts the SQL statements it sends, day by day: the baseline,
a day with a few arrivals, role changes, absences and new filings, the same list again
(a paginated list that cannot answer 304), and a 304 day. Uses only the public store and
detect API, so it runs on any version of the code.
Run: ``.venv/bin/python bench/detect_runs.py [--people N] [--candidates N] [--database URL]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from civicradar.config.schema import Config
from civicradar.models.records import CandidateRecord, PersonRecord
from civicradar.models.store import Store, sync_sources
from civicradar.models.tables import CrawlRun
from civicradar.monitors.detect import detect, records_payload

DEPARTMENTS = ["Planning", "Parks", "Finance", "Police", "Fire", "Library", "Clerk", "Water"]


def people(size: int, *, changed: bool = False) -> list[Any]:
    """A directory; ``changed`` drops every 500th person, promotes every 700th and hires
    one per 1,000."""
    found = []
    for n in range(size):
        if changed and n % 500 == 1:
            continue
        title = "Director" if changed and n % 700 == 2 else f"Analyst {n % 5}"
        found.append(
            PersonRecord(
                name=f"Person{n:06d}, Pat Q.",
                title=title,
                department=DEPARTMENTS[n % len(DEPARTMENTS)],
                email=f"p{n}@city.test",
                phone=f"555-{n % 10000:04d}",
            )
        )
    if changed:
        found += [PersonRecord(name=f"Hire{n}, Alex", title="Clerk") for n in range(size // 1000)]
    return found


def filings(size: int, *, changed: bool = False) -> list[Any]:
    found = []
    for n in range(size):
        if changed and n % 500 == 1:
            continue
        status = "Withdrawn" if changed and n % 700 == 2 else "Filed"
        office = f"Council District {n % 50 + 1}"
        found.append(CandidateRecord(name=f"Runner{n:06d}, Sam", office=office, status=status))
    if changed:
        found += [
            CandidateRecord(name=f"Fresh{n}, Kim", office="Mayor") for n in range(size // 500)
        ]
    return found


def config(database: str) -> Config:
    return Config.model_validate(
        {
            "database": database,
            "initiative": {"name": "bench", "terms": ["child care"]},
            "jurisdictions": [
                {
                    "id": "metro",
                    "name": "Metro",
                    "timezone": "America/Chicago",
                    "sources": [
                        {
                            "id": "staff",
                            "type": "staff_directory",
                            "platform": "csv",
                            "url": "http://127.0.0.1/s",
                        },
                        {
                            "id": "filings",
                            "type": "candidate_list",
                            "platform": "csv",
                            "url": "http://127.0.0.1/c",
                            "election": {"name": "2027 General", "date": "2027-04-06"},
                        },
                    ],
                }
            ],
        }
    )


def day(store: Store, cfg: Config, date: str, runs: dict[str, list[Any] | None]) -> None:
    now = dt.datetime.fromisoformat(f"{date}T15:00:00+00:00")
    with store.session() as session:
        sources = sync_sources(session, cfg)
        for key, records in runs.items():
            session.add(
                CrawlRun(
                    source_id=sources[("metro", key)].id,
                    started_at=now,
                    finished_at=now,
                    status="ok",
                    records=len(records or []),
                    payload=records_payload(records or []),
                    unchanged=records is None,
                )
            )
    statements = []

    def count(*args: Any) -> None:
        statements.append(1)

    event.listen(store.engine, "before_cursor_execute", count)
    began = time.perf_counter()
    found = detect(store, cfg, now)
    spent = time.perf_counter() - began
    event.remove(store.engine, "before_cursor_execute", count)
    print(
        f"  {date}: detect {spent:6.2f}s, {len(statements):4d} statements, "
        f"changes {found.by_kind or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--database", help="a SQLAlchemy URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or f"sqlite:///{Path(folder) / 'detect.db'}"
        cfg = config(database)
        store = Store(database)
        size, slate = args.people, args.candidates
        print(f"== detect: {size:,} people and {slate:,} candidates ({database.split(':')[0]})")
        both = {"staff": people(size), "filings": filings(slate)}
        changed = {"staff": people(size, changed=True), "filings": filings(slate, changed=True)}
        for label, date, runs in (
            ("baseline", "2026-03-02", both),
            ("a few changes", "2026-03-03", changed),
            ("the same lists again", "2026-03-04", changed),
            ("304 (not modified)", "2026-03-05", {"staff": None, "filings": None}),
        ):
            print(f" {label}")
            for key, records in runs.items():
                day(store, cfg, date, {key: records})
        store.close()


if __name__ == "__main__":
    main()
