"""A bad crawl is not news: every fault is a source_problem, and its absences never count.

Day 1 is the baseline; on day 2 one person has left *and* the page fails in some way.
The fault must produce exactly one source_problem and no departure; the person's absence
is counted only from the healthy days that follow (two of them, by default).
"""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import CrawlRun, Tenure
from tests.conftest import Reply, write_config
from tests.fixtures.staff.pages import directory_page, staff_sources, team

STAFF = team(20)
LEFT = STAFF[1:]  # one person gone


def _sleepy(request):
    time.sleep(2.5)
    return Reply(body=directory_page(LEFT))


FAULTS = {
    "http_500": lambda: Reply(status=500, body="Internal Server Error"),
    "timeout": lambda: _sleepy,
    "empty_page": lambda: Reply(body=""),
    "truncated_transfer": lambda: Reply(body=directory_page(LEFT), truncate=True),
    "truncated_html": lambda: Reply(body=directory_page(LEFT)[: len(directory_page(LEFT)) // 2]),
    "dropped_30_percent": lambda: Reply(body=directory_page(STAFF[6:])),
    "lost_title_column": lambda: Reply(
        body=directory_page(LEFT, headers=("Name", "Department", "Email", "Phone"))
    ),
    "login_page": lambda: Reply(body="<html><body><form>Sign in</form></body></html>"),
}


def _day(cli_run, config, date):
    for command in ("crawl", "detect"):
        result = cli_run("--config", config, command, now=date)
        assert result.exit_code == 0, result.output


def _changes(cli_run, config, date):
    result = cli_run("--config", config, "changes", "--format", "json", now=date)
    return json.loads(result.output)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_a_source_problem_and_never_a_departure(fault, tmp_path, http_server, cli_run):
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    crawling = {"download_delay": 0, "autothrottle": False, "retries": 0, "timeout_seconds": 1}
    config = write_config(tmp_path, staff_sources(source, crawling=crawling))
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF))
    _day(cli_run, config, "2026-03-02")

    http_server.routes["/staff"] = FAULTS[fault]()
    _day(cli_run, config, "2026-03-03")
    changes = _changes(cli_run, config, "2026-03-03")
    assert [c["kind"] for c in changes] == ["source_problem"]
    assert changes[0]["data"]["status"] in ("failed", "suspicious")
    store = Store(f"sqlite:///{tmp_path / 'civicradar.db'}")
    with store.session() as session:
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert run.status in ("failed", "suspicious")
        tenures = list(session.scalars(select(Tenure)))
        assert all(t.missing_runs == 0 and t.ended_on is None for t in tenures)

    http_server.routes["/staff"] = Reply(body=directory_page(LEFT))
    _day(cli_run, config, "2026-03-04")  # first healthy absence: not yet news
    assert [c["kind"] for c in _changes(cli_run, config, "2026-03-04")] == ["source_problem"]
    _day(cli_run, config, "2026-03-05")
    departures = [
        c for c in _changes(cli_run, config, "2026-03-05") if c["kind"] != "source_problem"
    ]
    assert [(c["kind"], c["data"]["name"]) for c in departures] == [
        ("staff_departure", STAFF[0].name())
    ]
    assert departures[0]["data"]["last_seen"] == "2026-03-02"


def test_suspicious_drop_threshold_is_configurable(tmp_path, http_server, cli_run):
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    config = write_config(tmp_path, staff_sources(source, detection={"suspicious_drop": 0.5}))
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF))
    _day(cli_run, config, "2026-03-02")
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF[: len(STAFF) * 7 // 10]))
    _day(cli_run, config, "2026-03-03")
    _day(cli_run, config, "2026-03-04")
    kinds = [c["kind"] for c in _changes(cli_run, config, "2026-03-04")]
    assert kinds == ["staff_departure"] * 6  # 30% < 50%: a healthy run, real departures


def test_suspicious_run_reports_no_arrivals_or_role_changes(tmp_path, http_server, cli_run):
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    config = write_config(tmp_path, staff_sources(source))
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF))
    _day(cli_run, config, "2026-03-02")
    shrunk = [STAFF[0].moved(title="Director"), *STAFF[1:10]]
    shrunk.append(STAFF[0].moved(first="Zed", last="Newman", email="zn@testville.gov"))
    http_server.routes["/staff"] = Reply(body=directory_page(shrunk))
    _day(cli_run, config, "2026-03-03")
    assert [c["kind"] for c in _changes(cli_run, config, "2026-03-03")] == ["source_problem"]
