"""The Legistar Web API spiders against a local Legistar-compatible server (made-up Testville)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import socket
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from civicradar.crawlers.legistar import cancellation, event_start
from civicradar.models.store import Store
from civicradar.models.tables import Body, Change, CrawlRun, Meeting
from civicradar.sample.legistar_api import ClientData, Fault, LegistarServer
from tests.conftest import write_config

FIXTURE = Path(__file__).parents[1] / "fixtures" / "legistar" / "testville"
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def api():
    with LegistarServer({"testville": ClientData.from_folders(FIXTURE)}) as server:
        yield server


def legistar_config(tmp_path, base_url, *, source_type="agendas", **extra):
    source = {
        "id": "council" if source_type == "agendas" else "officials",
        "type": source_type,
        "platform": "legistar",
        "client": "testville",
        "base_url": base_url,
        **extra,
    }
    if source_type == "agendas":
        source.setdefault("fetch_documents", False)
    return write_config(
        tmp_path,
        {
            "crawling": {
                "download_delay": 0,
                "autothrottle": False,
                "retries": 0,
                "timeout_seconds": 10,
                "concurrency_per_domain": 16,
            },
            "initiative": {
                "name": "Early Learning",
                "terms": ["child care", "pre-k"],
                "exclude": ["child care tax credit"],
            },
            "jurisdictions": [
                {
                    "id": "testville",
                    "name": "Testville",
                    "timezone": "America/Los_Angeles",
                    "sources": [source],
                }
            ],
        },
    )


def open_store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'civicradar.db'}")


def meetings_by_id(tmp_path) -> dict[str, Meeting]:
    with open_store(tmp_path).session() as session:
        rows = session.scalars(select(Meeting)).all()
        for meeting in rows:
            _ = (meeting.items, meeting.documents)
        return {m.external_id: m for m in rows}


def runs(tmp_path) -> list[CrawlRun]:
    with open_store(tmp_path).session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def change_kinds(tmp_path) -> list[str]:
    with open_store(tmp_path).session() as session:
        return [c.kind for c in session.scalars(select(Change).order_by(Change.id))]


# --- fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_time", "expected"),
    [
        ("6:30 PM", dt.time(18, 30)),
        ("6:30PM", dt.time(18, 30)),
        ("18:30", dt.time(18, 30)),
        ("9 AM", dt.time(9, 0)),
        ("10:00 a.m.", dt.time(10, 0)),
        ("12:00 PM", dt.time(12, 0)),
        ("12:15 AM", dt.time(0, 15)),
    ],
)
def test_event_time_is_read_in_12_and_24_hour_forms_and_zoned(event_time, expected):
    day, start = event_start("2026-03-09T00:00:00", event_time, LA)
    assert day == dt.date(2026, 3, 9)
    assert start == dt.datetime.combine(day, expected, tzinfo=LA)
    assert start.utcoffset() == dt.timedelta(hours=-7)  # DST began on March 8


@pytest.mark.parametrize("event_time", [None, "", "TBD", "25:00", "13:00 PM"])
def test_missing_or_unreadable_event_time_leaves_the_time_unknown(event_time):
    assert event_start("2026-03-09T00:00:00", event_time, LA) == (dt.date(2026, 3, 9), None)


def test_cancellation_is_inferred_with_its_evidence():
    assert cancellation({"EventAgendaStatusName": "Cancelled"}) == (
        "cancelled",
        "agenda status: Cancelled",
    )
    assert cancellation({"EventComment": "Meeting postponed to April 2"}) == (
        "postponed",
        "comment: Meeting postponed to April 2",
    )
    assert cancellation({"EventBodyName": "City Council - CANCELED"})[0] == "cancelled"
    assert cancellation({"EventAgendaStatusName": "Final", "EventComment": "Amended"}) == (
        "scheduled",
        None,
    )


# --- crawling the API ------------------------------------------------------------------


def test_crawl_stores_zoned_meetings_items_agenda_urls_and_cancellation_evidence(
    tmp_path, api, cli_run
):
    config = legistar_config(tmp_path, api.url)
    result = cli_run("--config", config, "crawl", now="2026-03-02")
    assert result.exit_code == 0, result.output
    assert "testville/council: ok, 5 records" in result.output
    assert cli_run("--config", config, "detect", now="2026-03-02").exit_code == 0

    meetings = meetings_by_id(tmp_path)
    assert sorted(meetings) == ["201", "202", "203", "204", "205"]  # 299 is outside the window
    council = meetings["201"]
    assert council.start == dt.datetime(2026, 3, 9, 18, 0, tzinfo=LA)
    assert council.start.utcoffset() == dt.timedelta(hours=-7)
    assert council.time_known and council.timezone == "America/Los_Angeles"
    assert council.meeting_date == dt.date(2026, 3, 9)
    assert council.agenda_url.endswith("/20260309/Agenda_201.pdf")
    assert council.url.startswith("https://testville.legistar.com/MeetingDetail.aspx?LEGID=201")
    assert [(d.kind, d.url) for d in council.documents] == [("agenda", council.agenda_url)]
    assert [i.title for i in council.items] == [
        "Call to order",
        "Resolution supporting childcare workforce grants",
        "Public hearing: fiscal year 2027 budget",
    ]
    grants = council.items[1]
    assert (grants.number, grants.matter_file, grants.matter_type) == (
        "2.",
        "RES 26-101",
        "Resolution",
    )
    assert (grants.mover, grants.seconder) == ("Dana Cho", "Eli Park")
    assert meetings["202"].start == dt.datetime(2026, 3, 11, 18, 30, tzinfo=LA)
    assert not meetings["203"].time_known and meetings["203"].start is None
    assert [i.title for i in meetings["203"].items] == ["Study session: Pre K expansion options"]
    assert meetings["204"].minutes_url.endswith("Minutes_204.pdf")
    cancelled = meetings["205"]
    assert cancelled.status == "cancelled"
    assert cancelled.status_evidence == "comment: MEETING CANCELLED - no quorum"
    assert cancelled.start == dt.datetime(2026, 4, 6, 19, 0, tzinfo=LA)
    with open_store(tmp_path).session() as session:
        assert {b.name for b in session.scalars(select(Body))} == {
            "City Council",
            "Parks and Recreation Board",
        }

    listed = json.loads(cli_run("--config", config, "meetings", "--format", "json").output)
    by_date = {m["meeting_date"]: m for m in listed}
    assert by_date["2026-03-09"]["start"] == "2026-03-09T18:00:00-07:00"
    assert by_date["2026-03-16"]["start"] is None
    assert by_date["2026-04-06"]["status"] == "cancelled"
    table = cli_run("--config", config, "meetings", now="2026-03-02").output
    assert "2026-03-09T18:00:00-07:00" in table and "cancelled" in table


def test_events_are_asked_for_the_window_with_an_odata_date_filter(tmp_path, api, cli_run):
    config = legistar_config(tmp_path, api.url, days_back=10, days_ahead=20)
    assert cli_run("--config", config, "crawl", now="2026-03-02").exit_code == 0
    (query,) = [q for p, q in api.requests if p == "/testville/events"]
    assert query["$filter"] == (
        "EventDate ge datetime'2026-02-20' and EventDate lt datetime'2026-03-23'"
    )
    assert (query["$top"], query["$skip"]) == ("1000", "0")
    assert sorted(meetings_by_id(tmp_path)) == []  # nothing detected yet: crawl only
    assert runs(tmp_path)[0].records == 4  # 201-204 fall in the narrower window; 205 does not


def test_more_than_1000_events_are_paged_and_deduplicated(tmp_path, api, cli_run):
    data = api.clients["testville"]
    template = data.events[1]
    extra = []
    for n in range(1203):
        event = copy.deepcopy(template)
        event["EventId"] = 10_000 + n
        event["EventDate"] = (dt.date(2026, 3, 1) + dt.timedelta(days=n % 90)).isoformat()
        extra.append(event)
    extra.append(copy.deepcopy(extra[5]))  # the same event twice, as when rows shift a page
    data.events = data.events + extra
    data.eventitems = []  # keep the test quick: no items to fetch
    config = legistar_config(tmp_path, api.url)
    result = cli_run("--config", config, "crawl", now="2026-03-02")
    assert result.exit_code == 0, result.output
    skips = sorted(int(q["$skip"]) for p, q in api.requests if p == "/testville/events")
    assert skips == [0, 1000]
    assert runs(tmp_path)[0].records == 1203 + 5
    assert cli_run("--config", config, "detect", now="2026-03-02").exit_code == 0
    assert len(meetings_by_id(tmp_path)) == 1203 + 5


def test_officials_come_from_current_office_records(tmp_path, api, cli_run):
    config = legistar_config(tmp_path, api.url, source_type="staff_directory")
    result = cli_run("--config", config, "crawl", now="2026-03-02")
    assert result.exit_code == 0, result.output
    (run,) = runs(tmp_path)
    people = sorted(
        (r["name"], r["title"], r["department"], r["email"], r["external_id"], r["role"])
        for r in run.payload
        if r["record_type"] == "person"
    )
    assert people == [
        ("Dana Cho", "Mayor", "City Council", "dcho@testville.example", "41", "official"),
        ("Eli Park", "Council Member", "City Council", "epark@testville.example", "42", "official"),
        (
            "Eli Park",
            "Liaison",
            "Parks and Recreation Board",
            "epark@testville.example",
            "42",
            "official",
        ),
    ]  # Fay Ruiz's seat ended in 2024
    phones = {r["phone"] for r in run.payload}
    assert "(555) 010-2141" in phones


def test_a_configured_token_is_sent_with_every_request(tmp_path, cli_run):
    with LegistarServer({"testville": ClientData.from_folders(FIXTURE)}, token="s3cret") as server:
        config = legistar_config(tmp_path, server.url)
        result = cli_run(
            "--config", config, "crawl", now="2026-03-02", env={"LEGISTAR_TOKEN": "s3cret"}
        )
        assert "testville/council: ok, 5 records" in result.output
        api_requests = [q for p, q in server.requests if p != "/robots.txt"]
        assert api_requests and all(q.get("token") == "s3cret" for q in api_requests)

        other = tmp_path / "no-token"
        other.mkdir()
        result = cli_run("--config", legistar_config(other, server.url), "crawl", now="2026-03-02")
        assert "failed" in result.output and "Token is required or invalid" in result.output


# --- failures are source problems, never changes -----------------------------------------

BAD_FILTER = json.dumps(
    {
        "Message": "The query specified in the URI is not valid. "
        "Could not find a property named 'EventDat'."
    }
)


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("break_api", "expected"),
    [
        (
            lambda api: api.faults.update({("testville", "events"): Fault(400, BAD_FILTER)}),
            "HTTP 400 from http://127.0.0.1",
        ),
        (
            lambda api: api.faults.update(
                {("testville", "events"): Fault(500, "oops", "text/plain")}
            ),
            "HTTP 500",
        ),
        (
            lambda api: api.faults.update(
                {("testville", "events"): Fault(200, '[{"EventId": 201,')}
            ),
            "malformed JSON",
        ),
        (
            lambda api: api.faults.update({("testville", "eventitems"): Fault(200, "<html>")}),
            "malformed JSON",
        ),
        (
            lambda api: api.faults.update({("testville", "events"): Fault(200, '{"value": []}')}),
            "expected a JSON list",
        ),
        (None, "Connection"),
    ],
    ids=[
        "bad-filter-400",
        "http-500",
        "malformed-json",
        "malformed-items",
        "not-a-list",
        "unreachable",
    ],
)
def test_a_broken_api_is_a_source_problem_and_no_false_change(
    tmp_path, api, cli_run, break_api, expected
):
    config = legistar_config(tmp_path, api.url)
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    before = meetings_by_id(tmp_path)
    baseline_changes = change_kinds(tmp_path)
    assert baseline_changes.count("agenda_match") == 2

    # Day 2 the API breaks, while the data also says 201 was cancelled: nothing may be believed.
    api.clients["testville"].events[0]["EventAgendaStatusName"] = "Cancelled"
    api.clients["testville"].events[0]["EventLastModifiedUtc"] = "2026-03-02T20:00:00"
    if break_api is None:
        config = legistar_config(tmp_path, _closed_port_url())
    else:
        break_api(api)
    for day in ("2026-03-03", "2026-03-04"):
        result = cli_run("--config", config, "run", now=day)
        assert result.exit_code == 0, result.output
        assert "testville/council: failed" in result.output
        assert expected in result.output
    assert [r.status for r in runs(tmp_path)] == ["ok", "failed", "failed"]
    assert change_kinds(tmp_path) == [*baseline_changes, "source_problem"]
    after = meetings_by_id(tmp_path)
    assert after["201"].status == "scheduled"
    assert [i.title for i in after["201"].items] == [i.title for i in before["201"].items]
    if break_api is not None and "400" in expected:
        assert "Could not find a property named 'EventDat'" in runs(tmp_path)[1].error


def test_the_sample_server_refuses_a_bad_filter_like_the_real_api(api):
    import httpx

    reply = httpx.get(
        f"{api.url}/testville/events", params={"$filter": "EventDate gx datetime'2026-01-01'"}
    )
    assert reply.status_code == 400
    assert "not valid" in reply.json()["Message"]
    reply = httpx.get(
        f"{api.url}/testville/events", params={"$filter": "EventDate ge datetime'2026-03-10'"}
    )
    assert {e["EventId"] for e in reply.json()} == {202, 203, 205}
