"""Absences are evidence only across days, and a genuine cut is not silence for ever.

- Running twice on one morning is one look at the page: a departure (or a withdrawal)
  needs its absences on as many different local days as ``departure_after_runs``.
- A list that really shrank past ``suspicious_drop`` is suspicious at first; when the
  smaller size holds on ``accept_drop_after_days`` different days it is accepted, the
  problem episode ends and the absences start counting from that day.
"""

from __future__ import annotations

import json

from tests.conftest import Reply, write_config
from tests.fixtures.staff.pages import directory_page, staff_sources, team

STAFF = team(20)


def _run(cli_run, config, when):
    for command in ("crawl", "detect"):
        result = cli_run("--config", config, command, now=when)
        assert result.exit_code == 0, result.output


def _news(cli_run, config, when):
    result = cli_run("--config", config, "changes", "--format", "json", now=when)
    return [(c["kind"], c["data"].get("name")) for c in json.loads(result.output)]


def test_two_runs_on_one_morning_do_not_confirm_a_departure(tmp_path, http_server, cli_run):
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    config = write_config(tmp_path, staff_sources(source))
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF))
    _run(cli_run, config, "2026-03-02T14:00:00Z")
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF[1:]))
    _run(cli_run, config, "2026-03-03T14:00:00Z")
    _run(cli_run, config, "2026-03-03T14:05:00Z")
    assert _news(cli_run, config, "2026-03-03T14:05:00Z") == []
    _run(cli_run, config, "2026-03-04T14:00:00Z")
    assert _news(cli_run, config, "2026-03-04T14:00:00Z") == [("staff_departure", STAFF[0].name())]


def test_a_smaller_directory_that_holds_is_accepted_after_three_days(
    tmp_path, http_server, cli_run
):
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    config = write_config(tmp_path, staff_sources(source))
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF))
    _run(cli_run, config, "2026-03-02")
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF[:12]))  # 40% cut
    for day in ("2026-03-03", "2026-03-04", "2026-03-04T18:00:00Z"):
        _run(cli_run, config, day)
    assert _news(cli_run, config, "2026-03-04T18:00:00Z") == [("source_problem", None)]
    _run(cli_run, config, "2026-03-05")  # the third day at the new size: accepted
    assert _news(cli_run, config, "2026-03-05") == [("source_problem", None)]
    sources = cli_run("--config", config, "sources", "--format", "json", now="2026-03-05")
    (row,) = json.loads(sources.output)
    assert row["last_status"] == "ok" and "accepted the smaller size" in row["error"]
    assert row["problem"] is None and row["recovered_at"]
    _run(cli_run, config, "2026-03-06")
    departures = _news(cli_run, config, "2026-03-06")[1:]
    assert departures == [("staff_departure", s.name()) for s in STAFF[12:]]


def test_a_size_that_keeps_moving_stays_suspicious(tmp_path, http_server, cli_run):
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    config = write_config(tmp_path, staff_sources(source))
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF))
    _run(cli_run, config, "2026-03-02")
    for day, size in (("2026-03-03", 12), ("2026-03-04", 8), ("2026-03-05", 14)):
        http_server.routes["/staff"] = Reply(body=directory_page(STAFF[:size]))
        _run(cli_run, config, day)
    assert _news(cli_run, config, "2026-03-05") == [("source_problem", None)]


def test_losing_one_of_a_short_list_is_not_suspicious(tmp_path, http_server, cli_run):
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    config = write_config(tmp_path, staff_sources(source))
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF[:4]))
    _run(cli_run, config, "2026-03-02")
    http_server.routes["/staff"] = Reply(body=directory_page(STAFF[:3]))  # 25% of four
    _run(cli_run, config, "2026-03-03")
    _run(cli_run, config, "2026-03-04")
    assert _news(cli_run, config, "2026-03-04") == [("staff_departure", STAFF[3].name())]
