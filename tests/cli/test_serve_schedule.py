"""The schedule of ``serve``: next-run times in the config's zone, and never two runs at once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from civicradar.config.loader import ConfigError, parse_config
from civicradar.models.store import Store
from civicradar.scheduler import RunBusy, RunLock, Scheduler, _advisory_lock, next_run

UTC = dt.UTC


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # 05:00 CST -> 06:00 CST the same morning
        (dt.datetime(2026, 3, 2, 11, 0, tzinfo=UTC), dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
        # exactly at the run time -> the next day's
        (dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC), dt.datetime(2026, 3, 3, 12, 0, tzinfo=UTC)),
        # across the spring-forward night: 06:00 CDT is 11:00 UTC
        (dt.datetime(2026, 3, 7, 13, 0, tzinfo=UTC), dt.datetime(2026, 3, 8, 11, 0, tzinfo=UTC)),
        # and back in November: 06:00 CST is 12:00 UTC again
        (dt.datetime(2026, 10, 31, 12, 0, tzinfo=UTC), dt.datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
    ],
)
def test_next_run_is_computed_in_the_schedule_time_zone(after, expected):
    assert next_run("0 6 * * *", "America/Chicago", after) == expected


def test_weekday_cron_skips_the_weekend():
    friday_evening = dt.datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    assert next_run("30 7 * * 1-5", "UTC", friday_evening) == dt.datetime(
        2026, 3, 9, 7, 30, tzinfo=UTC
    )


def test_bad_cron_is_a_configuration_error():
    with pytest.raises(ConfigError, match=r"schedule\.cron: expected a 5-field cron"):
        parse_config("initiative: {name: X, terms: [a]}\nschedule: {cron: 'every day'}\n")


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'lock.db'}")
    yield store
    store.close()


def test_lock_refuses_a_second_run_in_the_same_process(store):
    lock = RunLock(store)
    with lock.hold():
        assert lock.busy
        with pytest.raises(RunBusy), RunLock(store).hold():
            pass
        with pytest.raises(RunBusy), lock.hold():
            pass
    with lock.hold():
        pass


def test_lock_refuses_a_run_while_another_process_holds_it(store):
    lock = RunLock(store)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import fcntl, sys, time
                handle = open({str(lock.path)!r}, "a+")
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                print("held", flush=True)
                time.sleep(30)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunBusy, match="another process"), lock.hold():
            pass
    finally:
        holder.kill()  # a killed holder leaves no stale lock behind
        holder.wait()
    with lock.hold():
        pass


@pytest.mark.postgres
def test_postgres_advisory_lock_keeps_hosts_apart(postgres_url):
    first, second = Store(postgres_url), Store(postgres_url)
    try:
        with (
            _advisory_lock(first),
            pytest.raises(RunBusy, match="advisory"),
            _advisory_lock(second),
        ):
            pass
        with _advisory_lock(second):
            pass
    finally:
        first.close()
        second.close()


def _config(cron: str = "* * * * *"):
    return parse_config(
        f"initiative: {{name: X, terms: [a]}}\nschedule: {{cron: '{cron}', timezone: UTC}}\n"
    )


def test_a_busy_lock_skips_the_scheduled_run_instead_of_overlapping(store):
    ran = []
    scheduler = Scheduler(_config(), RunLock(store), lambda: ran.append(1) or "done")
    with RunLock(store).hold():
        assert scheduler.run_once().startswith("skipped")
    assert ran == []
    assert scheduler.run_once() == "done" and ran == [1]


def test_a_failing_job_is_reported_and_the_scheduler_keeps_going(store):
    def broken() -> str:
        raise RuntimeError("source exploded")

    scheduler = Scheduler(_config(), RunLock(store), broken)
    assert scheduler.run_once() == "failed: RuntimeError: source exploded"


def test_scheduler_loop_runs_the_job_when_its_cron_time_comes(store):
    """A real loop with a cron of every minute, its clock set just before the minute."""
    real = dt.datetime.now(UTC)
    next_minute = real.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    offset = next_minute - real - dt.timedelta(seconds=0.3)
    done = threading.Event()
    scheduler = Scheduler(
        _config(),
        RunLock(store),
        lambda: done.set() or "ran",
        now=lambda: dt.datetime.now(UTC) + offset,
    )
    started = time.monotonic()
    scheduler.start()
    try:
        assert done.wait(10)
        assert time.monotonic() - started < 5
    finally:
        scheduler.stop()
    assert scheduler.last_result == "ran"
    assert scheduler.status()["cron"] == "* * * * *"
