"""``civicradar check --source ID``: one crawl, nothing stored, and a report of what was
understood — on every layout CivicRadar reads, on a page without people, as JSON."""

from __future__ import annotations

import json
from html import escape

from tests.conftest import Reply, write_config
from tests.fixtures.candidates.lists import Filer, state_board_csv
from tests.fixtures.staff.layouts import (
    blocks_page,
    civicplus_variant_department,
    civicplus_variant_index,
    department_tables_page,
    dl_page,
    heading_runs_page,
    no_people_page,
    people,
    roster_dl_page,
    surname_roster_page,
)
from tests.fixtures.staff.pages import directory_page


def _config(tmp_path, url, source_type="staff_directory", **source):
    sources = [{"id": "site", "type": source_type, "url": url, "platform": "html_table", **source}]
    data = {"jurisdictions": [{"id": "testville", "name": "Testville", "sources": sources}]}
    data["crawling"] = {"download_delay": 0, "autothrottle": False, "obey_robots": False}
    return write_config(tmp_path, data)


def _check(cli_run, config, *extra):
    result = cli_run("--config", config, "check", "--source", "site", *extra)
    assert result.exit_code == 0, result.output
    return result.output


def test_check_shows_blocks_reading_samples_and_stores_nothing(tmp_path, http_server, cli_run):
    staff = people(12, ("Planning", "Finance"))
    http_server.routes["/staff"] = Reply(body=blocks_page(staff))
    config = _config(tmp_path, f"{http_server.url}/staff")
    output = _check(cli_run, config)
    assert "read as: repeated div > div > div blocks (1 page, 12 rows)" in output
    assert "name          from h4 heading" in output
    assert "department    from h3 headings above" in output
    assert "found 12 people" in output
    assert staff[0].name() in output and staff[4].email in output
    assert staff[5].name() not in output  # five samples
    assert "a crawl would be recorded as ok" in output
    assert not (tmp_path / "civicradar.db").exists()


def test_check_json_on_every_layout(tmp_path, http_server, cli_run):
    staff = people(8, ("Planning", "Finance"))
    pages = {
        "/runs": (heading_runs_page(staff), "blocks", "h3 heading"),
        "/dl": (dl_page(staff), "blocks", "dt term"),
        "/table": (directory_page(staff), "columns", "Name"),
        "/tables": (department_tables_page(staff), "columns", "Name"),
    }
    for path, (page, method, name_source) in pages.items():
        http_server.routes[path] = Reply(body=page)
        config = _config(tmp_path, f"{http_server.url}{path}")
        report = json.loads(_check(cli_run, config, "--format", "json"))
        assert (report["status"], report["records"]) == ("ok", 8), path
        assert report["reading"]["method"] == method
        assert report["reading"]["fields"]["name"] == name_source
        assert len(report["samples"]) == 5 and report["warnings"] == []


def test_check_a_roster_and_a_page_read_with_selectors(tmp_path, http_server, cli_run):
    officials = [("Mayor", "Jane Doe"), ("City Clerk", "Hiro Tanaka"), ("Treasurer", "Li Wong")]
    http_server.routes["/roster"] = Reply(body=roster_dl_page(officials))
    report = json.loads(
        _check(cli_run, _config(tmp_path, f"{http_server.url}/roster"), "--format", "json")
    )
    assert [(s["name"], s["title"]) for s in report["samples"]] == [
        (name, title) for title, name in officials
    ]
    members = [("Chair", "Okafor", "okafor@testville.gov"), ("Member", "Rossi", "rossi@x.gov")]
    http_server.routes["/commission"] = Reply(body=surname_roster_page(members))
    selectors = {"record": "ul.roster li", "name": "span.nm", "title": "span.role"}
    config = _config(tmp_path, f"{http_server.url}/commission", selectors=selectors)
    output = _check(cli_run, config)
    assert "read as: the configured selectors, record = 'ul.roster li' (1 page, 2 rows)" in output
    assert "name          <- 'span.nm'" in output and "found 2 people" in output


def test_check_a_civicplus_variant_follows_every_department(tmp_path, http_server, cli_run):
    departments = {12: "County Council", 15: "Public Works"}
    staff = people(6, departments.values())

    def serve(request):
        did = request.query.get("did", [None])[0]
        if did is None:
            return Reply(body=civicplus_variant_index(departments))
        own = [p for p in staff if p.department == departments[int(did)]]
        return Reply(body=civicplus_variant_department(int(did), departments[int(did)], own))

    http_server.routes["/Directory.aspx"] = serve
    config = _config(tmp_path, f"{http_server.url}/Directory.aspx", platform="civicplus")
    report = json.loads(_check(cli_run, config, "--format", "json"))
    assert (report["status"], report["records"], report["requests"]) == ("ok", 6, 3)
    assert {s["department"] for s in report["samples"]} == {"County Council", "Public Works"}


def test_check_a_state_list_never_shows_an_address(tmp_path, http_server, cli_run):
    filers = [
        Filer("Nora", "Quist", "City Council", district="Ward 3", status="Active",
              address="42 Private Lane", email="nora@quist.org"),
        Filer("Ada", "Brook", "Mayor", status="Withdrawn", address="7 Hidden Court"),
    ]  # fmt: skip
    http_server.routes["/c.csv"] = Reply(body=state_board_csv(filers), content_type="text/csv")
    config = _config(tmp_path, f"{http_server.url}/c.csv", "candidate_list", platform="csv")
    output = _check(cli_run, config)
    assert "first_name    <- 'Candidate First Name and Middle Name'" in output
    assert "office        <- 'Office Name'" in output
    assert "found 2 candidates" in output and "Nora Quist" in output
    assert "Private Lane" not in output and "Hidden Court" not in output
    report = json.loads(_check(cli_run, config, "--format", "json"))
    assert "Private Lane" not in json.dumps(report["samples"])


def test_check_on_a_page_without_people_says_what_it_found(tmp_path, http_server, cli_run):
    http_server.routes["/events"] = Reply(body=no_people_page())
    config = _config(tmp_path, f"{http_server.url}/events")
    output = _check(cli_run, config)
    assert "read as: nothing recognisable (1 page)" in output
    assert "best table's headers: Date, Event, Location" in output
    assert "found no people" in output
    assert "no repeated blocks of people" in output
    assert "headings: Events and News; Upcoming Events; News" in output
    assert "a crawl would be recorded as suspicious" in output


def test_check_warns_of_folded_rows_and_a_page_limit(tmp_path, http_server, cli_run):
    staff = people(30, ("Planning", "Finance", "Parks"))
    rows = "".join(
        f"<tr><td>{escape(p.department)}</td><td>{escape(p.name())}</td><td>{p.email}</td></tr>"
        for p in staff
    )
    page = (
        "<html><body><table><tr><th>Name</th><th>Contact</th><th>Email</th></tr>"
        f"{rows}</table><a href='/staff?page=2'>Next</a></body></html>"
    )
    http_server.routes["/staff"] = Reply(body=page)
    config = _config(tmp_path, f"{http_server.url}/staff", max_pages=1)
    report = json.loads(_check(cli_run, config, "--format", "json"))
    assert report["status"] == "suspicious"
    warnings = " | ".join(report["warnings"])
    assert "stopped at max_pages (1)" in warnings and "raise max_pages" in warnings
    assert "27 of 30 rows fold onto a person already listed" in warnings


def test_check_an_unknown_source_exits_2(tmp_path, cli_run):
    config = _config(tmp_path, "https://example.org/staff")
    result = cli_run("--config", config, "check", "--source", "nope")
    assert result.exit_code == 2
    assert "no source 'nope' configured (sources: site)" in result.output
