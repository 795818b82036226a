"""Profile of an ordinary day: where the wall time of ``civicradar run`` goes (issue 17).

Builds the region of ``bench/day_cycle.py``, runs the cold day unprofiled (without
politeness delays, to be quick; the store it leaves is the same), then the ordinary day
under py-spy (bench/requirements.txt), sampling every thread, idle or not,
and reads the samples back: the main thread's time by phase (start-up, preparing the
crawl, waiting for the crawl, recording runs, detect, deliver), the reactor thread's
crawl time split into waiting (network and politeness delays: an idle event loop) and
work (spiders' parsing, Scrapy and Twisted), and the top functions by own and by
inclusive time.

    .venv/bin/python bench/day_profile.py [--small] [--cities 50] [--staff 2000]
        [--meetings 200] [--db sqlite|postgresql] [--politeness default|none]
        [--rate 50] [--raw FILE] [--top 15]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from day_runs import REGION, SMALL, Database, civicradar_day, shape_summary, write_config
from region import Shape
from region_server import Region

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]*)(?::(?P<line>\d+))?\)$")
WAITING_LEAVES = (
    "select",
    "poll",
    "epoll",
    "wait",
    "acquire",
    "sleep",
    "_wait_for_tstate_lock",
    "recv",
    "recv_into",
    "accept",
)
"""Leaf functions in which a thread waits (for a socket, a timer, a lock or another thread)."""
MAIN_PHASES = (
    ("record runs", ("_record_run (civicradar/pipeline.py",)),
    ("crawl (waiting for the reactor thread)", ("crawl (civicradar/crawlers/engine.py",)),
    ("crawl: prepare jobs (sources, crawl state)", ("crawl_step (civicradar/pipeline.py",)),
    ("detect", ("detect (civicradar/monitors/detect.py",)),
    ("deliver", ("deliver (civicradar/alerts/deliver.py",)),
)
"""The first match (innermost phase first) names a main-thread sample's phase."""


def frames(stack: str) -> list[str]:
    """Root first; py-spy writes ``function (path/to/file.py:line)``; paths made short."""
    result = []
    for raw in stack.split(";")[1:]:
        found = _FRAME.match(raw)
        if found is None:
            result.append(raw)
            continue
        path = found["file"]
        for marker in ("site-packages/", "/lib/python3", "bench-day/"):
            if marker in path:
                path = path.split(marker, 1)[1]
        for mapped, package in (
            ("crawlers/", "civicradar/crawlers/"),
            ("monitors/", "civicradar/monitors/"),
            ("models/", "civicradar/models/"),
            ("alerts/", "civicradar/alerts/"),
            ("config/", "civicradar/config/"),
        ):
            if path.startswith(mapped):
                path = package + path.removeprefix(mapped)
        result.append(f"{found['function']} ({path})")
    return result


def read_samples(raw: Path) -> dict[str, Counter]:
    """Samples per thread id: a Counter of stacks (tuples of frames, root first)."""
    threads: dict[str, Counter] = {}
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        thread = stack.split(";", 1)[0].split(")", 1)[0] + ")"
        threads.setdefault(thread, Counter())[tuple(frames(stack))] += int(count)
    return threads


def is_waiting(stack: tuple[str, ...]) -> bool:
    leaf = stack[-1].split(" (", 1)[0].rsplit(".", 1)[-1] if stack else ""
    return leaf in WAITING_LEAVES or leaf.endswith(("_wait", "select"))


STARTUP = (
    ("start-up: imports", "_find_and_load ("),
    ("start-up: config (load_config)", "load_config ("),
    ("start-up: store (engine, migrations)", "civicradar/models/store.py"),
    ("start-up: run lock", "exclusive_run ("),
)


def main_phase(stack: tuple[str, ...]) -> str:
    text = ";".join(stack)
    for phase, markers in MAIN_PHASES:
        if any(marker in text for marker in markers):
            return phase
    if not stack:
        return "start-up and exit: no Python frame (interpreter, extension modules)"
    for phase, marker in STARTUP:
        if marker in text:
            return phase
    return "start-up and exit: other"


def crawl_activity(stack: tuple[str, ...]) -> str:
    files = [f.split(" (", 1)[1] for f in stack if " (" in f]
    ours = [f for f in files if f.startswith("civicradar/crawlers/")]
    if ours and ours[-1].startswith("civicradar/crawlers/engine.py"):
        return "setting up a Scrapy crawler per source (engine._crawl_all)"
    if ours:
        return "spiders: parsing and building records (civicradar/crawlers)"
    if any(f.startswith(("lxml", "parsel")) for f in files):
        return "HTML parsing outside spiders (lxml/parsel)"
    return "Scrapy and Twisted: scheduling, downloading, middlewares"


def print_share(title: str, counts: Counter, rate: int, top: int = 15) -> None:
    total = sum(counts.values()) or 1
    print(f"\n{title} ({total / rate:.1f} s sampled)")
    shown = counts.most_common(top)
    rest = total - sum(n for _, n in shown)
    for name, n in [*shown, *([(f"the other {len(counts) - top}", rest)] if rest else [])]:
        print(f"  {n / rate:7.1f} s {100 * n / total:5.1f}%  {name}")


def package_of(frame: str) -> str:
    """The library (or project area) a frame's file belongs to."""
    path = frame.rsplit(" (", 1)[-1].rstrip(")")
    if path.startswith("<frozen importlib") or "importlib" in path:
        return "imports (importlib)"
    if path.startswith("civicradar/"):
        return "/".join(path.split("/")[:2])
    head = path.split("/", 1)[0]
    return head if "/" in path and not head.endswith(".py") else f"stdlib/other ({head})"


def print_top(threads: dict[str, Counter], rate: int, top: int) -> None:
    own: Counter = Counter()
    inclusive: Counter = Counter()
    for samples in threads.values():
        for stack, n in samples.items():
            if is_waiting(stack) or not stack:
                continue
            own[stack[-1]] += n
            for frame in set(stack):
                inclusive[frame] += n
    busy = sum(n for s in threads.values() for st, n in s.items() if st and not is_waiting(st))
    packages: Counter = Counter()
    for frame, n in own.items():
        packages[package_of(frame)] += n
    print_share("busy time of every thread by package (own time)", packages, rate)
    print(f"\ntop {top} by own time (busy samples of every thread: {busy / rate:.1f} s)")
    for frame, n in own.most_common(top):
        print(f"  {n / rate:7.2f} s {100 * n / max(busy, 1):5.1f}%  {frame}")
    print(f"\ntop {top} by inclusive time (busy samples; project code and its direct callees)")
    shown = [
        (frame, n)
        for frame, n in inclusive.most_common()
        if "civicradar/" in frame
        and "<module>" not in frame
        and not frame.startswith(("main (", "handles_config_errors"))
    ]
    for frame, n in shown[:top]:
        print(f"  {n / rate:7.2f} s {100 * n / max(busy, 1):5.1f}%  {frame}")


def report(raw: Path, rate: int, top: int) -> None:
    threads = read_samples(raw)
    main = max(
        threads,
        key=lambda t: sum(n for s, n in threads[t].items() if any("cli.py" in f for f in s)),
    )
    reactor = max(
        (t for t in threads if t != main),
        key=lambda t: sum(n for s, n in threads[t].items() if any("twisted" in f for f in s)),
        default=None,
    )
    phases: Counter = Counter()
    for stack, n in threads[main].items():
        phase = main_phase(stack)
        if phase == "crawl (waiting for the reactor thread)" and not is_waiting(stack):
            phase = "crawl: main thread busy (scheduling spiders)"
        phases[phase] += n
    print_share("main thread, by phase of the run", phases, rate)
    if reactor is not None:
        activity: Counter = Counter()
        for stack, n in threads[reactor].items():
            if not is_waiting(stack):
                activity[crawl_activity(stack)] += n
        crawl = phases["crawl (waiting for the reactor thread)"]
        activity["waiting: replies, the server, politeness delays (crawl wall - busy)"] = max(
            crawl - sum(activity.values()), 0
        )
        print_share(
            "the crawl (reactor thread) while the main thread waited for it", activity, rate
        )
    others = sum(sum(s.values()) for t, s in threads.items() if t not in (main, reactor))
    print(f"\nother threads: {len(threads) - 2}, {others / rate:.1f} thread-seconds sampled")
    print_top(threads, rate, top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--cities", type=int)
    parser.add_argument("--staff", type=int)
    parser.add_argument("--meetings", type=int)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--politeness", choices=("default", "none"), default="default")
    parser.add_argument("--rate", type=int, default=50, help="samples per second per thread")
    parser.add_argument("--raw", type=Path, help="keep py-spy's raw samples here")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--read", type=Path, help="only summarise an existing raw file")
    args = parser.parse_args(argv)
    if args.read:
        report(args.read, args.rate, args.top)
        return
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        sys.exit("py-spy is not installed: pip install -r bench/requirements.txt")
    preset = SMALL if args.small else REGION
    shape = Shape(
        cities=args.cities or preset["cities"],
        staff=args.staff or preset["staff"],
        meetings=args.meetings or preset["meetings"],
    )
    print(f"Profile of an ordinary day: {shape_summary(shape)}")
    print(f"store {args.db}, politeness {args.politeness}, py-spy at {args.rate} Hz per thread")
    with Region(shape) as region, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = args.raw or folder / "ordinary.raw"
        database = Database(args.db, folder)
        try:
            config = write_config(folder, region, database.url, "none")  # quicker set-up
            cold = civicradar_day(region, database, config, "cold", folder)
            print(f"cold day (not profiled, politeness none): {cold.wall_s:.1f} s")
            config = write_config(folder, region, database.url, args.politeness)
            sampler = [str(spy), "record", "--threads", "--idle", "--format", "raw"]
            sampler += ["--rate", str(args.rate), "--output", str(raw)]
            load = os.getloadavg()[0]
            day = civicradar_day(region, database, config, "ordinary", folder, sampler)
        finally:
            database.drop()
        print(
            f"ordinary day under py-spy: {day.wall_s:.1f} s wall, {day.requests:,} requests, "
            f"{sum(day.changes.values())} changes; load average {load:.1f}; server CPU "
            f"{day.server_cpu_s:.1f} s"
        )
        report(raw, args.rate, args.top)


if __name__ == "__main__":
    main()
