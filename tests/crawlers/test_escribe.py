"""The eScribe spider against a calendar page method written for the project (made-up Maplewood;
POST with the window's dates, answered as {"d": [...]}) and the captured Chula Vista answer."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

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
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
CALENDAR = "/MeetingsCalendarView.aspx/GetCalendarMeetings"
REAL_HOST = "https://pub-maplewood.escribemeetings.com"
JSON = "application/json; charset=utf-8"


class Calendar:
    """The page method: POST only, JSON in; the meetings between the two dates, wrapped."""

    def __init__(self, http_server, answer: str) -> None:
        self.meetings = json.loads(answer.replace(REAL_HOST, http_server.url))["d"]
        self.fault: Reply | None = None
        self.seen: list = []
        http_server.routes[CALENDAR] = self

    def __call__(self, request) -> Reply:
        self.seen.append(request)
        if self.fault is not None:
            return self.fault
        if request.method != "POST":
            return Reply(status=500, body='{"Message":"Authentication failed."}', content_type=JSON)
        asked = json.loads(request.body)
        first = dt.datetime.fromisoformat(asked["calendarStartDate"]).date()
        last = dt.datetime.fromisoformat(asked["calendarEndDate"]).date()
        found = [
            m
            for m in self.meetings
            if first <= dt.datetime.strptime(m["StartDate"], "%Y/%m/%d %H:%M:%S").date() <= last
        ]
        return Reply(body=json.dumps({"d": found}), content_type=JSON)


def test_the_window_is_posted_and_its_meetings_read_with_documents(tmp_path, http_server, cli_run):
    calendar = Calendar(http_server, fixture_text("escribe", "calendar.json"))
    config = platform_config(tmp_path, "escribe", http_server.url)
    result = run(cli_run, config)
    assert "maplewood/meetings: ok, 4 records" in result.output, result.output
    (asked,) = calendar.seen
    assert asked.headers["content-type"].startswith("application/json")
    assert json.loads(asked.body) == {
        "calendarStartDate": "2026-10-26T00:00:00-05:00",
        "calendarEndDate": "2027-03-25T23:59:59-05:00",
    }

    meetings = stored_meetings(tmp_path)
    council = meetings["5d1c9a40-1111-4c1e-9a0f-000000000101"]
    assert council.start == dt.datetime(2026, 11, 17, 18, 0, tzinfo=CHICAGO)
    assert (council.body_name, council.location) == ("City Council", "Council Chambers, City Hall")
    assert council.agenda_url == http_server.url + "/FileStream.ashx?DocumentId=7101"
    assert council.minutes_url == http_server.url + "/FileStream.ashx?DocumentId=7105"
    assert council.url.startswith(http_server.url + "/MeetingsCalendarView.aspx/Meeting?Id=")
    html_only = meetings["5d1c9a40-1111-4c1e-9a0f-000000000104"]
    assert html_only.agenda_url == (
        http_server.url + "/Meeting.aspx?Id=5d1c9a40-1111-4c1e-9a0f-000000000104"
        "&Agenda=Agenda&lang=English"
    )
    assert {d.kind for d in html_only.documents} == {"agenda", "other"}  # the cover page
    board = meetings["5d1c9a40-1111-4c1e-9a0f-000000000103"]
    assert (board.body_name, board.status) == ("Child Care Advisory Board", "cancelled")
    assert [c["data"]["body"] for c in changes(cli_run, config, "agenda_match")] == [
        "Child Care Advisory Board"
    ]


def test_a_meeting_view_in_the_address_is_passed_on(tmp_path, http_server, cli_run):
    calendar = Calendar(http_server, fixture_text("escribe", "calendar.json"))
    config = platform_config(tmp_path, "escribe", http_server.url + "/?MeetingViewId=15")
    run(cli_run, config)
    assert calendar.seen[0].query == {"MeetingViewId": ["15"]}


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply(status=500, body='{"Message":"There was an error"}'), "HTTP 500"),
        (Reply(body="<html><body>Meetings</body></html>"), "no JSON answer of the calendar"),
        (Reply(body='{"d": null}', content_type=JSON), "no calendar meetings"),
        (Reply(body='[{"ID": "x"}]', content_type=JSON), "no calendar meetings"),
    ],
)
def test_an_error_or_another_shape_fails_the_run(tmp_path, http_server, cli_run, reply, problem):
    calendar = Calendar(http_server, fixture_text("escribe", "calendar.json"))
    config = platform_config(tmp_path, "escribe", http_server.url)
    run(cli_run, config)
    calendar.fault = reply
    run(cli_run, config, "2026-11-26")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and problem in latest.error, latest.error
    assert [c["kind"] for c in changes(cli_run, config)] == ["agenda_match", "source_problem"]


# --- the captured pages of the shared corpus ----------------------------------------------


def test_corpus_chula_vista_calendar_answer(tmp_path, http_server, corpus, cli_run):
    answer = (corpus / "agendas" / "escribe" / "chulavista-GetCalendarMeetings.json").read_text()
    Calendar(http_server, answer.replace("https://pub-chulavista.escribemeetings.com", REAL_HOST))
    config = platform_config(tmp_path, "escribe", http_server.url, timezone="America/Los_Angeles")
    run(cli_run, config, "2025-12-10")
    (meeting,) = stored_meetings(tmp_path).values()
    assert meeting.title == "Board of Ethics Regular Meeting"
    assert meeting.body_name == "Board of Ethics"
    assert meeting.start == dt.datetime(2025, 12, 17, 17, 15, tzinfo=LOS_ANGELES)
    assert meeting.location == "City Hall, Bldg. A, Executive Conference Room #103"
    assert meeting.agenda_url == http_server.url + "/FileStream.ashx?DocumentId=56975"
    assert meeting.url == (
        http_server.url
        + "/MeetingsCalendarView.aspx/Meeting?Id=3a6304b5-97b9-4bcc-aecd-72b8c188e73c"
    )
    kinds = sorted((d.kind, d.url.rsplit("=", 1)[1]) for d in meeting.documents)
    assert kinds == [
        ("agenda", "56975"),
        ("other", "56974"),
        ("other", "56983"),
        ("other", "57161"),
    ]


def test_corpus_detroit_meetings_page_is_not_the_calendar_answer(
    tmp_path, http_server, corpus, cli_run
):
    page = (corpus / "agendas" / "escribe" / "detroitmi-Meetings.aspx.html").read_text()
    http_server.routes[CALENDAR] = lambda request: Reply(body=page)
    config = platform_config(tmp_path, "escribe", http_server.url, timezone="America/Detroit")
    run(cli_run, config, "2020-09-29")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and "no JSON answer of the calendar" in latest.error
