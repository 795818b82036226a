"""Benchmark: one daily cycle (crawl + detect) against a generated local Legistar API.

Serves 10 clients x 200 events (8 items each) on 127.0.0.1 and runs the cycle twice:
a first run (everything new: every event's items are fetched) and an unchanged second
run the next day (only the event lists are re-read). Prints requests, bytes, wall time
and peak memory for each.

    .venv/bin/python bench/legistar_cycle.py [--clients 10] [--events 200] [--items 8]
        [--concurrency 2] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

from civicradar.config import load_config
from civicradar.models.store import Store
from civicradar.monitors.detect import detect
from civicradar.pipeline import crawl_step
from civicradar.sample.legistar_api import ClientData, LegistarServer

TODAY = dt.date(2026, 3, 2)
BODIES = (
    "City Council",
    "Finance Committee",
    "Planning Commission",
    "Parks Board",
    "Board of Health",
)
TITLES = (
    "Approval of the minutes",
    "Ordinance amending the zoning code for accessory dwelling units",
    "Contract for street resurfacing, phase {n}",
    "Resolution adopting the capital improvement plan",
    "Public hearing on the proposed budget amendment",
    "Appointment to the library board",
    "Report on child care center licensing",  # every event has one matching item
    "Adjournment",
)


def generate_client(client: int, events: int, items: int) -> ClientData:
    """A city's bodies, events spread over the default window, and their items."""
    data = ClientData()
    data.bodies = [
        {"BodyId": b + 1, "BodyName": name, "BodyTypeName": "Committee", "BodyActiveFlag": 1}
        for b, name in enumerate(BODIES)
    ]
    for e in range(events):
        event_id = client * 100_000 + e + 1
        day = TODAY + dt.timedelta(days=-29 + (e * 148) // events)
        body = e % len(BODIES)
        data.events.append(
            {
                "EventId": event_id,
                "EventGuid": f"{event_id:032X}",
                "EventLastModifiedUtc": "2026-02-20T15:04:05.12",
                "EventBodyId": body + 1,
                "EventBodyName": BODIES[body],
                "EventDate": f"{day.isoformat()}T00:00:00",
                "EventTime": "6:30 PM" if e % 3 else "17:30",
                "EventAgendaStatusName": "Final",
                "EventMinutesStatusName": "Draft",
                "EventLocation": "City Hall, 100 Main Street",
                "EventAgendaFile": f"https://example.invalid/{client}/Agenda_{event_id}.pdf",
                "EventMinutesFile": None,
                "EventComment": None,
                "EventInSiteURL": f"https://example.invalid/{client}/MeetingDetail.aspx?ID={event_id}",
            }
        )
        for i in range(items):
            data.eventitems.append(
                {
                    "EventItemId": event_id * 100 + i,
                    "EventItemEventId": event_id,
                    "EventItemAgendaSequence": i + 1,
                    "EventItemAgendaNumber": f"{i + 1}.",
                    "EventItemTitle": TITLES[i % len(TITLES)].format(n=e),
                    "EventItemMatterFile": f"ORD {e}-{i}" if i % 2 else None,
                    "EventItemMatterType": "Ordinance" if i % 2 else None,
                    "EventItemActionName": None,
                    "EventItemMover": None,
                    "EventItemSeconder": None,
                    "EventItemAgendaNote": None,
                }
            )
    return data


def write_config(folder: Path, url: str, clients: int, concurrency: int) -> Path:
    config = {
        "database": f"sqlite:///{folder / 'bench.db'}",
        "initiative": {"name": "Early Learning", "terms": ["child care", "pre-k"]},
        "jurisdictions": [
            {
                "id": f"city{c}",
                "name": f"City {c}",
                "timezone": "America/Chicago",
                "sources": [
                    {
                        "id": "council",
                        "type": "agendas",
                        "platform": "legistar",
                        "client": f"city{c}",
                        "base_url": url,
                        "fetch_documents": False,
                    }
                ],
            }
            for c in range(clients)
        ],
        "crawling": {
            "download_delay": 0,
            "autothrottle": False,
            "retries": 0,
            "concurrency_per_domain": concurrency,
        },
    }
    path = folder / "bench.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def cycle(store: Store, config, server: LegistarServer, now: dt.datetime, trace: bool) -> dict:
    served = len(server.requests)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    crawled = crawl_step(store, config, now)
    crawl_seconds = time.perf_counter() - started
    found = detect(store, config, now)
    total = time.perf_counter() - started
    heap = None
    if trace:
        heap = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "requests": crawled.requests,
        "served": len(server.requests) - served,
        "bytes": crawled.bytes,
        "crawl_s": crawl_seconds,
        "detect_s": total - crawl_seconds,
        "total_s": total,
        "statuses": sorted({r.status for r in crawled.reports}),
        "changes": dict(found.by_kind),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "heap_peak_mb": heap / 2**20 if heap is not None else None,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=2, help="requests in flight per source")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap")
    args = parser.parse_args(argv)

    clients = {f"city{c}": generate_client(c, args.events, args.items) for c in range(args.clients)}
    with tempfile.TemporaryDirectory() as tmp, LegistarServer(clients) as server:
        config = load_config(
            str(write_config(Path(tmp), server.url, args.clients, args.concurrency))
        )
        store = Store(config.database)
        noon = dt.time(13, 0, tzinfo=dt.UTC)
        first = cycle(store, config, server, dt.datetime.combine(TODAY, noon), args.tracemalloc)
        second = cycle(
            store,
            config,
            server,
            dt.datetime.combine(TODAY + dt.timedelta(days=1), noon),
            args.tracemalloc,
        )
        db_bytes = (Path(tmp) / "bench.db").stat().st_size
        store.close()

    print(
        f"Legistar daily cycle: {args.clients} clients x {args.events} events x {args.items} "
        f"items, concurrency {args.concurrency} per source, Python {sys.version.split()[0]}"
    )
    print(f"{'':24}{'first run':>14}{'second run':>14}")
    rows = [
        ("requests (crawler)", "requests", "{:,}"),
        ("requests (served)", "served", "{:,}"),
        ("bytes received", "bytes", "{:,}"),
        ("crawl wall time (s)", "crawl_s", "{:.2f}"),
        ("detect wall time (s)", "detect_s", "{:.2f}"),
        ("cycle wall time (s)", "total_s", "{:.2f}"),
        ("peak RSS so far (MB)", "peak_rss_mb", "{:.0f}"),
    ]
    if args.tracemalloc:
        rows.append(("Python heap peak (MB)", "heap_peak_mb", "{:.1f}"))
    for label, key, fmt in rows:
        print(f"{label:24}{fmt.format(first[key]):>14}{fmt.format(second[key]):>14}")
    print(f"{'run statuses':24}{','.join(first['statuses']):>14}{','.join(second['statuses']):>14}")
    print(f"changes, first run: {first['changes']}; second run: {second['changes'] or 'none'}")
    print(f"store size after both runs: {db_bytes / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
