"""Alerts benchmark: feed rendering, digest delivery through a local SMTP server, the API.

Run: .venv/bin/python bench/alerts_bench.py [CHANGES] [RECIPIENTS]
Prints wall-clock figures for a SQLite store holding CHANGES changes.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
import tempfile
import time
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from civicradar.alerts.deliver import deliver
from civicradar.alerts.feed import write_feed
from civicradar.config.loader import parse_config
from civicradar.models.store import ChangeDraft, Store, record_change
from civicradar.models.tables import Jurisdiction
from civicradar.scheduler import RunLock, Scheduler
from civicradar.web import create_app

KINDS = ["new_candidate", "staff_departure", "agenda_match", "staff_arrival", "meeting_change"]
NOW = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.count += 1
        return "250 OK"


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<52} {time.perf_counter() - start:8.3f} s")
    return result


def main(changes: int, recipients: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="civicradar-bench-"))
    database = f"sqlite:///{folder / 'bench.db'}"
    store = Store(database)

    def seed() -> None:
        with store.session() as session:
            for place in ("springfield", "shelbyville"):
                session.add(Jurisdiction(id=place, name=place.title(), timezone="UTC"))
            session.flush()
            for i in range(changes):
                record_change(
                    session,
                    ChangeDraft(
                        kind=KINDS[i % len(KINDS)],
                        jurisdiction_id=("springfield", "shelbyville")[i % 2],
                        dedupe_key=f"bench:{i}",
                        summary=f"Change number {i} about child care <b>{i}</b>",
                        url=f"https://example.gov/item/{i}",
                        data={"name": f"Person {i}", "title": "Planner", "address": "1 Main"},
                        importance=50 + i % 40,
                    ),
                    detected_at=NOW - dt.timedelta(minutes=changes - i),
                )

    timed(f"seed {changes} changes", seed)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    config = parse_config(
        yaml.safe_dump(
            {
                "database": database,
                "initiative": {"name": "Bench", "terms": ["child care"]},
                "alerts": {
                    "feed": {"max_items": 200},
                    "email": {
                        "smtp_url": f"smtp://127.0.0.1:{port}",
                        "sender": "radar@example.org",
                        "recipients": [
                            {"address": f"r{i}@example.org"}
                            if i % 2
                            else {"address": f"r{i}@example.org", "jurisdictions": ["springfield"]}
                            for i in range(recipients)
                        ],
                    },
                },
            }
        )
    )
    try:
        for fmt in ("rss", "atom"):
            timed(
                f"write_feed {fmt}, 200 newest",
                lambda f=fmt: write_feed(store, config, folder / f"f.{f}", fmt=f),
            )
        summary = timed(
            f"deliver: {recipients} digests over SMTP (first run)",
            lambda: deliver(store, config, NOW),
        )
        sent = sum(summary.sent.values())
        print(f"{'  changes queued and sent (ledger rows)':<52} {sent:8d}")
        print(f"{'  messages received by the SMTP server':<52} {counter.count:8d}")
        timed("deliver again (nothing new: ledger check only)", lambda: deliver(store, config, NOW))
        app = create_app(config, store, Scheduler(config, RunLock(store), lambda: "noop"))
        with TestClient(app) as client:
            timed(
                "GET /api/changes?limit=1000 (x20)",
                lambda: [client.get("/api/changes?limit=1000") for _ in range(20)],
            )
            timed("GET /feed.atom (x20)", lambda: [client.get("/feed.atom") for _ in range(20)])
            timed("GET / (x20)", lambda: [client.get("/") for _ in range(20)])
    finally:
        controller.stop()
        store.close()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 20,
    )
