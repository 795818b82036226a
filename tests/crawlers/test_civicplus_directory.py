"""The CivicPlus ``Directory.aspx`` spider: every department followed, script-built emails."""

from __future__ import annotations

import json

from tests.conftest import Reply, write_config
from tests.crawlers.staff_crawl import by_name, crawl_once
from tests.fixtures.staff.pages import (
    Staffer,
    civicplus_department,
    civicplus_index,
    staff_sources,
    team,
)

DEPARTMENTS = {12: "County Council", 15: "Planning & Zoning", 31: "Public Works"}


def _serve(server, staff_by_department):
    server.routes["/Directory.aspx"] = lambda request: Reply(
        body=civicplus_department(
            int(request.query["did"][0]),
            DEPARTMENTS[int(request.query["did"][0])],
            staff_by_department[int(request.query["did"][0])],
        )
        if "did" in request.query
        else civicplus_index(DEPARTMENTS)
    )


def _staff():
    return {
        12: team(5, "County Council", "testcounty.gov"),
        15: team(8, "Planning & Zoning", "testcounty.gov")[3:],
        31: [Staffer("Walker", "Angela", "Clerk", "Public Works", "agwalker@testcounty.gov")],
    }


def test_every_department_is_followed_once(tmp_path, http_server, cli_run):
    _serve(http_server, _staff())
    url = f"{http_server.url}/Directory.aspx"
    run, people = crawl_once(cli_run, tmp_path, {"platform": "civicplus", "url": url})
    assert run.status == "ok"
    assert len(people) == 5 + 5 + 1
    assert (
        sorted(p for p in http_server.paths() if p == "/Directory.aspx") == ["/Directory.aspx"] * 4
    )  # the index and three departments, each once despite the side links
    clerk = by_name(people)["Angela, Walker"]
    assert clerk["department"] == "Public Works"
    assert clerk["email"] == "agwalker@testcounty.gov"  # assembled from var w / var x
    assert clerk["title"] == "Clerk"
    assert clerk["external_id"].startswith("EID:")
    assert clerk["url"].startswith(f"{http_server.url}/directory.aspx?EID=")


def test_department_moves_across_civicplus_pages_are_role_changes(tmp_path, http_server, cli_run):
    staff = _staff()
    source = {"id": "staff", "platform": "civicplus", "url": f"{http_server.url}/Directory.aspx"}
    config = write_config(tmp_path, staff_sources(source))
    moving = staff[12][0]
    days = [staff, {**staff, 12: staff[12][1:], 31: [*staff[31], moving.moved(title="Director")]}]
    for n, day in enumerate(days, start=2):
        _serve(http_server, day)
        for command in ("crawl", "detect"):
            assert cli_run("--config", config, command, now=f"2026-03-0{n}").exit_code == 0
    result = cli_run("--config", config, "changes", "--format", "json", now="2026-03-03")
    (change,) = json.loads(result.output)
    assert change["kind"] == "staff_role_change"
    data = change["data"]
    assert (data["previous_department"], data["department"]) == ("County Council", "Public Works")
    assert data["title"] == "Director"


def test_a_failing_department_page_fails_the_run(tmp_path, http_server, cli_run):
    staff = _staff()
    _serve(http_server, staff)
    original = http_server.routes["/Directory.aspx"]
    http_server.routes["/Directory.aspx"] = lambda request: (
        Reply(status=500, body="error") if request.query.get("did") == ["15"] else original(request)
    )
    url = f"{http_server.url}/Directory.aspx"
    run, _ = crawl_once(cli_run, tmp_path, {"platform": "civicplus", "url": url})
    assert run.status == "failed"
    assert "HTTP 500" in run.error


def test_corpus_civicplus_department_page(corpus, tmp_path, cli_run):
    url = (corpus / "staff" / "civicplus-directory-spartanburg-county-sc.html").as_uri()
    run, people = crawl_once(cli_run, tmp_path, {"platform": "civicplus", "url": url})
    assert run.status == "ok"
    assert len(people) == 8
    found = by_name(people)
    coker = found["Coker, Jessica"]
    assert (coker["title"], coker["department"], coker["email"], coker["phone"]) == (
        "District 6 Representative",
        "County Council",
        "jcoker@spartanburgcounty.org",
        "864-680-3297",
    )
    assert found["Lynch, Manning"]["title"] == "County Council Chairman"
    assert found["Lynch, Manning"]["email"] == "mlynch@spartanburgcounty.org"
    assert found["Walker, Angela G."]["title"] == "Clerk to County Council"
    assert found["Walker, Angela G."]["email"] == "agwalker@spartanburgcounty.org"
    assert "Staff" not in found
