"""The daily job on a cron schedule, and the lock that keeps two runs from overlapping.

The lock has two layers: a thread lock (the scheduler and ``POST /api/run`` share a
process) and an ``flock`` on a lock file (another process: ``civicradar run`` from cron,
a second ``serve``). The kernel drops an ``flock`` when its process dies, so a killed
run never leaves a stale lock. For a SQLite store the file sits beside the database;
for a server database it is in the temp directory, keyed by the database URL, and on
PostgreSQL a session advisory lock is taken as well so hosts sharing it do not overlap.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from croniter import croniter
from sqlalchemy import text
from sqlalchemy.engine import make_url

from civicradar import clock
from civicradar.config.schema import Config
from civicradar.models.store import Store

log = logging.getLogger(__name__)
ADVISORY_KEY = 0x43697669  # "Civi": one advisory lock id for the daily job


def next_run(cron: str, timezone: str, after: dt.datetime) -> dt.datetime:
    """The first time strictly after ``after`` that ``cron`` names in ``timezone`` (aware UTC)."""
    local = after.astimezone(ZoneInfo(timezone))
    upcoming = croniter(cron, local).get_next(dt.datetime)
    return upcoming.astimezone(dt.UTC)


def lock_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_name(Path(url.database).name + ".run.lock")
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"civicradar-{digest}.run.lock"


class RunBusy(Exception):
    """Another run holds the lock."""


class RunLock:
    """Non-blocking mutual exclusion for the daily job, within and across processes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = lock_path(store.url)
        self._thread_lock = threading.Lock()

    @property
    def busy(self) -> bool:
        return self._thread_lock.locked()

    @contextmanager
    def hold(self) -> Iterator[None]:
        if not self._thread_lock.acquire(blocking=False):
            raise RunBusy("a run is already in progress in this process")
        try:
            with _file_lock(self.path), _advisory_lock(self.store):
                yield
        finally:
            self._thread_lock.release()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = open(path, "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunBusy(f"another process holds {path}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def _advisory_lock(store: Store) -> Iterator[None]:
    if store.engine.dialect.name != "postgresql":
        yield
        return
    with store.engine.connect() as connection:
        got = connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY})
        if not got:
            raise RunBusy("another host holds the PostgreSQL advisory lock")
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            connection.commit()


def daily_job(store: Store, config: Config) -> str:
    """crawl + detect + deliver, as ``civicradar run`` does; returns a one-line summary."""
    from civicradar.alerts.deliver import deliver
    from civicradar.monitors.detect import detect
    from civicradar.pipeline import crawl_step

    now = clock.now()
    crawled = crawl_step(store, config, now)
    found = detect(store, config, now)
    delivered = deliver(store, config, now)
    return (
        f"crawled {len(crawled.reports)} sources, {len(found.changes)} new changes, "
        f"{delivered.describe()}"
    )


class Scheduler:
    """A daemon thread running ``job`` at each cron time; ``trigger`` runs it now."""

    def __init__(
        self,
        config: Config,
        lock: RunLock,
        job: Callable[[], str],
        *,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.config = config
        self.lock = lock
        self.job = job
        self.now = now
        self.last_result: str | None = None
        self.next_at: dt.datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> str:
        """Run the job under the lock; a busy lock skips this run (the next one catches up)."""
        try:
            with self.lock.hold():
                result = self.job()
        except RunBusy as exc:
            result = f"skipped: {exc}"
        except Exception as exc:  # a broken run must not stop the service
            log.exception("daily job failed")
            result = f"failed: {type(exc).__name__}: {exc}"
        self.last_result = result
        log.warning("daily job: %s", result)
        return result

    def trigger(self) -> bool:
        """Start a run in the background now; False if one is already running here."""
        if self.lock.busy:
            return False
        threading.Thread(target=self.run_once, name="civicradar-run", daemon=True).start()
        return True

    def _loop(self) -> None:
        schedule = self.config.schedule
        while not self._stop.is_set():
            self.next_at = next_run(schedule.cron, schedule.timezone, self.now())
            log.info("next daily run at %s", self.next_at.isoformat())
            while not self._stop.is_set():
                remaining = (self.next_at - self.now()).total_seconds()
                if remaining <= 0:
                    break
                self._stop.wait(min(remaining, 60))
            if not self._stop.is_set():
                self.run_once()

    def start(self) -> Scheduler:
        self._thread = threading.Thread(target=self._loop, name="civicradar-schedule", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def status(self) -> dict[str, Any]:
        return {
            "cron": self.config.schedule.cron,
            "timezone": self.config.schedule.timezone,
            "next_run": self.next_at.isoformat() if self.next_at else None,
            "running": self.lock.busy,
            "last_result": self.last_result,
        }
