"""The CivicClerk spider against an events API written for the project (made-up Maplewood, two
pages) and the captured South Fulton reply: the window's filter, local times written with a
"Z", published files, paging, faults."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from civicradar.crawlers.civicclerk import portal_base
from tests.conftest import Reply
from tests.conftest import logged_changes as changes
from tests.crawlers.meeting_platforms import (
    crawl_runs,
    fixture_text,
    platform_config,
    run,
    stored_meetings,
)

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
REAL_HOST = "https://maplewood.api.civicclerk.com"
JSON = "application/json; charset=utf-8"
WINDOW = "startDateTime ge 2026-10-26T00:00:00Z and startDateTime lt 2027-03-26T00:00:00Z"


class EventsApi:
    """``/v1/Events`` on the local server: the filter must be the window's, ``$skip`` pages."""

    def __init__(self, http_server, pages: list[str], expected_filter: str | None = WINDOW):
        self.pages = [p.replace(REAL_HOST, http_server.url) for p in pages]
        self.expected_filter = expected_filter
        self.fault: Reply | None = None
        self.seen: list = []
        http_server.routes["/v1/Events"] = self

    def __call__(self, request) -> Reply:
        self.seen.append(request)
        if self.fault is not None:
            return self.fault
        asked = request.query.get("$filter", [""])[0]
        if self.expected_filter and (
            asked != self.expected_filter or request.query.get("$orderby") != ["startDateTime"]
        ):
            return Reply(status=400, body=json.dumps({"error": f"bad filter {asked}"}))
        page = int(request.query.get("$skip", ["0"])[0]) // 3
        return Reply(body=self.pages[page], content_type=JSON)


def maplewood(http_server) -> EventsApi:
    pages = [fixture_text("civicclerk", f"events-page{n}.json") for n in (1, 2)]
    return EventsApi(http_server, pages)


def test_events_of_the_window_on_two_pages_become_meetings_with_their_files(
    tmp_path, http_server, cli_run
):
    api = maplewood(http_server)
    config = platform_config(tmp_path, "civicclerk", http_server.url)
    result = run(cli_run, config)
    assert "maplewood/meetings: ok, 4 records" in result.output, result.output
    assert [r.query.get("$skip") for r in api.seen] == [None, ["3"]]

    meetings = stored_meetings(tmp_path)
    council = meetings["3101"]
    assert council.start == dt.datetime(2026, 11, 17, 18, 0, tzinfo=CHICAGO)  # "18:00:00Z"
    assert council.body_name == "City Council"
    assert council.location == "1830 County Road B East, Maplewood, Minnesota 55109"
    stream = http_server.url + "/v1/Meetings/GetMeetingFileStream(fileId={},plainText=false)"
    assert council.agenda_url == stream.format(5101)
    assert council.minutes_url == stream.format(5102)
    assert council.url == http_server.url + "/event/3101/overview"
    assert council.agenda_status == "Agenda Posted on November 12, 2026 9:15 AM"
    assert sorted((d.kind, d.url) for d in meetings["3104"].documents) == [
        ("agenda", stream.format(5110)),
        ("packet", stream.format(5111)),
    ]
    board = meetings["3103"]
    assert (board.status, board.status_evidence) == (
        "cancelled",
        "title: Child Care Advisory Board - CANCELLED",
    )
    matched = sorted(c["data"]["body"] for c in changes(cli_run, config, "agenda_match"))
    assert matched == ["Child Care Advisory Board", "City Council"]  # the title; "pre-k"


def test_more_pages_than_max_pages_is_a_suspicious_run(tmp_path, http_server, cli_run):
    maplewood(http_server)
    config = platform_config(tmp_path, "civicclerk", http_server.url, max_pages=1)
    run(cli_run, config)
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "suspicious" and "more than max_pages (1)" in latest.error


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply(status=502, body="bad gateway"), "HTTP 502"),
        (Reply(body="<html><body>Portal</body></html>"), "no OData JSON of events"),
        (Reply(body='[{"id": 1}]', content_type=JSON), "no OData envelope of events"),
        (Reply(body='{"value": [{"id": 1, "eventDate": "x"}]}', content_type=JSON), "envelope"),
    ],
)
def test_an_error_or_another_shape_fails_the_run(tmp_path, http_server, cli_run, reply, problem):
    api = maplewood(http_server)
    config = platform_config(tmp_path, "civicclerk", http_server.url)
    run(cli_run, config)
    api.fault = reply
    run(cli_run, config, "2026-11-26")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and problem in latest.error, latest.error
    assert [c["kind"] for c in changes(cli_run, config)].count("source_problem") == 1
    assert len(stored_meetings(tmp_path)) == 4


def test_meeting_pages_link_the_portal_beside_the_api_host():
    assert portal_base("https://southfultonga.api.civicclerk.com") == (
        "https://southfultonga.portal.civicclerk.com"
    )


# --- the captured reply of the shared corpus -----------------------------------------------


def test_corpus_south_fulton_events(tmp_path, http_server, corpus, cli_run):
    reply = (corpus / "agendas" / "civicclerk" / "southfultonga-events.json").read_text()
    EventsApi(http_server, [reply], expected_filter=None)
    config = platform_config(
        tmp_path,
        "civicclerk",
        http_server.url,
        timezone="America/New_York",
        days_back=30,
        days_ahead=365,
    )
    run(cli_run, config, "2026-04-16")
    meetings = stored_meetings(tmp_path)
    assert len(meetings) == 16
    assert {m.body_name for m in meetings.values()} == {"City Council"}
    hearing = meetings["1744"]
    assert hearing.title == "Alcohol License and Zoning Public Hearings"
    assert hearing.start == dt.datetime(2026, 4, 15, 17, 0, tzinfo=NEW_YORK)
    assert hearing.location == "5440 Fulton Industrial Blvd, South Fulton, Georgia 30336"
    kinds = sorted((d.kind, d.url.split("fileId=")[1][:4]) for d in hearing.documents)
    assert kinds == [("agenda", "2261"), ("packet", "2262")]
    assert sum(1 for m in meetings.values() if m.documents) == 1
    assert max(m.start for m in meetings.values()) == dt.datetime(
        2026, 7, 28, 19, 0, tzinfo=NEW_YORK
    )
