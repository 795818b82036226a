"""Conditional requests for one-reply staff directories and candidate lists: an unchanged
day is one request answered 304, and nothing is ever asked conditionally that the store has
not read from a healthy crawl (first crawls, servers without validators, multi-page
directories, changed settings, days after a bad crawl)."""

from __future__ import annotations

import pytest

from tests.conftest import Reply, Request
from tests.crawlers.list_days import ListDays, kinds, seen_on
from tests.fixtures.candidates.lists import (
    ELECTION,
    candidates_html,
    candidates_json,
    clerk_csv,
    slate,
)
from tests.fixtures.staff.pages import (
    civicplus_department,
    directory_page,
    socrata_csv,
    socrata_json,
    team,
)

HTML = "text/html; charset=utf-8"
STAFF = {
    "csv": ("/staff.csv", "", lambda people: socrata_csv(people), "text/csv", {}),
    "json": (
        "/staff.json",
        "",
        socrata_json,
        "application/json",
        {"fields": {"name": "employee_name", "title": "job_titles", "department": "dept"}},
    ),
    "html_table": ("/directory", "", lambda people: directory_page(people), HTML, {}),
    "civicplus": (
        "/Directory.aspx",
        "?did=7",
        lambda people: civicplus_department(7, "Planning", people),
        HTML,
        {},
    ),
}
CANDIDATES = {
    "csv": ("/candidates.csv", clerk_csv, "text/csv; charset=utf-8"),
    "json": ("/candidates.json", candidates_json, "application/json"),
    "html_table": ("/candidates", candidates_html, HTML),
}


def staff_days(tmp_path, http_server, cli_run, platform: str, **source) -> tuple[ListDays, ...]:
    path, query, render, content_type, extra = STAFF[platform]
    days = ListDays(
        tmp_path,
        http_server,
        cli_run,
        "staff_directory",
        path,
        query,
        platform=platform,
        **{**extra, **source},
    )
    return days, render, content_type


@pytest.mark.parametrize("platform", sorted(STAFF))
def test_an_unchanged_directory_costs_one_304_and_keeps_everyone(
    tmp_path, http_server, cli_run, platform
):
    days, render, content_type = staff_days(tmp_path, http_server, cli_run, platform)
    staff = team(40)
    body = render(staff)
    days.serve(body, content_type)
    assert days.day("2026-03-02") == []
    assert days.day("2026-03-03") == []

    first, second = days.asked()
    assert "if-none-match" not in first.headers
    etag = days.cursor()["etag"]
    assert second.headers["if-none-match"] == etag
    day1, day2 = days.runs()
    assert (day1.status, day1.unchanged, day1.requests, day1.records) == ("ok", False, 1, 40)
    assert (day2.status, day2.unchanged, day2.requests, day2.not_modified) == ("ok", True, 1, 1)
    assert day2.records == 40  # the last healthy count, so tomorrow's drop check still works
    size = len(body.encode())
    assert day1.bytes > size > 10 * day2.bytes  # the 304 carries headers only
    print(f"\n{platform}: {size:,} byte list; day 1 {day1.bytes:,} bytes, 304 day {day2.bytes}")
    assert days.cursor()["bytes_saved"] == size
    assert len(days.tenures()) == 40 and seen_on(days.tenures()) == {"2026-03-03"}
    assert seen_on(days.people()) == {"2026-03-03"}


@pytest.mark.parametrize("platform", sorted(CANDIDATES))
def test_an_unchanged_candidate_list_costs_one_304(tmp_path, http_server, cli_run, platform):
    path, render, content_type = CANDIDATES[platform]
    days = ListDays(
        tmp_path,
        http_server,
        cli_run,
        "candidate_list",
        path,
        platform=platform,
        election=ELECTION,
    )
    days.serve(render(slate(12)), content_type)
    assert days.day("2026-11-25") == []
    assert days.day("2026-11-26") == []
    assert [("if-none-match" in r.headers) for r in days.asked()] == [False, True]
    _, day2 = days.runs()
    assert (day2.status, day2.unchanged, day2.requests, day2.records) == ("ok", True, 1, 12)
    assert seen_on(days.candidacies()) == {"2026-11-26"}


def test_a_server_without_validators_is_never_asked_conditionally(tmp_path, http_server, cli_run):
    days, render, content_type = staff_days(tmp_path, http_server, cli_run, "csv")
    days.serve(render(team(10)), content_type, etag=False)
    for date in ("2026-03-02", "2026-03-03", "2026-03-04"):
        assert days.day(date) == []
    assert not any(
        "if-none-match" in r.headers or "if-modified-since" in r.headers for r in days.asked()
    )
    assert [r.unchanged for r in days.runs()] == [False, False, False]
    assert days.cursor()["etag"] is None


def test_last_modified_alone_is_sent_back_as_if_modified_since(tmp_path, http_server, cli_run):
    days, render, content_type = staff_days(tmp_path, http_server, cli_run, "json")
    stamp = "Mon, 02 Mar 2026 08:00:00 GMT"
    body = render(team(10))

    def export(request: Request) -> Reply:
        if request.headers.get("if-modified-since") == stamp:
            return Reply(status=304, headers={"Last-Modified": stamp})
        return Reply(body=body, content_type=content_type, headers={"Last-Modified": stamp})

    http_server.routes["/staff.json"] = export
    days.day("2026-03-02")
    days.day("2026-03-03")
    second = days.asked()[1]
    assert second.headers["if-modified-since"] == stamp and "if-none-match" not in second.headers
    assert days.runs()[1].unchanged


def test_a_multi_page_directory_is_never_conditional(tmp_path, http_server, cli_run):
    days, _, _ = staff_days(tmp_path, http_server, cli_run, "html_table")
    staff = team(20)
    page2 = f"{http_server.url}/directory/2"
    http_server.routes["/directory"] = Reply(
        body=directory_page(staff[:10], next_url=page2), etag=True
    )
    http_server.routes["/directory/2"] = Reply(body=directory_page(staff[10:]), etag=True)
    assert days.day("2026-03-02") == []
    assert days.cursor()["pages"] == 2
    assert days.day("2026-03-03") == []
    assert not any("if-none-match" in r.headers for r in http_server.requests)
    assert [r.status for r in days.runs()] == ["ok", "ok"]
    assert [(r.unchanged, r.requests, r.records) for r in days.runs()] == [(False, 2, 20)] * 2


def test_a_next_link_beyond_max_pages_still_makes_the_directory_multi_page(
    tmp_path, http_server, cli_run
):
    days, _, _ = staff_days(tmp_path, http_server, cli_run, "html_table", max_pages=1)
    page = directory_page(team(10), next_url=f"{http_server.url}/directory/2")
    http_server.routes["/directory"] = Reply(body=page, etag=True)
    days.day("2026-03-02")
    days.day("2026-03-03")
    assert days.cursor()["pages"] == 2
    assert not any("if-none-match" in r.headers for r in days.asked())


def test_a_304_after_a_failed_day_means_the_last_healthy_list(tmp_path, http_server, cli_run):
    days, render, content_type = staff_days(tmp_path, http_server, cli_run, "csv")
    staff = team(10)
    days.serve(render(staff), content_type)
    days.day("2026-03-02")
    etag = days.cursor()["etag"]
    http_server.routes["/staff.csv"] = Reply(status=500, body="Internal Server Error")
    assert kinds(days.day("2026-03-03")) == [("source_problem", "failed")]
    days.serve(render(staff), content_type)
    assert days.day("2026-03-04") == []
    assert days.asked()[2].headers["if-none-match"] == etag
    assert [(r.status, r.unchanged) for r in days.runs()] == [
        ("ok", False),
        ("failed", False),
        ("ok", True),
    ]
    assert seen_on(days.tenures()) == {"2026-03-04"}


def test_a_suspicious_day_leaves_the_validators_of_the_last_healthy_list(
    tmp_path, http_server, cli_run
):
    days, render, content_type = staff_days(tmp_path, http_server, cli_run, "csv")
    staff = team(20)
    days.serve(render(staff), content_type)
    days.day("2026-03-02")
    etag = days.cursor()["etag"]
    days.serve(render(staff[:5]), content_type)  # three quarters gone overnight
    assert kinds(days.day("2026-03-03")) == [("source_problem", "suspicious")]
    assert days.cursor()["etag"] == etag
    assert days.day("2026-03-04") == []  # still short: read in full, still suspicious
    days.serve(render(staff), content_type)  # the list is whole again: what the store has
    assert days.day("2026-03-05") == []
    assert days.day("2026-03-06") == []
    statuses = [(r.status, r.unchanged, r.not_modified) for r in days.runs()]
    assert statuses == [
        ("ok", False, 0),
        ("suspicious", False, 0),
        ("suspicious", False, 0),
        ("ok", True, 1),
        ("ok", True, 1),
    ]
    assert not any(t.ended_on for t in days.tenures())
    assert all(t.missing_runs == 0 for t in days.tenures())


def test_changed_source_settings_are_not_answered_with_old_validators(
    tmp_path, http_server, cli_run
):
    days, render, content_type = staff_days(tmp_path, http_server, cli_run, "json")
    days.serve(render(team(10)), content_type)
    days.day("2026-03-02")
    days.write_config(fields={"name": "employee_name", "title": "dept", "department": "dept"})
    days.day("2026-03-03")
    assert "if-none-match" not in days.asked()[1].headers
    assert not days.runs()[1].unchanged


def test_a_304_to_an_unconditional_request_is_a_failure(tmp_path, http_server, cli_run):
    days, _, _ = staff_days(tmp_path, http_server, cli_run, "csv")
    http_server.routes["/staff.csv"] = Reply(status=304)
    assert kinds(days.day("2026-03-02")) == [("source_problem", "failed")]
    (run,) = days.runs()
    assert "HTTP 304" in run.error and "unconditional" in run.error
