"""Benchmark: CivicRadar's daily cycle on a simulated region, against urlwatch (issue 17).

Builds the region of ``bench/region.py`` (default 50 cities, 234 sources), serves it on
127.0.0.1 from a separate process (``bench/region_server.py``: ETag, Last-Modified, 304s,
an SMTP sink), and runs the real CLI, ``civicradar run``, as a subprocess for a cold day,
an ordinary day (in every city 2 hires, 2 departures, 3 role changes, 2 new meetings and
a changed one; a new candidate in every fifth city) and an unchanged day, on SQLite and
PostgreSQL, with the project's default politeness and with none (``download_delay: 0``,
``autothrottle: false``). The cold day runs once per store with the first politeness
listed; the later days then run once per politeness, each from a snapshot of the store
(and of urlwatch's cache) taken after the cold day. Everything runs ``--repeat`` times on
a fresh store; the lowest wall time (and lowest peak RSS) is printed with the load
average seen. Where
urlwatch is installed (bench/requirements.txt) it watches the same sources' entry pages
after each day and the ratio CivicRadar / urlwatch is printed.

    .venv/bin/python bench/day_cycle.py [--small] [--cities 50] [--staff 2000]
        [--meetings 200] [--days cold,ordinary,unchanged] [--db sqlite|postgresql|both]
        [--politeness none,default] [--repeat 2] [--no-urlwatch]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from day_runs import (
    DAYS,
    POLITENESS,
    REGION,
    SMALL,
    Database,
    DayFigures,
    Urlwatch,
    civicradar_day,
    postgres_reachable,
    shape_summary,
    urlwatch_available,
    write_config,
)
from region import DAY_CHANGES, Shape
from region_server import Region

Key = tuple[str, str, str]  # (database, politeness, day)


def sequence(
    region: Region,
    db: str,
    politeness: list[str],
    days: list[str],
    watcher_exe: str | None,
    profile: Path | None = None,
) -> tuple[list[tuple[str, DayFigures]], list[DayFigures]]:
    """A fresh store's cold day (with the first politeness listed), then the later days
    once per politeness, each branch starting from a snapshot of the store after the cold
    day. Returns (politeness, figures) of the days asked for, and urlwatch's figures.
    With ``profile``, the ordinary day of the last politeness runs under py-spy."""
    ours: list[tuple[str, DayFigures]] = []
    theirs: list[DayFigures] = []
    later = [d for d in DAYS if d != "cold" and d in days]
    with tempfile.TemporaryDirectory(prefix="civicradar-day-") as tmp:
        folder = Path(tmp)
        database = Database(db, folder)
        watcher = Urlwatch(watcher_exe, region, folder) if watcher_exe else None
        try:
            for n, polite in enumerate(politeness):
                config = write_config(folder, region, database.url, polite)
                if n == 0:
                    region.publish(0)
                    schedule = ["cold", *later]
                else:
                    database.restore()
                    if watcher is not None:
                        watcher.restore()
                    region.publish(0)
                    schedule = later
                for day in schedule:
                    sampler = None
                    if profile and day == "ordinary" and polite == politeness[-1]:
                        sampler = spy_command(profile)
                    figures = civicradar_day(region, database, config, day, folder, sampler)
                    if watcher is not None:
                        theirs.append(watcher.day(day))
                    if day == "cold" and len(politeness) > 1:
                        database.snapshot()
                        if watcher is not None:
                            watcher.snapshot()
                    if day in days:
                        ours.append((polite, figures))
                        print(f"  {db}/{polite}/{day}: {progress(figures)}", file=sys.stderr)
                        if watcher is not None:
                            print(f"  urlwatch/{day}: {progress(theirs[-1])}", file=sys.stderr)
        finally:
            database.drop()
    return ours, [t for t in theirs if t.day in days]


def spy_command(raw: Path) -> list[str]:
    """py-spy sampling every thread, idle or not, 50 times a second (bench/day_profile.py)."""
    spy = str(Path(sys.executable).parent / "py-spy")
    sampling = ["record", "--threads", "--idle", "--format", "raw", "--rate", "50"]
    return [spy, *sampling, "--output", str(raw)]


def progress(f: DayFigures) -> str:
    """One line per day as it finishes, so a long run shows its figures as it goes."""
    return (
        f"{f.wall_s:.1f} s wall, {f.cpu_s:.1f} s CPU, {f.requests or f.served_requests:,} "
        f"requests ({f.not_modified} 304), {f.served_bytes / 2**20:.1f} MB served, "
        f"{f.rss_mb:.0f} MB RSS, store {f.store_before / 2**20:.1f}->"
        f"{f.store_after / 2**20:.1f} MB, {sum(f.changes.values())} changes, server CPU "
        f"{f.server_cpu_s:.1f} s, load {f.load:.1f}"
    )


def best(runs: list[DayFigures]) -> DayFigures:
    """The run with the lowest wall time, carrying the lowest CPU time and peak RSS seen."""
    chosen = min(runs, key=lambda r: r.wall_s)
    chosen.cpu_s = min(r.cpu_s for r in runs)
    chosen.rss_mb = min(r.rss_mb for r in runs)
    return chosen


def megabytes(value: float) -> str:
    return f"{value / 2**20:,.1f}"


def print_tables(
    ours: dict[Key, list[DayFigures]], theirs: dict[str, list[DayFigures]], repeat: int
) -> None:
    header = (
        f"{'store':10} {'politeness':10} {'day':9} {'wall s':>7} {'CPU s':>6} {'requests':>8} "
        f"{'304':>5} {'MB in':>6} {'RSS MB':>6} {'store MB':>15} {'changes':>7} "
        f"{'srv CPU':>7} {'load':>5}"
    )
    print(f"\nCivicRadar (`civicradar run`), lowest of {repeat} runs per row")
    print(header)
    print("-" * len(header))
    for (db, politeness, day), runs in ours.items():
        r = best(runs)
        store = f"{megabytes(r.store_before)}->{megabytes(r.store_after)}"
        print(
            f"{db:10} {politeness:10} {day:9} {r.wall_s:7.1f} {r.cpu_s:6.1f} {r.requests:8,} "
            f"{r.not_modified:5,} {megabytes(r.bytes):>6} {r.rss_mb:6.0f} {store:>15} "
            f"{sum(r.changes.values()):7,} {r.server_cpu_s:7.1f} {r.load:5.1f}"
        )
    print("\nchanges recorded, by kind, and run statuses (first of each row's runs):")
    for (db, politeness, day), runs in ours.items():
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(runs[0].changes.items())) or "none"
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(runs[0].statuses.items()))
        print(f"  {db}/{politeness}/{day}: {kinds}; runs: {statuses}")
    if not theirs:
        return
    print(f"\nurlwatch on the same entry pages, lowest of {sum(map(len, theirs.values()))} runs")
    print(f"{'day':9} {'wall s':>7} {'CPU s':>6} {'requests':>8} {'304':>5} {'MB in':>6}", end="")
    print(f" {'RSS MB':>6}")
    watched = {day: best(runs) for day, runs in theirs.items()}
    for day, w in watched.items():
        print(
            f"{day:9} {w.wall_s:7.1f} {w.cpu_s:6.1f} {w.requests:8,} {w.not_modified:5,} "
            f"{megabytes(w.bytes):>6} {w.rss_mb:6.0f}"
        )
    print("\nCivicRadar / urlwatch (bytes: response bodies served to each)")
    print(f"{'store':10} {'politeness':10} {'day':9} {'wall':>7} {'bytes':>7} {'memory':>7}")
    for (db, politeness, day), runs in ours.items():
        r, w = best(runs), watched.get(day)
        if w is None:
            continue
        share = f"{r.served_bytes / w.bytes:6.1f}x" if w.bytes else "  (0 B)"
        print(
            f"{db:10} {politeness:10} {day:9} {r.wall_s / w.wall_s:6.1f}x {share:>7} "
            f"{r.rss_mb / w.rss_mb:6.1f}x"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--small", action="store_true", help="3 cities, 40 staff, 45 meetings a year"
    )
    parser.add_argument("--cities", type=int)
    parser.add_argument("--staff", type=int, help="people per city (default 2000)")
    parser.add_argument(
        "--meetings", type=int, help="Legistar events per city over a year (default 200)"
    )
    parser.add_argument("--per-page", type=int, default=500, help="people per directory page")
    parser.add_argument("--days", default="cold,ordinary,unchanged")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--politeness",
        default="none,default",
        help="none and/or default; the cold day runs with the first listed, the later days "
        "with each (from a snapshot of the store after the cold day)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs of each sequence")
    parser.add_argument("--no-urlwatch", action="store_true")
    parser.add_argument(
        "--profile",
        type=Path,
        help="also sample the first ordinary day of the last politeness with py-spy into this "
        "raw file (read it with bench/day_profile.py --read FILE)",
    )
    args = parser.parse_args(argv)
    preset = SMALL if args.small else REGION
    shape = Shape(
        cities=args.cities or preset["cities"],
        staff=args.staff or preset["staff"],
        meetings=args.meetings or preset["meetings"],
        per_page=args.per_page,
    )
    days = [d.strip() for d in args.days.split(",") if d.strip()]
    politeness = [p.strip() for p in args.politeness.split(",") if p.strip()]
    for value, known in [*((d, DAYS) for d in days), *((p, POLITENESS) for p in politeness)]:
        if value not in known:
            parser.error(f"unknown {value!r}; expected one of {', '.join(known)}")
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in databases and (why := postgres_reachable()):
        print(f"PostgreSQL skipped: not reachable ({why})")
        databases.remove("postgresql")
    watcher = None if args.no_urlwatch else urlwatch_available()
    if watcher is None and not args.no_urlwatch:
        print("urlwatch not installed (pip install -r bench/requirements.txt): no comparison")

    print(f"Day cycle: {shape_summary(shape)}")
    print(f"ordinary day, per city: {DAY_CHANGES}")
    print("politeness: default = the project's crawling defaults (obey_robots, download_delay")
    print("0.25 s, autothrottle on, 2 requests per host, 2 retries); none = delay 0, autothrottle")
    print(f"off. {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    ours: dict[Key, list[DayFigures]] = defaultdict(list)
    theirs: dict[str, list[DayFigures]] = defaultdict(list)
    with Region(shape) as region:
        for rep in range(args.repeat):
            for db in databases:
                profile = args.profile if rep == 0 and db == databases[0] else None
                measured, watched = sequence(region, db, politeness, days, watcher, profile)
                for polite, figures in measured:
                    ours[(db, polite, figures.day)].append(figures)
                for figures in watched:
                    theirs[figures.day].append(figures)
    print_tables(ours, theirs, args.repeat)
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
