"""The iCalendar agendas spider: a calendar written for the project (made-up Maplewood:
a recurring council series with an exception and an override, UTC, floating and all-day
times, a cancellation, attachments) and the captured calendar of the shared corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from civicradar.crawlers import ics
from tests.conftest import Reply
from tests.crawlers.agenda_pdfs import text_pdf
from tests.crawlers.agenda_sites import AgendaDays, Files, agendas_config, kinds
from tests.crawlers.test_rss import FeedRoute

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics"
CHICAGO = ZoneInfo("America/Chicago")
CALENDAR_TYPE = "text/calendar; charset=utf-8"
SERIES = "council-regular@maplewoodmn.gov"


class CalendarRoute(FeedRoute):
    """The .ics file, answered like a feed: ETag, Last-Modified, 304, faults."""

    def __call__(self, request):
        reply = super().__call__(request)
        if reply.content_type.startswith("application/rss"):
            reply.content_type = CALENDAR_TYPE
        return reply


def serve_calendar(server) -> tuple[CalendarRoute, Files, str]:
    text = (FIXTURES / "maplewood-meetings.ics").read_bytes().decode("utf-8")  # CRLF kept
    route = CalendarRoute(text.replace("https://www.maplewoodmn.gov/", server.url + "/"))
    files = Files(server)
    files.put(
        "/files/agendas/council-2026-12-07",
        text_pdf([["CITY COUNCIL", "1. Call to order", "2. Pre-K Lease at Gladstone"]]),
        content_type="application/octet-stream",  # the ATTACH's FMTTYPE says it is a PDF
    )
    files.put(
        "/files/agendas/planning-2026-12-09.pdf",
        text_pdf([["PLANNING COMMISSION", "1. Variance at 1902 Larpenteur"]]),
    )
    files.put(
        "/AgendaCenter/ViewFile/Agenda/_12032026-1460",
        text_pdf([["PARKS AND RECREATION COMMISSION", "1. Trail grant"]]),
    )
    server.routes["/calendar.ics"] = route
    return route, files, server.url + "/calendar.ics"


def test_occurrences_are_zoned_identified_and_cancelled_as_the_calendar_says(
    tmp_path, http_server, cli_run
):
    _route, files, url = serve_calendar(http_server)
    days = AgendaDays(tmp_path, cli_run, agendas_config(tmp_path, "ics", url, fetch_documents=True))
    found = days.day("2026-11-25")
    assert days.runs()[-1].status == "ok", days.runs()[-1].error
    meetings = days.meetings()
    council = {
        m.meeting_date.isoformat(): m
        for m in meetings.values()
        if m.title == "City Council Regular Meeting"
    }
    # Every other Monday from Nov 9, eight times, without the excluded Dec 21.
    assert sorted(council) == [
        "2026-11-09",
        "2026-11-23",
        "2026-12-07",
        "2027-01-04",
        "2027-01-18",
        "2027-02-01",
        "2027-02-15",
    ]
    override = council["2026-12-07"]
    assert override.external_id == f"{SERIES}@20261208T010000Z"  # the start it was planned for
    assert override.start == dt.datetime(2026, 12, 7, 19, 0, tzinfo=CHICAGO)
    assert override.location == "Council Chambers, City Hall, 1830 County Road B East"
    assert override.body_name == "City Council"
    assert override.agenda_url == http_server.url + "/files/agendas/council-2026-12-07"
    assert override.url == http_server.url + "/meetings/city-council/2026-12-07"
    assert override.minutes_url == http_server.url + "/files/minutes-2026-11-23.pdf"

    planning = meetings["planning-2026-12@maplewoodmn.gov"]  # 00:00 UTC on the 10th
    assert (planning.meeting_date, planning.start) == (
        dt.date(2026, 12, 9),
        dt.datetime(2026, 12, 9, 18, 0, tzinfo=CHICAGO),
    )
    assert planning.agenda_url.endswith("/files/agendas/planning-2026-12-09.pdf")
    parks = meetings["parks-2026-12@maplewoodmn.gov"]  # floating: the jurisdiction's zone
    assert parks.start == dt.datetime(2026, 12, 3, 17, 30, tzinfo=CHICAGO)
    assert parks.body_name == "Parks and Recreation Commission"
    assert parks.agenda_url.endswith("/AgendaCenter/ViewFile/Agenda/_12032026-1460")
    library = meetings["library-2026-12@maplewoodmn.gov"]
    assert (library.status, library.status_evidence) == ("cancelled", "STATUS:CANCELLED")
    workshop = meetings["budget-workshop-2026@maplewoodmn.gov"]
    assert (workshop.meeting_date, workshop.start) == (dt.date(2026, 12, 12), None)
    assert "council-2025-retreat@maplewoodmn.gov" not in meetings  # outside the window

    assert kinds(found) == [("agenda_match", "Pre-K Lease at Gladstone")]
    assert found[0]["data"]["document_url"] == override.agenda_url
    assert len(files.asked("/files/agendas/council-2026-12-07")) == 1


def test_an_unchanged_calendar_costs_one_304(tmp_path, http_server, cli_run):
    route, _files, url = serve_calendar(http_server)
    days = AgendaDays(tmp_path, cli_run, agendas_config(tmp_path, "ics", url, fetch_documents=True))
    days.day("2026-11-25")
    assert days.day("2026-11-26") == []
    first, second = days.runs()
    assert (second.unchanged, second.requests, second.not_modified) == (True, 1, 1)
    assert route.seen[1].headers["if-none-match"] == route.etag
    print(
        f"\nics: first crawl {first.requests} requests {first.bytes} bytes; "
        f"unchanged {second.requests} requests {second.bytes} bytes"
    )


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:City Co",
            "failed",
            "ends before END:VCALENDAR",
        ),
        ("<html><body>Calendar moved</body></html>", "failed", "not an iCalendar file"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "suspicious", "has no events"),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026XX\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "failed",
            "unreadable iCalendar",
        ),
    ],
    ids=["truncated", "not a calendar", "no events", "unreadable"],
)
def test_a_broken_calendar_is_a_source_problem(
    tmp_path, http_server, cli_run, body, status, detail
):
    http_server.routes["/calendar.ics"] = Reply(body=body, content_type=CALENDAR_TYPE)
    url = http_server.url + "/calendar.ics"
    days = AgendaDays(tmp_path, cli_run, agendas_config(tmp_path, "ics", url))
    days.day("2026-11-25")
    (run,) = days.runs()
    assert run.status == status and detail in run.error, run.error
    assert days.meetings() == {}


def test_floating_times_follow_x_wr_timezone_and_windows_zone_names_resolve():
    calendar, problem = ics.read_calendar(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:America/New_York\r\n"
        b"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Board\r\nDTSTART:20261203T180000\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Board\r\n"
        b"DTSTART;TZID=Central Standard Time:20261203T180000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert problem is None
    found = ics.occurrences(calendar, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    starts = {str(e.get("UID")): ics.event_when(e, CHICAGO)[1] for e in found}
    assert starts["a"] == dt.datetime(2026, 12, 3, 17, 0, tzinfo=CHICAGO)  # 6 pm in New York
    assert starts["b"] == dt.datetime(2026, 12, 3, 18, 0, tzinfo=CHICAGO)


# --- the shared corpus ------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_chicago_low_income_housing_trust_fund(tmp_path, corpus, http_server, cli_run):
    body = (corpus / "agendas" / "ics" / "chicago-low-income-housing-trust-fund.ics").read_bytes()
    http_server.routes["/events/ical/"] = Reply(body=body, content_type=CALENDAR_TYPE)
    config = agendas_config(
        tmp_path, "ics", http_server.url + "/events/ical/", days_back=30, days_ahead=365
    )
    days = AgendaDays(tmp_path, cli_run, config)
    days.day("2024-05-07")
    (run,) = days.runs()
    assert run.status == "ok", run.error  # its malformed VTIMEZONE (two TZIDs) is set aside
    meetings = days.meetings()
    assert len(meetings) == 30
    finance = next(
        m
        for m in meetings.values()
        if m.meeting_date == dt.date(2024, 5, 9) and m.title == "Finance Meeting"
    )
    assert finance.start == dt.datetime(2024, 5, 9, 15, 30, tzinfo=CHICAGO)
    assert finance.url == "https://clihtf.org/event/finance-meeting-4/"
    assert sum(m.start is None for m in meetings.values()) == sum(
        m.title == "Administrative Day" for m in meetings.values()
    )  # the all-day office days
