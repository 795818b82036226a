"""The NovusAGENDA agendas spider: the meetings search in its Telerik grid layout (with a
second page asked by postback and an items list) and its responsive layout (expanded
rows, a paged items list), as files written for the project (made-up Maplewood) and as
captured in the shared corpus (Dinuba)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from civicradar.crawlers import novusagenda
from tests.conftest import Reply, Request
from tests.crawlers.agenda_pdfs import text_pdf
from tests.crawlers.agenda_sites import AgendaDays, agendas_config, kinds

FIXTURES = Path(__file__).parents[1] / "fixtures" / "novusagenda"
GENERAL = "/agendapublic/meetingsgeneral.aspx"
RESPONSIVE = "/agendapublic/meetingsresponsive.aspx"
FILES = "/agendapublic/DisplayAgendaPDF.ashx"
NO_RECORDS = (
    "<html><head><title>NovusAGENDA</title></head><body>"
    "<div id='SearchAgendasMeetings_radGridMeetings'><table class='rgMasterTable'><tbody>"
    "<tr class='rgNoRecordsTemplate'><td colspan='7'>No records to display.</td></tr>"
    "</tbody></table></div></body></html>"
)
NEXT_PAGE = "SearchAgendasMeetings$radGridMeetings$ctl00$ctl03$ctl01$ctl10"


class NovusSite:
    """The search pages (page 2 by postback) and the agenda and minutes PDFs, with ETags."""

    def __init__(self, server) -> None:
        self.server = server
        self.pages = {
            1: (FIXTURES / "meetingsgeneral.html").read_text(encoding="utf-8"),
            2: (FIXTURES / "meetingsgeneral-page2.html").read_text(encoding="utf-8"),
        }
        self.responsive = (FIXTURES / "meetingsresponsive.html").read_text(encoding="utf-8")
        self.fault: Reply | None = None
        self.pdfs: dict[str, bytes] = {}
        for meeting, lines in {
            "512": [
                "CITY COUNCIL",
                "1. Call to order",
                "2. Pre-K Lease at Gladstone Community Center",
            ],
            "510": ["PLANNING COMMISSION", "1. Variance at 1902 Larpenteur Avenue"],
            "505": ["CITY COUNCIL", "1. Street Maintenance Assessment Roll"],
            "501": ["CITY COUNCIL", "1. Approval of Claims"],
            "612": ["CITY COUNCIL", "1. Approve the Pre-K Lease at Gladstone Community Center"],
            "611": ["WORK SESSION", "1. Child Care Center Zoning Discussion"],
            "605": ["CITY COUNCIL", "1. Approve Claims"],
        }.items():
            self.put(f"MeetingID={meeting}", lines)
        for minutes in ("481", "478", "590"):
            self.put(f"MinutesMeetingID={minutes}", ["MINUTES", "The council met."])
        server.routes[GENERAL] = self.search
        server.routes[RESPONSIVE] = self.search
        server.routes[FILES] = self.file

    def put(self, key: str, lines: list[str]) -> None:
        self.pdfs[key] = text_pdf([lines])

    def search(self, request: Request) -> Reply:
        if self.fault is not None:
            return self.fault
        if request.path == RESPONSIVE:
            return Reply(body=self.responsive)
        if request.method == "POST":
            form = parse_qs(request.body.decode())
            assert form["__EVENTTARGET"] == [NEXT_PAGE] and form["__VIEWSTATE"]
            return Reply(body=self.pages[2])
        assert request.query["Date"] == ["cus"] and request.query["From"] and request.query["To"]
        return Reply(body=self.pages[1])

    def file(self, request: Request) -> Reply:
        key = next(f"{k}={v[0]}" for k, v in request.query.items())
        if key not in self.pdfs:
            return Reply(status=404, body="not found")
        tag = '"' + hashlib.sha1(self.pdfs[key]).hexdigest()[:12] + '"'
        if request.headers.get("if-none-match") == tag:
            return Reply(status=304, headers={"ETag": tag}, content_type="application/pdf")
        return Reply(body=self.pdfs[key], headers={"ETag": tag}, content_type="application/pdf")

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.server.requests if r.path == path]


def site_days(tmp_path, server, cli_run, path: str = "/agendapublic/", **source):
    site = NovusSite(server)
    config = agendas_config(tmp_path, "novusagenda", server.url + path, **source)
    return site, AgendaDays(tmp_path, cli_run, config)


def test_the_search_is_asked_for_the_window_keeping_the_meeting_type():
    assert novusagenda.search_url(
        "https://maplewood.novusagenda.com/AgendaPublic/?MeetingType=2",
        dt.date(2026, 10, 26),
        dt.date(2027, 3, 25),
    ) == (
        "https://maplewood.novusagenda.com/AgendaPublic/meetingsgeneral.aspx"
        "?MeetingType=2&Date=cus&From=10/26/2026&To=03/25/2027"
    )
    assert novusagenda.row_day("09/27/22") == dt.date(2022, 9, 27)
    assert novusagenda.row_day("6/17/2025") == dt.date(2025, 6, 17)
    assert novusagenda.row_day("13/40/22") is None


def test_the_grid_layout_gives_meetings_items_documents_and_its_second_page(
    tmp_path, http_server, cli_run
):
    site, days = site_days(tmp_path, http_server, cli_run, fetch_documents=True)
    found = days.day("2026-11-25")
    assert days.runs()[-1].status == "ok", days.runs()[-1].error
    first, second = site.asked(GENERAL)
    assert (first.method, first.query["From"], first.query["To"]) == (
        "GET",
        ["10/26/2026"],
        ["03/25/2027"],
    )
    assert second.method == "POST"

    meetings = days.meetings()
    assert sorted(meetings) == ["501", "505", "510", "512"]  # June's meeting is out of the window
    council = meetings["512"]
    assert (council.body_name, council.meeting_date, council.start) == (
        "City Council",
        dt.date(2026, 12, 14),
        None,  # the grid gives no time
    )
    assert council.location == "City Hall Council Chambers, 1830 County Road B East"
    assert council.agenda_url == http_server.url + FILES + "?MeetingID=512"
    assert council.url == (
        http_server.url
        + "/agendapublic/MeetingView.aspx?MeetingID=512&MinutesMeetingID=-1&doctype=Agenda"
    )
    assert sorted((i.external_id, i.title) for i in council.items) == [
        ("3101", "Pre-K Lease at Gladstone Community Center"),
        ("3102", "Approval of Claims"),
    ]
    assert meetings["505"].minutes_url == http_server.url + FILES + "?MinutesMeetingID=481"
    assert meetings["501"].items == []  # the item list is whole: 501 has none listed
    (match,) = found
    assert kinds(found) == [("agenda_match", "Pre-K Lease at Gladstone Community Center")]
    assert match["data"]["document_url"] == council.agenda_url


def test_the_responsive_layout_skips_expanded_rows_and_incomplete_item_lists(
    tmp_path, http_server, cli_run
):
    site, days = site_days(tmp_path, http_server, cli_run, path=RESPONSIVE, fetch_documents=True)
    found = days.day("2026-11-25")
    (search,) = site.asked(RESPONSIVE)
    assert search.query["Date"] == ["cus"]
    meetings = days.meetings()
    assert sorted(meetings) == ["605", "611", "612"]
    assert meetings["611"].body_name == "Council Work Session"
    assert meetings["611"].location == "Maplewood Room, City Hall"
    # 612's items are all on the list's first page; 611 may go on to page 2: not taken.
    assert [i.title for i in meetings["612"].items] == [
        "Approve the Pre-K Lease at Gladstone Community Center",
        "Approve Claims",
    ]
    assert meetings["611"].items == []
    assert sorted(kinds(found)) == [
        ("agenda_match", "Approve the Pre-K Lease at Gladstone Community Center"),
        ("agenda_match", "Child Care Center Zoning Discussion"),  # from 611's agenda PDF
    ]


@pytest.mark.parametrize(
    ("reply", "status", "detail"),
    [
        (
            Reply(body="<html><body><h1>Site maintenance</h1></body></html>"),
            "failed",
            "not a NovusAGENDA",
        ),
        (Reply(body=NO_RECORDS), "suspicious", "lists no meetings"),
        (None, "failed", "ends before </html>"),
        (Reply(status=503, body="Service Unavailable"), "failed", "HTTP 503"),
    ],
    ids=["not novusagenda", "no meetings", "cut short", "server error"],
)
def test_a_broken_search_page_is_a_source_problem(
    tmp_path, http_server, cli_run, reply, status, detail
):
    site, days = site_days(tmp_path, http_server, cli_run)
    site.fault = reply or Reply(body=site.pages[1][: len(site.pages[1]) // 2])
    days.day("2026-11-25")
    (run,) = days.runs()
    assert run.status == status and detail in run.error
    assert days.meetings() == {}


def test_an_unchanged_day_asks_the_search_and_only_conditional_files(
    tmp_path, http_server, cli_run
):
    _site, days = site_days(tmp_path, http_server, cli_run, fetch_documents=True)
    days.day("2026-11-25")
    assert days.day("2026-11-26") == []
    first, second = days.runs()
    assert second.not_modified == second.requests - 2  # two search pages, every file a 304
    print(
        f"\nnovusagenda: first crawl {first.requests} requests {first.bytes} bytes; "
        f"unchanged {second.requests} requests {second.bytes} bytes"
    )


# --- the shared corpus ------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_dinuba_meetings_with_items(tmp_path, corpus, http_server, cli_run):
    page = (corpus / "agendas" / "novusagenda" / "dinuba-meetingsgeneral.html").read_bytes()
    http_server.routes[GENERAL] = Reply(body=page)
    config = agendas_config(
        tmp_path,
        "novusagenda",
        http_server.url + GENERAL + "?MeetingType=1",
        timezone="America/Los_Angeles",
        days_back=180,
        days_ahead=30,
        fetch_documents=False,
    )
    days = AgendaDays(tmp_path, cli_run, config)
    days.day("2022-10-01")
    (run,) = days.runs()
    assert run.status == "ok", run.error
    (search,) = [r for r in http_server.requests if r.path == GENERAL]
    assert search.query["MeetingType"] == ["1"] and search.query["Date"] == ["cus"]
    meetings = days.meetings()
    assert sorted(meetings) == ["352", "353", "354", "365"]
    assert sorted(m.meeting_date.isoformat() for m in meetings.values()) == [
        "2022-07-12",
        "2022-08-09",
        "2022-09-13",
        "2022-09-27",
    ]
    assert {m.body_name for m in meetings.values()} == {"Council Meeting"}
    assert {m.location for m in meetings.values()} == {"405 E El Monte Way, Dinuba CA 93618"}
    assert meetings["365"].agenda_url.endswith("/agendapublic/DisplayAgendaPDF.ashx?MeetingID=365")
    assert meetings["353"].minutes_url.endswith("DisplayAgendaPDF.ashx?MinutesMeetingID=298")
    titles = {i.title for i in meetings["365"].items}
    assert "Ordinance No. 2022-10 Amendments to Floodplain Management Ordinance (DY)" in titles
    assert all(m.items == [] for k, m in meetings.items() if k != "365")  # may be on page 2
