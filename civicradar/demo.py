"""``civicradar demo``: the whole pipeline, offline, on the sample city shipped with the project.

Maplewood (fictional) publishes its council calendar in the real Legistar Web API format
(``civicradar/sample/maplewood``). The demo serves it from 127.0.0.1, writes a config
pointing at it, and replays three days with the clock set: a baseline, an amended agenda
that adds a child-care item, a council member filing for mayor and another resigning,
then a cancellation, a reschedule, the resignation confirmed (absent from two runs) as a
new member takes the seat, and a candidate's withdrawal (the clerk's candidate CSV is
written beside the store each day and read through a file:// URL). It ends with the
feed and a preview of the last day's email digest. Nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
import yaml

from civicradar.alerts.preview import write_preview
from civicradar.config import load_config
from civicradar.models import store as store_module
from civicradar.models.queries import list_changes, list_meetings, meeting_row
from civicradar.models.store import Store
from civicradar.monitors.detect import detect
from civicradar.output import counted, render
from civicradar.pipeline import crawl_step
from civicradar.sample.legistar_api import SAMPLE, ClientData, LegistarServer

CITY = SAMPLE / "maplewood"
DAYS = (
    ("2026-03-02T13:00:00+00:00", ("day1",), "first crawl: the baseline"),
    (
        "2026-03-03T13:00:00+00:00",
        ("day1", "day2"),
        "the clerk amends the March 10 agenda; a council member files for mayor; "
        "Ward 5's council member resigns (off the roster: one absence, not yet news)",
    ),
    (
        "2026-03-04T13:00:00+00:00",
        ("day1", "day2", "day3"),
        "a cancellation, a reschedule, the Ward 5 seat changes hands (the second absence "
        "confirms the departure) and a withdrawal",
    ),
)


def demo_config(api_url: str, database: Path) -> dict[str, Any]:
    """The configuration a Maplewood user would write, pointed at the local API."""
    return {
        "database": f"sqlite:///{database}",
        "initiative": {
            "name": "Maplewood Early Learning Partnership",
            "terms": ["early childhood", "child care", "pre-k", "head start"],
            "exclude": ["child care tax credit"],
        },
        "jurisdictions": [
            {
                "id": "maplewood",
                "name": "City of Maplewood",
                "timezone": "America/Chicago",
                "sources": [
                    {
                        "id": "council",
                        "type": "agendas",
                        "platform": "legistar",
                        "client": "maplewood",
                        "base_url": api_url,
                        "fetch_documents": False,
                    },
                    {
                        "id": "officials",
                        "type": "staff_directory",
                        "platform": "legistar",
                        "client": "maplewood",
                        "base_url": api_url,
                        # The public roster that alerts about officials link to (the API
                        # above is for the crawler, and the demo's copy stops with it).
                        "url": "https://maplewood.legistar.com/People.aspx",
                    },
                    {
                        "id": "filings",
                        "type": "candidate_list",
                        "platform": "csv",
                        "url": (database.parent / "candidates.csv").as_uri(),
                        "election": {"name": "2026 Municipal General", "date": "2026-04-07"},
                    },
                ],
            }
        ],
        "crawling": {"download_delay": 0, "autothrottle": False, "retries": 0},
        "alerts": {"feed": {"title": "CivicRadar demo: City of Maplewood"}},
    }


def run_demo(output: Path) -> None:
    output = output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    database = output / "civicradar.db"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    # The replay starts from an empty store; forget that this file was migrated earlier
    # in this process (a second demo run in one process recreates it).
    store_module._migrated.discard(f"sqlite:///{database}")
    with LegistarServer({"maplewood": ClientData.from_folders(CITY / "day1")}) as server:
        config_path = output / "civicradar.yaml"
        config_path.write_text(
            "# Written by `civicradar demo`. The Legistar base_url is the demo's local server,\n"
            "# which stops when the demo ends: read the store with this file (changes, meetings,\n"
            "# people, candidates ...); `crawl` or `run` with it would only record failures.\n"
            + yaml.safe_dump(demo_config(server.url, database), sort_keys=False),
            encoding="utf-8",
        )
        config = load_config(str(config_path))
        store = Store(config.database)
        click.echo(f"Sample Legistar API for the fictional City of Maplewood at {server.url}\n")
        for index, (when, folders, story) in enumerate(DAYS, start=1):
            now = dt.datetime.fromisoformat(when)
            server.clients["maplewood"] = ClientData.from_folders(*(CITY / f for f in folders))
            filings = CITY / "candidates" / f"{folders[-1]}.csv"  # the clerk's list that day
            (output / "candidates.csv").write_bytes(filings.read_bytes())
            click.secho(f"Day {index} ({now.date()}): {story}", bold=True)
            _day(store, config, now)
        _finish(store, config, output, config_path)
        store.close()


def _day(store: Store, config: Any, now: dt.datetime) -> None:
    crawled = crawl_step(store, config, now)
    for report in crawled.reports:
        line = f"  crawl {report.label}: {report.status}, {counted(report.records, 'record')}, "
        click.echo(line + f"{counted(report.requests, 'request')}, {report.bytes:,} bytes")
    found = detect(store, config, now)
    with store.session() as session:
        changes = [c for c in list_changes(session) if c.id in set(found.changes)]
        if not changes:
            click.echo("  no changes")
        for change in changes:
            click.echo(f"  [{change.kind}] {change.summary}")
            snippet = change.data.get("snippet")
            if snippet:
                click.echo(f"      “{snippet}”")
    click.echo("")


def _finish(store: Store, config: Any, output: Path, config_path: Path) -> None:
    click.secho("Meetings stored now (local times, America/Chicago):", bold=True)
    with store.session() as session:
        rows = [meeting_row(m) for m in list_meetings(session)]
    render(rows, "table", columns=["body", "meeting_date", "start", "status", "items"])
    feed_path = output / "feed.xml"
    try:
        from civicradar.alerts.feed import write_feed
    except ImportError:
        click.echo("\nfeed: the RSS writer (alerts/feed.py) is not available in this build")
    else:
        items = write_feed(store, config, feed_path, fmt="rss")
        click.echo(f"\nRSS feed with {items} items written to {feed_path}")
    preview_path = output / "digest-preview.html"
    last_day = dt.date.fromisoformat(DAYS[-1][0][:10])
    preview = write_preview(store, config, last_day, preview_path)
    click.echo(
        f"Email digest of {last_day} ({counted(preview.changes, 'change')}) previewed in "
        f"{preview_path} (open it in a browser; nothing was sent)"
    )
    click.echo(f"Store (SQLite) written to {output / 'civicradar.db'}")
    click.echo(f"Configuration written to {config_path}\n")
    click.echo("Look around:")
    # The demo's election is in the past on the real clock; candidates lists upcoming ones,
    # so that hint replays the demo's last day.
    last_day = DAYS[-1][0][:10]
    for prefix, command in (
        ("", "changes"),
        ("", "changes --kind meeting_change --format json"),
        ("", "meetings"),
        (f"CIVICRADAR_NOW={last_day} ", "candidates --calendar"),
    ):
        click.echo(f"  {prefix}civicradar --config {config_path} {command}")
