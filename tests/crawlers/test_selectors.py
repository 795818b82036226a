"""CSS ``selectors`` as the escape hatch: a page inference cannot read is read exactly as the
selectors say — records, fields, a department or race from the heading above, the next
page — and the run records the selectors it used; a selector that stops matching is a
suspicious run, not departures."""

from __future__ import annotations

from tests.conftest import Reply
from tests.crawlers.list_days import ListDays
from tests.crawlers.staff_crawl import crawl_once
from tests.crawlers.test_candidates_lists import crawl
from tests.fixtures.candidates.lists import Filer, candidate_cards_html
from tests.fixtures.staff.layouts import blocks_page, expected, people, read, surname_roster_page

MEMBERS = [
    ("Chair", "Okafor", "okafor@testville.gov"),
    ("Vice Chair", "Lindqvist", "lindqvist@testville.gov"),
    ("Secretary", "Abara", "abara@testville.gov"),
    ("Member", "Rossi", "rossi@testville.gov"),
    ("Member", "Tanaka", "tanaka@testville.gov"),
]
ROSTER = {"record": "ul.roster li", "name": "span.nm", "title": "span.role", "email": "a"}


def test_selectors_read_a_roster_that_inference_cannot(tmp_path, http_server, cli_run):
    http_server.routes["/commission"] = Reply(body=surname_roster_page(MEMBERS))
    source = {"platform": "html_table", "url": f"{http_server.url}/commission"}
    run, found = crawl_once(cli_run, tmp_path, source)
    assert run.status == "suspicious" and found == []  # surnames alone are not names to guess
    run, found = crawl_once(cli_run, tmp_path, {**source, "selectors": ROSTER})
    assert run.status == "ok", run.error
    assert [(p["name"], p["title"], p["email"]) for p in found] == [
        (name, role, email) for role, name, email in MEMBERS
    ]
    assert run.reading["method"] == "selectors"
    assert run.reading["fields"] == {"name": "span.nm", "title": "span.role", "email": "a"}


def test_selectors_split_a_title_phone_email_paragraph_and_take_the_heading_above(
    tmp_path, http_server, cli_run
):
    staff = people(9, ("Planning", "Finance", "Parks"))
    http_server.routes["/officials"] = Reply(body=blocks_page(staff))
    selectors = {
        "record": "main > div > div > div",
        "name": "h4",
        "title": "p",
        "phone": "p",
        "email": "p",
        "department": "h3",
    }
    source = {"platform": "html_table", "url": f"{http_server.url}/officials"}
    run, found = crawl_once(cli_run, tmp_path, {**source, "selectors": selectors})
    assert run.status == "ok", run.error
    assert read(found) == expected(staff)


def test_a_next_page_selector_is_followed(tmp_path, http_server, cli_run):
    http_server.routes["/commission"] = Reply(
        body=surname_roster_page(MEMBERS[:3], next_url="/commission/2")
    )
    http_server.routes["/commission/2"] = Reply(body=surname_roster_page(MEMBERS[3:]))
    selectors = {**ROSTER, "next_page": "p.pager a"}
    source = {"platform": "html_table", "url": f"{http_server.url}/commission"}
    run, found = crawl_once(cli_run, tmp_path, {**source, "selectors": selectors})
    assert run.status == "ok", run.error
    assert [p["name"] for p in found] == [name for _, name, _ in MEMBERS]
    assert run.reading["pages"] == 2


def test_candidate_selectors_take_the_race_from_the_heading_above(tmp_path, http_server, cli_run):
    filers = [
        Filer("Ada", "Brook", "Mayor", party="DEM", status="Qualified", email="ada@brook.org"),
        Filer("Ben", "Castro", "Mayor", party="REP", status="Filed", email="ben@castro.org"),
        Filer("Cora", "Dunn", "City Council Ward 2", party="", status="Withdrawn",
              email="cora@dunn.org"),
    ]  # fmt: skip
    http_server.routes["/candidates"] = Reply(body=candidate_cards_html(filers))
    selectors = {
        "record": "div.cand",
        "name": ".nm",
        "office": "h3",
        "party": ".pty",
        "status": ".st",
        "email": "a",
    }
    source = {"platform": "html_table", "url": f"{http_server.url}/candidates"}
    run, records = crawl(cli_run, tmp_path, {**source, "selectors": selectors})
    assert run.status == "ok", run.error
    assert [(r["name"], r["office"], r["party"], r["status"], r["email"]) for r in records] == [
        ("Ada Brook", "Mayor", "DEM", "Qualified", "ada@brook.org"),
        ("Ben Castro", "Mayor", "REP", "Filed", "ben@castro.org"),
        ("Cora Dunn", "City Council Ward 2", None, "Withdrawn", "cora@dunn.org"),
    ]


def test_a_selector_that_stops_matching_is_suspicious_not_departures(
    tmp_path, http_server, cli_run
):
    days = ListDays(
        tmp_path, http_server, cli_run, "staff_directory", "/commission",
        platform="html_table", selectors=ROSTER,
    )  # fmt: skip
    days.serve(surname_roster_page(MEMBERS), "text/html")
    assert days.day("2026-03-02") == []
    renamed = surname_roster_page(MEMBERS).replace("class='nm'", "class='member-name'")
    days.serve(renamed, "text/html")
    for date in ("2026-03-03", "2026-03-04", "2026-03-05"):
        assert not [c for c in days.day(date) if c["kind"] != "source_problem"]
    run = days.runs()[1]
    assert run.status == "suspicious"
    assert 'name is empty in 5 of 5 rows read with selectors name <- "span.nm"' in run.error
