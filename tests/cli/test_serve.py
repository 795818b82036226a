"""``civicradar serve`` started as a real process: feeds, JSON API and pages over HTTP."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import httpx
import pytest
from bs4 import BeautifulSoup

from civicradar.models.store import Store
from civicradar.models.tables import AgendaItem, Candidacy, Election, Meeting, Source
from tests.alerts.conftest import DAY1, HOSTILE, free_port, seed_day_one
from tests.conftest import write_config

TOKEN = "test-token-123"


class Served:
    def __init__(self, url: str, ids: dict[str, int]) -> None:
        self.url = url
        self.ids = ids

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10, **kwargs)


@contextmanager
def running_serve(folder: Path, data: dict, port: int, *args: str) -> Iterator[str]:
    """``civicradar serve`` as a real subprocess; yields its base URL once it answers."""
    config = write_config(folder, data)
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "civicradar", "--config", str(config), "serve"),
            *("--host", "127.0.0.1", "--port", str(port), *args),
        ],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # Scrapy and uvicorn import slowly on a loaded machine
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()  # reading its output waits for the end of it
                output = process.communicate()[0].decode()
                pytest.fail(f"serve did not start: {output}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


ELECTION_IN = 40
"""Days from today (UTC: the served jurisdiction has no zone) to the seeded election."""


def seed_candidates_and_meeting(store: Store) -> None:
    """A hostile filer (script for a name, ``javascript:`` website, a home address) for an
    election 40 days out, and a meeting next week whose body name and agenda link are
    hostile too; stored as a crawl would store them."""
    today = dt.datetime.now(dt.UTC).date()
    with store.session() as session:
        filings = Source(
            jurisdiction_id="springfield",
            key="filings",
            type="candidate_list",
            platform="csv",
            cursor={},
        )
        council = Source(
            jurisdiction_id="springfield", key="council", type="agendas", platform="rss", cursor={}
        )
        election = Election(
            jurisdiction_id="springfield",
            name="Municipal General",
            date=today + dt.timedelta(days=ELECTION_IN),
        )
        session.add_all([filings, council, election])
        session.flush()
        session.add(
            Candidacy(
                source_id=filings.id,
                election_id=election.id,
                jurisdiction_id="springfield",
                candidate_key="mallory",
                name=HOSTILE,
                name_key="mallory",
                office="Mayor",
                office_key="mayor",
                status="Filed",
                status_kind="filed",
                email="mallory@evil.example",
                phone="555-0666",
                website="javascript:alert(4)",
                address="13 Evergreen Hollow",
                extra={},
                first_seen=DAY1,
                last_seen=DAY1,
            )
        )
        session.add(Meeting(
            source_id=council.id, jurisdiction_id="springfield", external_id="m1",
            body_name=HOSTILE, meeting_date=today + dt.timedelta(days=7), time_known=False,
            timezone="America/Chicago", status="scheduled", agenda_url="javascript:alert(5)",
            url="https://springfield.example.gov/m1", first_seen=DAY1, last_seen=DAY1,
            items=[AgendaItem(external_id=str(n), sequence=n, title=f"Item {n}",
                              first_seen=DAY1, last_seen=DAY1) for n in (1, 2)],
        ))  # fmt: skip


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    database = f"sqlite:///{folder / 'civicradar.db'}"
    store = Store(database)
    ids = seed_day_one(store)
    seed_candidates_and_meeting(store)
    store.close()
    port = free_port()
    data = {
        "database": database,
        "jurisdictions": [{"id": "springfield", "name": "City of Springfield"}],
        "alerts": {"feed": {"title": "Radar", "link": f"http://127.0.0.1:{port}/"}},
        "web": {"token": TOKEN},
    }
    with running_serve(folder, data, port, "--no-schedule") as url:
        yield Served(url, ids)


def test_serve_schedules_the_daily_job_and_runs_it_on_demand(tmp_path):
    data = {
        "schedule": {"cron": "0 6 * * *", "timezone": "America/Chicago"},
        "web": {"token": TOKEN},
    }
    with running_serve(tmp_path, data, free_port()) as url:
        deadline = time.monotonic() + 10
        status = httpx.get(url + "/api/status", timeout=10).json()["schedule"]
        while status["next_run"] is None and time.monotonic() < deadline:
            time.sleep(0.05)
            status = httpx.get(url + "/api/status", timeout=10).json()["schedule"]
        next_run = dt.datetime.fromisoformat(status["next_run"])
        local = next_run.astimezone(ZoneInfo("America/Chicago"))
        assert (local.hour, local.minute) == (6, 0)
        assert next_run - dt.datetime.now(dt.UTC) <= dt.timedelta(days=1)
        started = httpx.post(
            url + "/api/run", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        )
        assert started.status_code == 202
        deadline = time.monotonic() + 60  # a loaded machine takes a while to import Scrapy
        while time.monotonic() < deadline:
            status = httpx.get(url + "/api/status", timeout=10).json()["schedule"]
            if status["last_result"]:
                break
            time.sleep(0.1)
        assert status["last_result"] == "crawled 0 sources, 0 new changes, nothing to deliver"


def test_served_rss_and_atom_feeds_read_back_with_feedparser(served: Served):
    response = served.get("/feed.rss")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and len(parsed.entries) == 4
    assert parsed.entries[0].title.endswith(HOSTILE)
    atom = feedparser.parse(served.get("/feed.atom").content)
    assert atom.version == "atom10"
    assert [e.id for e in atom.entries] == [e.id for e in parsed.entries]


def test_served_feed_filters(served: Served):
    only = feedparser.parse(
        served.get("/feed.atom?jurisdiction=springfield&kind=new_candidate").content
    )
    assert [e.title for e in only.entries] == [
        "City of Springfield · New candidate: Jane Roe filed for City Council Ward 3"
    ]
    assert served.get("/feed.rss?kind=nonsense").status_code == 400


def test_api_changes_are_contract_objects_without_addresses(served: Served):
    rows = served.get("/api/changes").json()
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    candidate = next(r for r in rows if r["kind"] == "new_candidate")
    assert set(candidate) == {
        "id",
        "kind",
        "jurisdiction",
        "source",
        "detected_at",
        "summary",
        "url",
        "data",
    }
    assert "address" not in candidate["data"] and candidate["data"]["phone"] == "555-0100"
    filtered = served.get("/api/changes?kind=agenda_match&jurisdiction=springfield").json()
    assert [r["summary"] for r in filtered] == ["Child care grant on the Council agenda"]
    assert served.get("/api/changes?since=2026-03-03").json() == []
    assert served.get("/api/changes?since=yesterday").status_code == 400
    assert served.get(f"/api/changes/{served.ids['agenda']}").json()["kind"] == "agenda_match"
    assert [m["body"] for m in served.get("/api/meetings").json()] == [HOSTILE]
    sources = served.get("/api/sources").json()
    assert isinstance(sources, list)


def test_pages_escape_crawled_text_and_hide_addresses(served: Served):
    index = served.get("/")
    assert index.status_code == 200
    assert "default-src 'none'" in index.headers["content-security-policy"]
    soup = BeautifulSoup(index.text, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert HOSTILE in soup.get_text()
    page = served.get(f"/changes/{served.ids['hostile']}")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find(id="summary").get_text() == HOSTILE
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.find(id="source")["href"] == f"{served.url}/changes/{served.ids['hostile']}"
    candidate = served.get(f"/changes/{served.ids['candidate']}").text
    assert "Evergreen" not in candidate and "jane@roe2027.example" in candidate
    assert served.get("/changes/99999").status_code == 404


def test_store_pages_and_candidate_api_keep_hostile_filings_inert(served: Served):
    for path in ("/candidates", "/meetings", "/people"):
        response = served.get(path)
        assert response.status_code == 200
        assert "default-src 'none'" in response.headers["content-security-policy"]
        soup = BeautifulSoup(response.text, "html.parser")
        assert soup.find("script") is None and soup.find("img") is None
        assert not [a for a in soup.find_all("a") if "javascript" in a["href"].lower()]
        assert "Evergreen" not in response.text
    candidates = BeautifulSoup(served.get("/candidates").text, "html.parser")
    assert [n.get_text() for n in candidates.select(".name")] == [HOSTILE]
    assert f"{ELECTION_IN} days to go" in candidates.find("h2").get_text()
    assert "mallory@evil.example" in candidates.get_text()
    meetings = BeautifulSoup(served.get("/meetings").text, "html.parser")
    assert HOSTILE in meetings.select_one("#meetings").get_text()
    assert meetings.select_one("#meetings .items").get_text() == "2 items"
    api = served.get("/api/candidates").json()
    assert [(c["name"], c["days_remaining"]) for c in api] == [(HOSTILE, ELECTION_IN)]
    assert "Evergreen" not in json.dumps(api) and "address" not in api[0]
    exported = served.get("/api/candidates?format=csv").text
    assert [r["name"] for r in csv.DictReader(io.StringIO(exported))] == [HOSTILE]
    calendar = served.get("/api/candidates/calendar").json()
    assert [(c["office"], c["candidates"]) for c in calendar] == [("Mayor", 1)]


def test_writes_are_refused_without_the_token(served: Served):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = httpx.request(method, served.url + "/api/changes", timeout=10)
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, HEAD"
    wrong = httpx.post(
        served.url + "/api/run", headers={"Authorization": "Bearer nope"}, timeout=10
    )
    assert wrong.status_code == 401
    allowed = httpx.post(
        served.url + "/api/run", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert allowed.status_code in (202, 409)
    # Authenticated, but there is no write route here: still a 405 from the router.
    assert (
        httpx.delete(
            served.url + "/api/changes", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        ).status_code
        == 405
    )


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_pages_in_a_real_browser_filter_navigate_and_run_no_crawled_script(served, browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(served.url + "/")
    assert page.title() == "Radar"
    rows = page.locator("#changes tbody tr")
    assert rows.count() == 4
    assert HOSTILE in page.inner_text("#changes")
    assert page.locator("img").count() == 0
    page.select_option("select[name=kind]", "new_candidate")
    page.click("button[type=submit]")
    page.wait_for_url("**/?jurisdiction=&kind=new_candidate")
    assert rows.count() == 1
    page.click("#changes a")
    page.wait_for_url(f"**/changes/{served.ids['candidate']}")
    assert page.inner_text("#summary") == "Jane Roe filed for City Council Ward 3"
    assert "Evergreen" not in page.content()
    page.goto(f"{served.url}/changes/{served.ids['hostile']}")
    assert page.inner_text("#summary") == HOSTILE
    assert page.locator("img").count() == 0
    page.click("nav >> text=Candidates")
    page.wait_for_url("**/candidates")
    assert page.inner_text(".name") == HOSTILE
    assert f"{ELECTION_IN} days to go" in page.inner_text("h2")
    page.click("nav >> text=Meetings")
    page.wait_for_url("**/meetings")
    assert HOSTILE in page.inner_text("#meetings")
    page.click("nav >> text=People")
    page.wait_for_url("**/people")
    assert page.locator("img").count() == 0
    assert dialogs == []
    page.close()
