"""The iQM2 agendas spider: the calendar's list view and meeting detail pages, as files
written for the project (made-up Maplewood) and as captured in the shared corpus."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from civicradar.crawlers import iqm2
from tests.conftest import Reply, Request
from tests.crawlers.agenda_pdfs import text_pdf
from tests.crawlers.agenda_sites import AgendaDays, agendas_config, kinds

FIXTURES = Path(__file__).parents[1] / "fixtures" / "iqm2"
CHICAGO = ZoneInfo("America/Chicago")
CALENDAR = "/Citizens/calendar.aspx"


class Iqm2Site:
    """The portal: calendar list, detail pages and FileOpen.aspx files (with ETags)."""

    def __init__(self, server) -> None:
        self.server = server
        self.calendar = (FIXTURES / "calendar-list.html").read_text(encoding="utf-8")
        self.details = {
            "2201": (
                "Parks and Recreation Commission",
                "11/16/2026 5:30 PM",
                "1801",
                "Trail grant",
            ),
            "2210": ("City Council", "12/7/2026 7:00 PM", "1810", "Pre-K Lease at Gladstone"),
            "2214": (
                "Planning Commission",
                "12/10/2026 6:00 PM",
                "1814",
                "Rezoning at 1902 Larpenteur",
            ),
        }
        self.status: dict[str, str] = {}
        self.files: dict[tuple[str, str], bytes] = {}
        self.calendar_fault: Reply | None = None
        for board, _, agenda, item in self.details.values():
            self.put_agenda(agenda, [board.upper(), "1. Call to order", f"2. {item}"])
        self.files[("12", "1902")] = text_pdf([["Minutes", "The commission met."]])
        server.routes[CALENDAR] = self.calendar_page
        server.routes["/Citizens/Detail_Meeting.aspx"] = self.detail_page
        server.routes["/Citizens/FileOpen.aspx"] = self.file

    @property
    def url(self) -> str:
        return self.server.url + CALENDAR

    def put_agenda(self, agenda_id: str, lines: list[str]) -> None:
        self.files[("14", agenda_id)] = text_pdf([lines])

    def calendar_page(self, request: Request) -> Reply:
        assert request.query["View"] == ["List"] and request.query["From"] and request.query["To"]
        return self.calendar_fault or Reply(body=self.calendar)

    def detail_page(self, request: Request) -> Reply:
        meeting_id = request.query["ID"][0]
        if meeting_id not in self.details:
            return Reply(status=404, body="Not found")
        board, when, agenda, item = self.details[meeting_id]
        page = (FIXTURES / "Detail_Meeting.html").read_text(encoding="utf-8")
        for key, value in {
            "{id}": meeting_id,
            "{board}": board,
            "{when}": when,
            "{agenda}": agenda,
            "{item}": item,
            "{title}": f"{when} {board} Regular Meeting",
            "{status}": self.status.get(meeting_id, ""),
        }.items():
            page = page.replace(key, value)
        return Reply(body=page)

    def file(self, request: Request) -> Reply:
        key = (request.query["Type"][0], request.query["ID"][0])
        if key not in self.files:
            return Reply(status=404, body="File not found")
        body = self.files[key]
        tag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
        if request.headers.get("if-none-match") == tag:
            return Reply(status=304, headers={"ETag": tag}, content_type="application/pdf")
        return Reply(body=body, headers={"ETag": tag}, content_type="application/pdf")

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.server.requests if r.path == path]


def site_days(tmp_path, server, cli_run, **source) -> tuple[Iqm2Site, AgendaDays]:
    site = Iqm2Site(server)
    config = agendas_config(tmp_path, "iqm2", site.url, **source)
    return site, AgendaDays(tmp_path, cli_run, config)


def test_tooltips_pack_board_type_status_and_location():
    tooltip = (
        "WEDNESDAY, JANUARY 4, 2023  8:00 AM\r\rBoard:\tUptown Corridor Improvement Authority"
        "\rType:\tRegular Meeting\rStatus:\tCancelled\r\r\tLouise Earl Butcher"
        "\r\t1106 Wealthy Street SE, Grand Rapids, MI  49503"
    )
    facts, location = iqm2.tooltip_facts(tooltip)
    assert facts == {
        "board": "Uptown Corridor Improvement Authority",
        "type": "Regular Meeting",
        "status": "Cancelled",
    }
    assert location == "Louise Earl Butcher, 1106 Wealthy Street SE, Grand Rapids, MI 49503"


def test_the_calendar_is_asked_for_the_window_in_its_list_view():
    url = iqm2.calendar_url(
        "https://maplewoodmn.iqm2.com/Citizens/Calendar.aspx?View=Calendar",
        dt.date(2026, 10, 26),
        dt.date(2027, 3, 25),
    )
    assert url == (
        "https://maplewoodmn.iqm2.com/Citizens/Calendar.aspx?View=List&From=10/26/2026&To=3/25/2027"
    )


def test_calendar_rows_and_detail_pages_give_zoned_meetings_items_and_documents(
    tmp_path, http_server, cli_run
):
    site, days = site_days(tmp_path, http_server, cli_run, fetch_documents=True)
    found = days.day("2026-11-25")
    assert days.runs()[-1].status == "ok", days.runs()[-1].error
    (calendar,) = site.asked(CALENDAR)
    assert (calendar.query["From"], calendar.query["To"]) == (["10/26/2026"], ["3/25/2027"])

    meetings = days.meetings()
    assert sorted(meetings) == ["2201", "2210", "2214"]
    council = meetings["2210"]
    assert (council.body_name, council.title) == ("City Council", "City Council - Regular Meeting")
    assert council.start == dt.datetime(2026, 12, 7, 19, 0, tzinfo=CHICAGO)
    assert council.location == "Council Chambers, 1830 County Road B East Maplewood, MN 55109"
    assert council.url == http_server.url + "/Citizens/Detail_Meeting.aspx?ID=2210"
    assert (
        council.agenda_url
        == http_server.url + "/Citizens/FileOpen.aspx?Type=14&ID=1810&Inline=True"
    )
    items = sorted(council.items, key=lambda i: i.sequence)
    assert [(i.external_id, i.number, i.title) for i in items] == [
        ("M9001", "1", "CALL TO ORDER"),
        ("row:2", "2", "NEW BUSINESS"),
        ("L4101", "2.1", "Pre-K Lease at Gladstone"),
        ("L4102", "2.2", "Street Maintenance Assessment Hearing"),
        ("M9002", "3", "ADJOURNMENT"),
    ]
    assert items[2].text == "Staff Report"  # its attachment's name
    assert {d.kind for d in council.documents} == {"agenda", "packet"}
    parks = meetings["2201"]
    assert parks.minutes_url.endswith("FileOpen.aspx?Type=12&ID=1902&Inline=True")
    assert parks.location == "Council Chambers, 1830 County Road B East Maplewood, MN 55109"

    (match,) = found
    assert kinds(found) == [("agenda_match", "Pre-K Lease at Gladstone")]
    assert match["data"]["document_url"] == council.agenda_url  # seen in the PDF too
    assert match["data"]["page"] == 1


def test_an_unchanged_calendar_asks_no_detail_page_again(tmp_path, http_server, cli_run):
    site, days = site_days(tmp_path, http_server, cli_run, fetch_documents=True)
    days.day("2026-11-25")
    details = len(site.asked("/Citizens/Detail_Meeting.aspx"))
    assert details == 3
    assert days.day("2026-11-26") == []
    assert len(site.asked("/Citizens/Detail_Meeting.aspx")) == details
    files = site.asked("/Citizens/FileOpen.aspx")
    assert all(r.headers.get("if-none-match") for r in files[-4:])  # files asked conditionally
    first, second = days.runs()
    print(
        f"\niqm2: first crawl {first.requests} requests {first.bytes} bytes; "
        f"unchanged {second.requests} requests {second.bytes} bytes"
    )
    assert second.requests == 1 + 4 and second.not_modified == 4  # the calendar, four 304s


def test_a_page_that_is_not_the_calendar_fails_and_an_empty_one_is_suspicious(
    tmp_path, http_server, cli_run
):
    site, days = site_days(tmp_path, http_server, cli_run)
    site.calendar_fault = Reply(body="<html><body><h1>Scheduled maintenance</h1></body></html>")
    days.day("2026-11-25")
    site.calendar_fault = Reply(
        body=re.sub(
            r'<div class="Row MeetingRow.*?RowDetails">[^<]*</div></div>\s*</div>',
            "",
            site.calendar,
            flags=re.S,
        )
    )
    days.day("2026-11-26")
    site.calendar_fault = Reply(body=site.calendar[: len(site.calendar) // 2])
    days.day("2026-11-27")
    runs = days.runs()
    assert [r.status for r in runs] == ["failed", "suspicious", "failed"]
    assert runs[0].error.startswith("not an iQM2 calendar (no div.MeetingRow)")
    assert "lists no meetings" in runs[1].error
    assert runs[2].error.startswith("the page ends before </html> (truncated?)")
    assert days.meetings() == {}


def test_a_detail_page_that_fails_keeps_the_calendars_facts_and_is_asked_again(
    tmp_path, http_server, cli_run
):
    site, days = site_days(tmp_path, http_server, cli_run)
    saved = site.details.pop("2214")
    days.day("2026-11-25")
    run = days.runs()[-1]
    assert run.status == "suspicious" and "HTTP 404" in run.error
    planning = days.meetings()["2214"]
    assert planning.start == dt.datetime(2026, 12, 10, 18, 0, tzinfo=CHICAGO)
    assert planning.items == []
    site.details["2214"] = saved
    days.day("2026-11-26")  # a run after a problem reads every page again
    assert days.runs()[-1].status == "ok"
    assert len(days.meetings()["2214"].items) == 5
    days.day("2026-11-27")
    asked = [r.query["ID"][0] for r in site.asked("/Citizens/Detail_Meeting.aspx")]
    assert sorted(asked) == ["2201", "2201", "2210", "2210", "2214", "2214"]


# --- the shared corpus ------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_grand_rapids_calendar_list(tmp_path, corpus, http_server, cli_run):
    page = (corpus / "agendas" / "iqm2" / "grandrapidscitymi-calendar-list.html").read_bytes()
    http_server.routes[CALENDAR] = Reply(body=page)
    config = agendas_config(
        tmp_path,
        "iqm2",
        http_server.url + CALENDAR,
        timezone="America/Detroit",
        days_back=365,
        days_ahead=365,
        fetch_documents=False,
    )
    days = AgendaDays(tmp_path, cli_run, config)
    days.day("2023-06-30")
    (run,) = days.runs()
    assert run.records == 329
    assert (
        run.status == "suspicious" and "meeting page not read: HTTP 404" in run.error
    )  # no details
    meetings = days.meetings()
    assert sum(m.status == "cancelled" for m in meetings.values()) == 35
    assert sum(m.body_name == "City Commission" for m in meetings.values()) == 28
    first = meetings["7156"]
    assert first.body_name == "Uptown Corridor Improvement Authority"
    assert first.start == dt.datetime(2023, 1, 4, 8, 0, tzinfo=ZoneInfo("America/Detroit"))
    assert first.location == "Louise Earl Butcher, 1106 Wealthy Street SE, Grand Rapids, MI 49503"
    assert first.agenda_url.endswith("/Citizens/FileOpen.aspx?Type=14&ID=5141&Inline=True")
    historic = meetings["7294"]  # "Oct 4, 2023" (the tooltip's "12:00 AM": no time given)
    assert (historic.meeting_date, historic.start) == (dt.date(2023, 10, 4), None)
    statuses = Selector(text=page.decode()).css("div.RowLink a::attr(title)").re(r"Status:\t(\w+)")
    assert (statuses.count("Scheduled"), statuses.count("Closed")) == (248, 46)


@pytest.mark.corpus
def test_corpus_creve_coeur_detail_page(tmp_path, corpus, http_server, cli_run):
    page = (corpus / "agendas" / "iqm2" / "crevecoeurcitymo-Detail_Meeting-5059.html").read_bytes()
    assert (
        len(
            set(
                Selector(text=page.decode())
                .css("a::attr(href)")
                .re(r"FileOpen\.aspx\?Type=\d+&ID=\d+")
            )
        )
        == 10
    )
    calendar = (FIXTURES / "calendar-list.html").read_text(encoding="utf-8")
    calendar = calendar.replace("ID=2201", "ID=5059").replace(
        "NOVEMBER 16, 2026", "JANUARY 7, 2019"
    )
    calendar = calendar.replace("Nov 16, 2026", "Jan 7, 2019")
    http_server.routes[CALENDAR] = Reply(body=calendar)
    http_server.routes["/Citizens/Detail_Meeting.aspx"] = Reply(body=page)
    config = agendas_config(
        tmp_path,
        "iqm2",
        http_server.url + CALENDAR,
        days_back=30,
        days_ahead=30,
        fetch_documents=False,
    )
    days = AgendaDays(tmp_path, cli_run, config)
    days.day("2019-01-10")
    meeting = days.meetings()["5059"]
    assert meeting.start == dt.datetime(2019, 1, 7, 18, 30, tzinfo=CHICAGO)
    assert meeting.location.startswith("City Council Chamber, 300 North New Ballas Rd")
    assert {d.kind: d.url.rsplit("/", 1)[1] for d in meeting.documents} == {
        "agenda": "FileOpen.aspx?Type=14&ID=1938&Inline=True",
        "packet": "FileOpen.aspx?Type=1&ID=1938&Inline=True",
        "minutes": "FileView.aspx?Type=12&ID=4676",
    }
    titles = {i.title for i in meeting.items}
    assert "Application: #18-048: Boundary Adjustment for 906 Woodshire Lane" in titles
    assert len(meeting.items) == 15
