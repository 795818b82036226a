"""``html_table`` staff directories: pagination, mailto emails, sections, split rows, cards,
renamed headers — against the local server — and the captured pages of the shared corpus."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES, Reply, write_config
from tests.crawlers.staff_crawl import by_name, crawl_once
from tests.fixtures.staff.pages import directory_page, staff_sources, team


def test_paginated_directory_is_followed_to_the_last_page(tmp_path, http_server, cli_run):
    staff = team(75)
    http_server.routes["/staff"] = Reply(body=directory_page(staff[:25], next_url="/staff?p=2"))
    pages = {
        "2": directory_page(staff[25:50], next_url="/staff/page3"),
    }
    http_server.routes["/staff"] = lambda r: Reply(
        body=pages.get(
            r.query.get("p", ["1"])[0], directory_page(staff[:25], next_url="/staff?p=2")
        )
    )
    http_server.routes["/staff/page3"] = Reply(body=directory_page(staff[50:]))
    url = f"{http_server.url}/staff"
    run, people = crawl_once(cli_run, tmp_path, {"platform": "html_table", "url": url})
    assert run.status == "ok"
    assert len(people) == 75 and run.records == 75
    first = by_name(people)[staff[0].name("last_first")]
    assert first["email"] == staff[0].email  # the link reads "Email"; the address is the href
    assert first["title"] == staff[0].title
    assert first["department"] == "Planning"
    assert http_server.paths().count("/staff") == 2


def test_sections_split_rows_and_first_last_columns(tmp_path, http_server, cli_run):
    page = (FIXTURES / "staff" / "sectioned-directory.html").read_text()
    http_server.routes["/contacts"] = Reply(body=page)
    url = f"{http_server.url}/contacts"
    run, people = crawl_once(cli_run, tmp_path, {"platform": "html_table", "url": url})
    assert run.status == "ok"
    found = {p["name"]: (p["title"], p["department"], p["email"], p["phone"]) for p in people}
    assert found == {
        "Ana Ruiz": ("Director of Public Works", "Public Works", "aruiz@testville.gov", "555-0101"),
        "Bo Li": ("Streets Supervisor", "Public Works", "bli@testville.gov", "555-0102"),
        "Cy Okafor": ("Parks Manager", "Parks & Recreation", "cokafor@testville.gov", "555-0103"),
    }


def test_people_cards_are_read_when_there_is_no_table(tmp_path, http_server, cli_run):
    http_server.routes["/board"] = Reply(
        body=(FIXTURES / "staff" / "people-cards.html").read_text()
    )
    url = f"{http_server.url}/board"
    run, people = crawl_once(cli_run, tmp_path, {"platform": "html_table", "url": url})
    assert run.status == "ok"
    assert [(p["name"], p["title"], p["email"]) for p in people] == [
        ("Maria Lopez", "Mayor", "mlopez@testville.gov"),
        ("Tom Baker", "Alderman, Ward 1", "tbaker@testville.gov"),
        ("Sue Park", "Alderman, Ward 2", "spark@testville.gov"),
    ]


def _redesign_days(tmp_path, http_server, cli_run, fields):
    staff = team(12)
    source = {"id": "staff", "platform": "html_table", "url": f"{http_server.url}/staff"}
    if fields:
        source["fields"] = fields
    config = write_config(tmp_path, staff_sources(source))
    http_server.routes["/staff"] = Reply(body=directory_page(staff))
    renamed = ("Employee", "Position", "Division", "E-mail Address", "Telephone")
    days = [directory_page(staff), directory_page(staff, headers=renamed, style="first_last")]
    days += [days[1], days[1]]
    for n, page in enumerate(days, start=2):
        http_server.routes["/staff"] = Reply(body=page)
        for command in ("crawl", "detect"):
            assert cli_run("--config", config, command, now=f"2026-03-0{n}").exit_code == 0
    result = cli_run("--config", config, "changes", "--format", "json", now="2026-03-05")
    return json.loads(result.output)


def test_redesign_that_renames_headers_is_not_news(tmp_path, http_server, cli_run):
    assert _redesign_days(tmp_path, http_server, cli_run, None) == []


def test_configured_fields_renamed_by_a_redesign_fall_back_to_detection(
    tmp_path, http_server, cli_run
):
    fields = {"name": "Name", "title": "Title", "department": "Department", "email": "Email"}
    assert _redesign_days(tmp_path, http_server, cli_run, fields) == []


# --- the shared corpus ------------------------------------------------------------------


def _corpus_people(corpus, tmp_path, cli_run, name, platform="html_table"):
    url = (corpus / "staff" / name).as_uri()
    run, people = crawl_once(cli_run, tmp_path, {"platform": platform, "url": url})
    assert run.status == "ok", run.error
    return people


def test_corpus_legistar_people_chicago(corpus, tmp_path, cli_run):
    people = by_name(_corpus_people(corpus, tmp_path, cli_run, "legistar-people-chicago.html"))
    assert len(people) == 52
    assert people["Arena, John"]["title"] == "45"
    assert people["Arena, John"]["email"] == "ward45@cityofchicago.org"
    assert people["Austin, Carrie M."]["title"] == "34"
    assert people["Austin, Carrie M."]["email"] == "ward34@cityofchicago.org"
    assert people["Beale, Anthony"]["title"] == "09"
    assert people["Beale, Anthony"]["email"] == "ward09@cityofchicago.org"
    assert all(p["department"] is None for p in people.values())  # no "Ward Office Phone"


def test_corpus_legistar_people_metro(corpus, tmp_path, cli_run):
    people = by_name(_corpus_people(corpus, tmp_path, cli_run, "legistar-people-metro.html"))
    assert len(people) == 15
    assert {"Ara Najarian", "Eric Garcetti"} <= people.keys()


def test_corpus_legistar_people_nyc(corpus, tmp_path, cli_run):
    people = by_name(_corpus_people(corpus, tmp_path, cli_run, "legistar-people-nyc.html"))
    assert len(people) == 51
    assert {"Adrienne E. Adams", "Alan N. Maisel"} <= people.keys()
    assert people["Adrienne E. Adams"]["url"] == "https://council.nyc.gov/district-28/"


def test_corpus_drupal_council_list(corpus, tmp_path, cli_run):
    people = _corpus_people(corpus, tmp_path, cli_run, "drupal-council-walterboro-sc.html")
    assert len(people) == 7
    found = by_name(people)
    assert "Add Person" not in found
    assert (found["James Broderick"]["title"], found["James Broderick"]["email"]) == (
        "Mayor",
        "jbroderick@walterborosc.org",
    )
    assert found["Judy Bridge"]["email"] == "jbridge@walterborosc.org"
    assert found["Carl Brown"]["title"] == "Councilmember"
    assert all(p["phone"] is None and p["department"] is None for p in people)
