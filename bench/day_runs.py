"""One day of ``civicradar run`` (and of urlwatch) against the simulated region, measured.

The CLI runs as a subprocess with a config written here and ``CIVICRADAR_NOW`` set to the
day; its wall time, CPU time and peak RSS come from ``os.wait4`` (that process alone),
requests, bytes and 304s from its own ``crawl_runs`` rows, store growth from the database
size before and after, and changes from the ``changes`` rows it added. The region's
server reports its CPU time separately.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from region import COLD_DAY, Shape, entry_pages, sources
from region_server import Region
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine

from civicradar.models.tables import Change, CrawlRun

DAYS: dict[str, tuple[dt.date, int | None]] = {
    "cold": (COLD_DAY, 0),
    "ordinary": (COLD_DAY + dt.timedelta(days=1), 1),
    "unchanged": (COLD_DAY + dt.timedelta(days=2), None),  # None: as the day before
}
POLITENESS: dict[str, dict[str, Any]] = {
    "default": {},  # the project's defaults: robots.txt, 0.25 s delay, AutoThrottle, 2 per host
    "none": {"download_delay": 0, "autothrottle": False},
}
REGION = {"cities": 50, "staff": 2000, "meetings": 200}
SMALL = {"cities": 3, "staff": 40, "meetings": 45}  # a meeting a week: ~90 requests a cold day
POSTGRES_ADMIN = os.environ.get(
    "CIVICRADAR_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass
class DayFigures:
    """What one day cost one program."""

    day: str
    wall_s: float
    cpu_s: float
    rss_mb: float
    requests: int
    not_modified: int
    bytes: int
    load: float
    server_cpu_s: float = 0.0
    served_requests: int = 0
    served_bytes: int = 0
    store_before: int = 0
    store_after: int = 0
    changes: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)


def civicradar_command() -> list[str]:
    script = Path(sys.executable).parent / "civicradar"
    return [str(script)] if script.exists() else [shutil.which("civicradar") or "civicradar"]


def measured(
    command: list[str], env: dict[str, str], log: Path, sampler: list[str] | None = None
) -> tuple[float, float, float]:
    """Run a command to the end: (wall s, CPU s, peak RSS MB) of that process alone.

    ``sampler`` (py-spy's ``record`` command line) is attached to the process by pid, so
    the figures stay the command's own; it misses the first moments of start-up."""
    with log.open("wb") as out:
        began = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        spy = None
        if sampler:
            spy = subprocess.Popen(
                [*sampler, "--pid", str(process.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - began
    if spy is not None:
        spy.wait(60)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


class Database:
    """A fresh store: a SQLite file, or a PostgreSQL database created here and dropped after."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.name = f"civicradar_bench_{uuid.uuid4().hex[:10]}"
        if kind == "sqlite":
            self.path = folder / "store.db"
            self.url = f"sqlite:///{self.path}"
        else:
            admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            admin.dispose()
            self.url = POSTGRES_ADMIN.rsplit("/", 1)[0] + "/" + self.name
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.url)
        return self._engine

    def size(self) -> int:
        if self.kind == "sqlite":
            files = [self.path, self.path.with_name(self.path.name + "-wal")]
            return sum(f.stat().st_size for f in files if f.exists())
        with self.engine.connect() as connection:
            return int(connection.scalar(text("SELECT pg_database_size(current_database())")))

    def last_ids(self) -> tuple[int, int]:
        """The newest crawl run and change ids (0 before the first run)."""
        try:
            with self.engine.connect() as connection:
                return (
                    connection.scalar(select(func.max(CrawlRun.id))) or 0,
                    connection.scalar(select(func.max(Change.id))) or 0,
                )
        except Exception:  # no tables yet: the CLI migrates on first use
            return 0, 0

    def day_figures(self, after: tuple[int, int]) -> tuple[Counter, Counter, int, int, int]:
        """(changes by kind, run statuses, requests, 304s, bytes) recorded after ``after``."""
        with self.engine.connect() as connection:
            runs = connection.execute(
                select(
                    CrawlRun.status, CrawlRun.requests, CrawlRun.not_modified, CrawlRun.bytes
                ).where(CrawlRun.id > after[0])
            ).all()
            kinds = connection.execute(
                select(Change.kind, func.count()).where(Change.id > after[1]).group_by(Change.kind)
            ).all()
        statuses = Counter(r.status for r in runs)
        return (
            Counter(dict(kinds)),
            statuses,
            sum(r.requests for r in runs),
            sum(r.not_modified for r in runs),
            sum(r.bytes for r in runs),
        )

    def _admin(self, *statements: str) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
        admin.dispose()

    def snapshot(self) -> None:
        """Keep the store as it is now, so several days can start from it (restore)."""
        if self.kind == "sqlite":
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            shutil.copyfile(self.path, self.path.with_suffix(".snapshot"))
        else:
            self._admin(f'CREATE DATABASE "{self.name}_snap" TEMPLATE "{self.name}"')

    def restore(self) -> None:
        if self.kind == "sqlite":
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
            for stale in (self.path.name + "-wal", self.path.name + "-shm"):
                self.path.with_name(stale).unlink(missing_ok=True)
            shutil.copyfile(self.path.with_suffix(".snapshot"), self.path)
        else:
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.name}_snap"',
            )

    def drop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        if self.kind == "postgresql":
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                f'DROP DATABASE IF EXISTS "{self.name}_snap" WITH (FORCE)',
            )


def postgres_reachable() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    try:
        engine = create_engine(POSTGRES_ADMIN, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:
        return str(getattr(exc, "orig", None) or exc).splitlines()[0]


def write_config(folder: Path, region: Region, database: str, politeness: str) -> Path:
    config = {
        "database": database,
        "initiative": {"name": "Early Learning", "terms": ["child care", "pre-k"]},
        "jurisdictions": sources(region.shape, region.base),
        "crawling": POLITENESS[politeness],
        "schedule": {"timezone": "America/Chicago"},
        "alerts": {
            "email": {
                "smtp_url": f"smtp://127.0.0.1:{region.smtp_port}",
                "sender": "radar@bench.test",
                "starttls": "never",
                "recipients": [
                    {"address": "team@bench.test"},
                    {
                        "address": "staffing@bench.test",
                        "kinds": ["staff_departure", "staff_arrival", "staff_role_change"],
                    },
                ],
            }
        },
    }
    path = folder / "civicradar.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def civicradar_day(
    region: Region,
    database: Database,
    config: Path,
    day: str,
    folder: Path,
    sampler: list[str] | None = None,
) -> DayFigures:
    """Publish the day's version of the world and run ``civicradar run`` on it."""
    date, version = DAYS[day]
    if version is not None:
        region.publish(version)
    before, size_before = database.last_ids(), database.size()
    server_before = region.reset()["cpu_s"]
    env = {**os.environ, "CIVICRADAR_NOW": date.isoformat()}
    env.pop("CIVICRADAR_CONFIG", None)
    load = os.getloadavg()[0]
    command = [*civicradar_command(), "--config", str(config), "run"]
    wall, cpu, rss = measured(command, env, folder / f"{day}.log", sampler)
    served = region.stats()
    kinds, statuses, requests, not_modified, received = database.day_figures(before)
    return DayFigures(
        day=day,
        wall_s=wall,
        cpu_s=cpu,
        rss_mb=rss,
        requests=requests,
        not_modified=not_modified,
        bytes=received,
        load=load,
        server_cpu_s=served["cpu_s"] - server_before,
        served_requests=served["clients"].get("civicradar", {}).get("requests", 0),
        served_bytes=served["clients"].get("civicradar", {}).get("bytes", 0),
        store_before=size_before,
        store_after=database.size(),
        changes=kinds,
        statuses=statuses,
    )


def urlwatch_available() -> str | None:
    """The urlwatch executable beside this Python, or None (bench/requirements.txt)."""
    script = Path(sys.executable).parent / "urlwatch"
    return str(script) if script.exists() else shutil.which("urlwatch")


class Urlwatch:
    """urlwatch on every source's entry page, with its own cache, config and HOME."""

    def __init__(self, executable: str, region: Region, folder: Path) -> None:
        self.executable = executable
        self.region = region
        self.folder = folder / "urlwatch"
        self.folder.mkdir(parents=True, exist_ok=True)
        urls = entry_pages(region.shape, region.base, COLD_DAY)
        jobs = [{"name": f"page {n}", "url": url} for n, url in enumerate(urls)]
        (self.folder / "urls.yaml").write_text(
            yaml.safe_dump_all(jobs, sort_keys=False), encoding="utf-8"
        )
        (self.folder / "urlwatch.yaml").write_text(
            yaml.safe_dump({"report": {"stdout": {"enabled": True, "color": False}}}),
            encoding="utf-8",
        )
        self.pages = len(urls)

    def snapshot(self) -> None:
        shutil.copyfile(self.folder / "cache.db", self.folder / "cache.snapshot")

    def restore(self) -> None:
        shutil.copyfile(self.folder / "cache.snapshot", self.folder / "cache.db")

    def day(self, day: str) -> DayFigures:
        """Run urlwatch once on the world as the region serves it now."""
        files = self.folder
        command = [
            self.executable,
            *("--urls", str(files / "urls.yaml")),
            *("--config", str(files / "urlwatch.yaml")),
            *("--hooks", str(files / "hooks.py")),
            *("--cache", str(files / "cache.db")),
        ]
        env = {**os.environ, "HOME": str(files), "XDG_CONFIG_HOME": str(files)}
        server_before = self.region.reset()["cpu_s"]
        load = os.getloadavg()[0]
        wall, cpu, rss = measured(command, env, files / f"{day}.log")
        served = self.region.stats()
        counts = served["clients"].get("urlwatch", {})
        return DayFigures(
            day=day,
            wall_s=wall,
            cpu_s=cpu,
            rss_mb=rss,
            requests=counts.get("requests", 0),
            not_modified=counts.get("not_modified", 0),
            bytes=counts.get("bytes", 0),
            load=load,
            server_cpu_s=served["cpu_s"] - server_before,
            served_requests=counts.get("requests", 0),
            served_bytes=counts.get("bytes", 0),
        )


def shape_summary(shape: Shape) -> str:
    cities = shape.cities
    sources_count = 4 * cities + sum(shape.has_officials(c) for c in range(cities))
    return (
        f"{cities} cities x {shape.staff:,} staff (HTML pages of {shape.per_page} + open-data "
        f"JSON), Legistar {shape.meetings} meetings a year x 8 items and officials in "
        f"{sum(shape.has_officials(c) for c in range(cities))} cities, a candidate CSV each: "
        f"{sources_count} sources"
    )
