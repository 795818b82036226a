"""The whole store on the web: the API's listings give the CLI's JSON and CSV, and the
meetings, people and candidates pages show it with crawled text inert and no addresses.

One town crawled by ``civicradar run`` over two days from a local server: a Legistar-style
meeting feed, a clerk's candidate CSV (a hostile filer joins on day two) and a staff list.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.conftest import Reply, write_config
from tests.crawlers.test_rss import FeedRoute
from tests.fixtures.candidates.lists import Filer, clerk_csv
from tests.fixtures.staff.pages import Staffer, socrata_csv, team

NOW = "2026-11-26"
HOSTILE_NAME = "<script>alert(1)</script>"
SHOWN_NAME = "<script>alert </script> Mallory"  # the filing's "(1)" reads as a nickname
FIELD = [
    Filer("Ada", "Brook", "Alderman", district="Ward 3", email="ada@brook.org", phone="555-0101",
          website="https://brook.example.org/", address="1 Secret Rd"),
    Filer("Ben", "Castro", "Ward 03 Alderperson", phone="555-0102", status="Qualified"),
    Filer("Cora", "Dunn", "City Council District 4", status="Withdrawn"),
    Filer("Dev", "Ellis", "Mayor", party="Independent"),
]  # fmt: skip
HOSTILE = Filer(
    HOSTILE_NAME,
    "Mallory",
    "Mayor",
    email="m@evil.example",
    phone="555-0666",
    website="javascript:alert(3)",
    address="666 Hidden Lane",
)


@pytest.fixture
def town(tmp_path, http_server, cli_run, monkeypatch):
    """The store after two days, and a TestClient on the app over it (clock at NOW)."""
    from starlette.testclient import TestClient

    from civicradar.config import load_config
    from civicradar.models.store import Store
    from civicradar.web import create_app

    http_server.routes["/Feed.ashx"] = FeedRoute.of("legistar-calendar.xml")
    url = http_server.url
    election = {"name": "2027 Municipal General", "date": "2027-04-06"}
    sources = [
        {"id": "meetings", "type": "agendas", "platform": "rss", "url": f"{url}/Feed.ashx"},
        {"id": "filings", "type": "candidate_list", "platform": "csv", "election": election,
         "url": f"{url}/candidates.csv"},
        {"id": "staff", "type": "staff_directory", "platform": "csv", "url": f"{url}/staff.csv"},
    ]  # fmt: skip
    sources[0]["fetch_documents"] = False
    config = write_config(
        tmp_path,
        {
            "database": f"sqlite:///{tmp_path / 'civicradar.db'}",
            "crawling": {"download_delay": 0, "autothrottle": False, "retries": 0},
            "initiative": {"name": "Early Learning", "terms": ["child care", "pre-k"]},
            "jurisdictions": [
                {
                    "id": "maplewood",
                    "name": "City of Maplewood",
                    "timezone": "America/Chicago",
                    "sources": sources,
                }
            ],
            "alerts": {"feed": {"title": "Radar"}},
        },
    )
    staff = team(5)
    days = {
        "2026-11-25": (FIELD, staff),
        NOW: ([*FIELD, HOSTILE], [staff[0].moved(title="Planning Manager"), *staff[1:],
                                  Staffer("Nora", "Quist", "Ranger", "Parks")]),
    }  # fmt: skip
    for day, (filers, people) in days.items():
        routes = http_server.routes
        routes["/candidates.csv"] = Reply(body=clerk_csv(filers), content_type="text/csv")
        routes["/staff.csv"] = Reply(body=socrata_csv(people), content_type="text/csv")
        result = cli_run("--config", config, "run", now=day)
        assert result.exit_code == 0, result.output

    def cli(*args: str, now: str = NOW) -> str:
        result = cli_run("--config", config, *args, now=now)
        assert result.exit_code == 0, result.output
        return result.output

    monkeypatch.setenv("CIVICRADAR_NOW", NOW)
    loaded = load_config(config)
    cli.client = TestClient(create_app(loaded, Store(loaded.database)))
    return cli


def _parsed_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


LISTINGS = [
    (["candidates"], "/api/candidates", {}),
    (["candidates", "--office", "Ward 3"], "/api/candidates", {"office": "Ward 3"}),
    (["candidates", "--status", "withdrawn"], "/api/candidates", {"status": "withdrawn"}),
    (["candidates", "--all"], "/api/candidates", {"all": "1"}),
    (["candidates", "--calendar"], "/api/candidates/calendar", {}),
    (["candidates", "--calendar", "--office", "mayor"], "/api/candidates/calendar",
     {"office": "mayor"}),
    (["people"], "/api/people", {}),
    (["people", "--department", "parks"], "/api/people", {"department": "parks"}),
    (["turnover", "--since", "2026-11-26"], "/api/turnover", {"since": "2026-11-26"}),
    (["turnover", "--stayed-through", "2026-11-25"], "/api/turnover",
     {"stayed_through": "2026-11-25"}),
]  # fmt: skip


def test_api_listings_answer_as_the_cli_in_json_and_csv(town):
    client = town.client
    for args, path, params in LISTINGS:
        cli_rows = json.loads(town(*args, "--format", "json"))
        web = client.get(path, params=params)
        assert web.status_code == 200, (path, params, web.text)
        assert web.json() == cli_rows, (args, params)
        exported = client.get(path, params={**params, "format": "csv"})
        assert exported.headers["content-type"] == "text/csv; charset=utf-8"
        assert exported.text == town(*args, "--format", "csv"), (args, params)
        assert len(_parsed_csv(exported.text)) == len(cli_rows)
    candidates = client.get("/api/candidates").json()
    assert len(candidates) == 5 and {r["days_remaining"] for r in candidates} == {131}
    assert SHOWN_NAME in {r["name"] for r in candidates}
    everything = json.dumps(candidates) + client.get("/api/candidates?format=csv").text
    assert "Secret" not in everything and "Hidden Lane" not in everything
    assert all("address" not in row for row in candidates)


def test_changes_and_meetings_export_csv_that_parses_back(town):
    client = town.client
    changes = client.get("/api/changes").json()
    rows = _parsed_csv(client.get("/api/changes?format=csv").text)
    assert [int(r["id"]) for r in rows] == [c["id"] for c in changes] and changes
    cli_rows = _parsed_csv(town("changes", "--format", "csv"))
    assert sorted(rows, key=lambda r: int(r["id"])) == cli_rows
    candidate = next(r for r in rows if r["kind"] == "new_candidate")
    assert json.loads(candidate["data"])["name"] == SHOWN_NAME
    assert "Hidden Lane" not in candidate["data"]
    meetings = client.get("/api/meetings?format=csv")
    assert meetings.text == town("meetings", "--format", "csv")
    assert len(_parsed_csv(meetings.text)) == len(client.get("/api/meetings").json()) == 4


def test_web_days_remaining_count_from_the_jurisdictions_date(town, monkeypatch):
    """Maplewood is in Chicago: 05:30 UTC on Nov 27 is still the evening of Nov 26 there."""
    for now, days in (("2026-11-27T05:30:00Z", 131), ("2026-11-27T06:30:00Z", 130)):
        monkeypatch.setenv("CIVICRADAR_NOW", now)
        calendar = town.client.get("/api/candidates/calendar").json()
        assert {r["days_remaining"] for r in calendar} == {days}
        cli = town("candidates", "--calendar", "--format", "json", now=now)
        assert calendar == json.loads(cli)
        page = BeautifulSoup(town.client.get("/candidates").text, "html.parser")
        assert f"{days} days to go" in page.find("h2").get_text()


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/candidates", {"status": "elected"}, "status"),
        ("/api/candidates/calendar", {"since": "soon"}, "since"),
        ("/api/people", {"format": "xml"}, "format"),
        ("/api/turnover", {"rate": "1", "stayed_through": "2026-11-25"}, "choose one"),
    ],
)
def test_bad_query_values_answer_400(town, path, params, message):
    answer = town.client.get(path, params=params)
    assert answer.status_code == 400 and message in answer.json()["error"]


def _soup(town, path: str, **params: Any) -> BeautifulSoup:
    answer = town.client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    soup = BeautifulSoup(answer.text, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert all(h.startswith(("/", "http://", "https://")) for h in hrefs), hrefs
    assert "Secret" not in answer.text and "Hidden Lane" not in answer.text
    assert "built-in method" not in answer.text
    return soup


def test_pages_are_linked_from_the_navigation(town):
    nav = _soup(town, "/").find("nav")
    assert {"/meetings", "/people", "/candidates"} <= {a["href"] for a in nav.find_all("a")}


def test_candidates_page_shows_the_calendar_and_contacts_with_crawled_text_inert(town):
    soup = _soup(town, "/candidates")
    (election,) = soup.select("section.election")
    heading = election.find("h2").get_text(" ", strip=True)
    assert "2027 Municipal General" in heading and "131 days to go" in heading
    offices = [h.get_text() for h in election.find_all("h3")]
    assert offices == ["Alderman (Ward 3)", "City Council District 4", "Mayor"]
    names = [n.get_text() for n in election.select(".name")]
    assert SHOWN_NAME in names  # shown as text, not run
    assert [a["href"] for a in election.select("a.website")] == ["https://brook.example.org/"]
    assert "m@evil.example" in election.get_text() and "555-0101" in election.get_text()
    assert "javascript:alert(3)" not in [a.get("href") for a in soup.find_all("a")]
    withdrawn = _soup(town, "/candidates", status="withdrawn")
    assert [n.get_text() for n in withdrawn.select(".name")] == ["Cora Dunn"]
    csv_link = withdrawn.find("a", string="CSV")["href"]
    assert csv_link == "/api/candidates?status=withdrawn&format=csv"


def test_people_page_lists_who_is_there_now_with_filters(town):
    soup = _soup(town, "/people")
    names = [row.find("td").get_text() for row in soup.select("#people tbody tr")]
    assert len(names) == 6 and "Nora Quist" in names
    parks = _soup(town, "/people", department="parks")
    assert [row.find("td").get_text() for row in parks.select("#people tbody tr")] == ["Nora Quist"]


def test_meetings_page_shows_local_times_status_agenda_and_matches(town):
    soup = _soup(town, "/meetings")
    rows = {row.select("td")[2].find(string=True): row for row in soup.select("#meetings tbody tr")}
    # The Planning Commission met on 11/17: past meetings are not upcoming.
    assert set(rows) == {"City Council", "Arts Commission", "Child Care Advisory Board"}
    council = rows["City Council"]
    assert council.find("td").get_text() == "Thu 03 Dec 2026, 18:00 CST"
    assert council.select_one("a.agenda")["href"].startswith("https://maplewood.legistar.com/")
    match = rows["Child Care Advisory Board"]
    assert "match" in match["class"]
    (link,) = match.select(".matches a")
    assert link["href"].startswith("/changes/") and "child care" in match.get_text()
    assert "cancel" in rows["Arts Commission"].select_one(".status").get_text()
    earlier = _soup(town, "/meetings", since="2026-11-01")
    assert len(earlier.select("#meetings tbody tr")) == 4
