"""Staff pages that are not one table, read without configuration through the CLI against the
local server: repeated blocks with no classes, a heading per person, ``dl`` lists, a roster,
one table per department, a CivicPlus ``directoryTable`` variant, and a page of no people.
Every layout must yield exactly its people; the run keeps how it read them."""

from __future__ import annotations

import json

from tests.conftest import Reply
from tests.crawlers.staff_crawl import crawl_once
from tests.fixtures.staff.layouts import (
    blocks_page,
    civicplus_variant_department,
    civicplus_variant_index,
    department_tables_page,
    dl_page,
    expected,
    heading_runs_page,
    no_people_page,
    people,
    read,
    roster_dl_page,
)

DEPARTMENTS = ("Planning", "Parks & Recreation", "Finance")


def _crawl(tmp_path, http_server, cli_run, page, platform="html_table"):
    http_server.routes["/staff"] = Reply(body=page)
    source = {"platform": platform, "url": f"{http_server.url}/staff"}
    return crawl_once(cli_run, tmp_path, source)


def test_repeated_blocks_without_classes_yield_every_person_and_their_department(
    tmp_path, http_server, cli_run
):
    staff = people(23, DEPARTMENTS)
    run, found = _crawl(tmp_path, http_server, cli_run, blocks_page(staff))
    assert run.status == "ok", run.error
    assert read(found) == expected(staff)
    assert len(found) == 23
    assert run.reading["method"] == "blocks"
    assert run.reading["fields"]["name"] == "h4 heading"
    assert run.reading["fields"]["department"] == "h3 headings above"
    listed = cli_run("--config", tmp_path / "civicradar.yaml", "sources", "--format", "json")
    (row,) = json.loads(listed.output)
    assert row["reading"]["method"] == "blocks" and row["reading"]["rows"] == 23


def test_blocks_whose_names_a_name_parser_doubts_are_still_people_with_their_own_email(
    tmp_path, http_server, cli_run
):
    staff = [p.moved(last="Baptiste") for p in people(6)]  # probablepeople: an organisation
    run, found = _crawl(tmp_path, http_server, cli_run, blocks_page(staff))
    assert run.status == "ok", run.error
    assert read(found) == expected(staff, department=False)


def test_a_heading_per_person_with_title_phone_and_email_on_one_line(
    tmp_path, http_server, cli_run
):
    staff = people(17, DEPARTMENTS)
    run, found = _crawl(tmp_path, http_server, cli_run, heading_runs_page(staff))
    assert run.status == "ok", run.error
    assert read(found) == expected(staff)
    assert run.reading["fields"]["phone"] == "'Phone:' label"


def test_definition_lists_give_name_title_phone_and_linked_email(tmp_path, http_server, cli_run):
    staff = people(14, DEPARTMENTS)
    run, found = _crawl(tmp_path, http_server, cli_run, dl_page(staff))
    assert run.status == "ok", run.error
    assert read(found) == expected(staff, style="last_first")


def test_a_roster_whose_terms_are_offices_reads_the_person_from_the_definition(
    tmp_path, http_server, cli_run
):
    officials = [
        ("Mayor", "Jane Doe"),
        ("Council Member, Ward 1", "Bob Smith"),
        ("Council Member, Ward 2", "Carla Diaz"),
        ("City Clerk", "Hiro Tanaka"),
    ]
    run, found = _crawl(tmp_path, http_server, cli_run, roster_dl_page(officials))
    assert run.status == "ok", run.error
    assert {(p["name"], p["title"], p["email"]) for p in found} == {
        (name, title, None) for title, name in officials
    }


def test_one_table_per_department_reads_every_table_with_its_heading(
    tmp_path, http_server, cli_run
):
    staff = people(12, DEPARTMENTS)
    run, found = _crawl(tmp_path, http_server, cli_run, department_tables_page(staff))
    assert run.status == "ok", run.error
    assert read(found) == expected(staff)
    assert run.reading["fields"]["department"] == "Department (section)"


def test_civicplus_directory_table_variant_is_read_on_every_department_page(
    tmp_path, http_server, cli_run
):
    departments = {12: "County Council", 15: "Planning & Zoning", 31: "Public Works"}
    staff = people(13, departments.values())
    by_id = {did: [p for p in staff if p.department == name] for did, name in departments.items()}

    def serve(request):
        did = request.query.get("did", [None])[0]
        if did is None:
            return Reply(body=civicplus_variant_index(departments))
        return Reply(
            body=civicplus_variant_department(int(did), departments[int(did)], by_id[int(did)])
        )

    http_server.routes["/Directory.aspx"] = serve
    source = {"platform": "civicplus", "url": f"{http_server.url}/Directory.aspx"}
    run, found = crawl_once(cli_run, tmp_path, source)
    assert run.status == "ok", run.error
    assert read(found) == expected(staff, style="last_first")
    assert http_server.paths().count("/Directory.aspx") == 4
    assert all(p["url"].startswith(f"{http_server.url}/Directory.aspx?EID=") for p in found)


def test_a_page_without_people_is_suspicious_and_says_what_it_holds(tmp_path, http_server, cli_run):
    run, found = _crawl(tmp_path, http_server, cli_run, no_people_page())
    assert run.status == "suspicious"
    assert found == []
    assert "columns not found: name (headers were: Date, Event, Location)" in run.error
    assert "no repeated blocks of people" in run.error
    assert "headings: Events and News; Upcoming Events; News" in run.error


def test_corpus_civicplus_page_read_as_any_table(corpus, tmp_path, cli_run):
    url = (corpus / "staff" / "civicplus-directory-spartanburg-county-sc.html").as_uri()
    run, found = crawl_once(cli_run, tmp_path, {"platform": "html_table", "url": url})
    assert run.status == "ok", run.error
    assert len(found) == 8
    coker = next(p for p in found if p["name"] == "Coker, Jessica")
    assert (coker["title"], coker["department"], coker["email"], coker["phone"]) == (
        "District 6 Representative",
        "County Council",
        "jcoker@spartanburgcounty.org",
        "864-680-3297",
    )
    assert {p["email"] for p in found} >= {
        "mlynch@spartanburgcounty.org",
        "agwalker@spartanburgcounty.org",
    }
