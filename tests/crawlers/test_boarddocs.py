"""The BoardDocs agendas spider: its XML export and, where the export is not served, the
public page's meetings list — files written for the project (made-up Maplewood Area
Schools) and the real captures of the shared corpus, served at their real paths."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest

from civicradar.crawlers import boarddocs_pages
from civicradar.crawlers.boarddocs import board_base
from tests.conftest import Reply, Request
from tests.crawlers.agenda_sites import AgendaDays, agendas_config, kinds

FIXTURES = Path(__file__).parents[1] / "fixtures" / "boarddocs"
BOARD = "/mn/isd622/Board.nsf"
CHICAGO = ZoneInfo("America/Chicago")
XML_TYPE = "text/xml; charset=UTF-8"


def export() -> str:
    return (FIXTURES / "XML-ActiveMeetings.xml").read_text(encoding="utf-8")


def serve_export(server, body: str | bytes, *, board: str = BOARD) -> str:
    server.routes[f"{board}/XML-ActiveMeetings"] = Reply(
        body=body, content_type=XML_TYPE, etag=True
    )
    return server.url + board


class ListSite:
    """A BoardDocs site whose export is not served: the public page and its POST agents."""

    def __init__(self, server) -> None:
        self.server = server
        self.meetings = json.loads((FIXTURES / "meetings-list.json").read_text())
        self.items = {"D2MPLW5E0A11": "Pre-K Expansion at Gladstone Elementary"}
        self.times = {"D2MPLW5E0A11": "6:30PM", "D2MPLW5E0B21": "4:00 PM"}
        server.routes[f"{BOARD}/XML-ActiveMeetings"] = Reply(status=404, body="Not found")
        server.routes[f"{BOARD}/Public"] = Reply(body=(FIXTURES / "Public.html").read_bytes())
        server.routes[f"{BOARD}/BD-GetMeetingsList"] = self.meetings_list
        server.routes[f"{BOARD}/BD-GetMeeting"] = self.notice
        server.routes[f"{BOARD}/BD-GetAgenda"] = self.agenda

    @staticmethod
    def form(request: Request) -> dict[str, str]:
        assert request.method == "POST"
        return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}

    def meetings_list(self, request: Request) -> Reply:
        rows = self.meetings[self.form(request)["current_committee_id"]]
        return Reply(body=json.dumps(rows), content_type="application/json")

    def notice(self, request: Request) -> Reply:
        meeting = self.form(request)["id"]
        page = (FIXTURES / "BD-GetMeeting.html").read_text()
        for key, value in {"{id}": meeting, "{time}": self.times.get(meeting, "")}.items():
            page = page.replace(key, value)
        return Reply(body=page.replace("{name}", "MEETING").replace("{date}", ""))

    def agenda(self, request: Request) -> Reply:
        meeting = self.form(request)["id"]
        page = (FIXTURES / "BD-GetAgenda.html").read_text().replace("{id}", meeting)
        return Reply(body=page.replace("{item}", self.items.get(meeting, "Reports")))

    def asked(self, agent: str) -> list[Request]:
        return [r for r in self.server.requests if r.path == f"{BOARD}/{agent}"]


def test_the_board_address_is_found_in_any_address_of_the_site():
    base = "https://go.boarddocs.com/mn/isd622/Board.nsf"
    for url in (base, base + "/Public", base + "/XML-ActiveMeetings", base + "/goto?open&id=X"):
        assert board_base(url) == base
    assert board_base("https://go.boarddocs.com/mn/isd622/board.nsf/Public#") is not None
    assert board_base("https://www.isd622.org/board") is None


def test_a_notice_gives_the_time_after_the_meetings_own_date_only():
    day = dt.date(2026, 12, 7)
    notice = "Monday, December 7, 2026, at 6:30 p.m. Next: Monday, December 21, 2026, at 5:00 p.m."
    assert boarddocs_pages.start_in_notice(notice, day, CHICAGO) == dt.datetime(
        2026, 12, 7, 18, 30, tzinfo=CHICAGO
    )
    other = "The next meeting will be held on Monday, December 21, 2026, at 5:00 p.m."
    assert boarddocs_pages.start_in_notice(other, day, CHICAGO) is None
    assert boarddocs_pages.start_in_notice("Room 101\n4:00 PM", day, CHICAGO).hour == 16


def test_the_export_yields_meetings_with_zoned_starts_and_real_items(
    tmp_path, http_server, cli_run
):
    url = serve_export(http_server, export())
    days = AgendaDays(tmp_path, cli_run, agendas_config(tmp_path, "boarddocs", url))
    found = days.day("2026-11-25")
    assert "maplewood/meetings: ok, 2 records, 1 request," in days.output  # archive, June skipped

    meetings = days.meetings()
    board = meetings["D2MPLW5E0A11"]
    assert (board.body_name, board.title, board.meeting_date) == (
        "Board of Education",
        "REGULAR BOARD MEETING",
        dt.date(2026, 12, 7),
    )
    assert board.start == dt.datetime(2026, 12, 7, 18, 30, tzinfo=CHICAGO)  # not the 21st's 5 pm
    assert board.url == "https://go.boarddocs.com/mn/isd622/Board.nsf/goto?open&id=D2MPLW5E0A11"
    items = sorted(board.items, key=lambda i: i.sequence)
    assert [(i.number, i.title) for i in items] == [
        ("1.1", "Call to Order and Roll Call"),
        ("1.2", "Approval of the Agenda"),
        ("2.1", "Pre-K Expansion at Gladstone Elementary"),
        ("2.2", "Student Transportation Contract 2027-2029"),
    ]
    assert items[2].external_id == "D2MPLW5E0A16" and items[2].matter_type == "Action, Discussion"
    assert items[2].text.startswith("Approve the lease of two classrooms")
    finance = meetings["D2MPLW5E0B21"]
    assert finance.body_name == "Finance Committee" and finance.start.hour == 16
    assert kinds(found) == [("agenda_match", "Pre-K Expansion at Gladstone Elementary")]
    assert found[0]["data"]["item_number"] == "2.1"


def test_an_export_with_a_stray_end_tag_is_read_whole(tmp_path, http_server, cli_run):
    broken = export().replace(
        "</agendaitems>\n</category>\n</meeting>",
        "</agendaitems>\n</category>\n</category>\n</meeting>",
        1,
    )
    assert broken != export()
    url = serve_export(http_server, broken)
    days = AgendaDays(tmp_path, cli_run, agendas_config(tmp_path, "boarddocs", url))
    days.day("2026-11-25")
    assert days.runs()[-1].status == "ok"
    assert sorted(days.meetings()) == ["D2MPLW5E0A11", "D2MPLW5E0B21"]
    assert len(days.meetings()["D2MPLW5E0A11"].items) == 4


@pytest.mark.parametrize(
    ("reply", "status", "detail"),
    [
        (Reply(body=export()[:2500], content_type=XML_TYPE), "failed", "ends before </meetings>"),
        (
            Reply(body="<?xml version='1.0'?><rss><channel/></rss>", content_type=XML_TYPE),
            "failed",
            "not a BoardDocs meetings export",
        ),
        (
            Reply(body="<meetings>\n</meetings>", content_type=XML_TYPE),
            "suspicious",
            "lists no meetings",
        ),
        (Reply(status=500, body="Server Error"), "failed", "HTTP 500"),
        (
            Reply(body="<!doctype html><html><body>Welcome</body></html>"),
            "failed",
            "not a BoardDocs site",
        ),
    ],
    ids=["truncated", "another format", "empty export", "server error", "not boarddocs at all"],
)
def test_a_bad_export_is_a_clear_failed_run_never_an_empty_healthy_one(
    tmp_path, http_server, cli_run, reply, status, detail
):
    http_server.routes[f"{BOARD}/XML-ActiveMeetings"] = reply
    http_server.routes[f"{BOARD}/Public"] = Reply(
        body="<!doctype html><html><body>Hi</body></html>"
    )
    config = agendas_config(tmp_path, "boarddocs", http_server.url + BOARD)
    days = AgendaDays(tmp_path, cli_run, config)
    days.day("2026-11-25")
    (run,) = days.runs()
    assert run.status == status and detail in run.error
    assert days.meetings() == {}


def test_an_unchanged_export_costs_one_304(tmp_path, http_server, cli_run):
    url = serve_export(http_server, export())
    days = AgendaDays(tmp_path, cli_run, agendas_config(tmp_path, "boarddocs", url))
    days.day("2026-11-25")
    assert days.day("2026-11-26") == []
    first, second = days.runs()
    assert (second.status, second.unchanged, second.requests, second.not_modified) == (
        "ok",
        True,
        1,
        1,
    )
    assert first.bytes > 10 * second.bytes
    print(
        f"\nboarddocs export: first crawl {first.requests} requests {first.bytes} bytes; "
        f"unchanged {second.requests} requests {second.bytes} bytes"
    )


def test_without_an_export_the_meetings_list_of_each_committee_is_read(
    tmp_path, http_server, cli_run
):
    site = ListSite(http_server)
    days = AgendaDays(
        tmp_path, cli_run, agendas_config(tmp_path, "boarddocs", http_server.url + BOARD)
    )
    found = days.day("2026-11-25")
    run = days.runs()[-1]
    assert run.status == "ok", run.error
    meetings = days.meetings()
    assert sorted(meetings) == ["D2MPLW5E0A11", "D2MPLW5E0A51", "D2MPLW5E0A61", "D2MPLW5E0B21"]
    board = meetings["D2MPLW5E0A11"]
    assert (board.body_name, board.start) == (
        "Board of Education",
        dt.datetime(2026, 12, 7, 18, 30, tzinfo=CHICAGO),
    )
    assert [i.title for i in sorted(board.items, key=lambda i: i.sequence)] == [
        "Call to Order",
        "Pre-K Expansion at Gladstone Elementary",
    ]
    assert meetings["D2MPLW5E0A51"].status == "postponed"
    assert meetings["D2MPLW5E0B21"].body_name == "Finance Committee"
    assert kinds(found) == [("agenda_match", "Pre-K Expansion at Gladstone Elementary")]
    lists = site.asked("BD-GetMeetingsList")
    assert sorted(ListSite.form(r)["current_committee_id"] for r in lists) == [
        "C8MPLW41A2B0",
        "C8MPLW41A2B1",
    ]
    assert len(site.asked("BD-GetAgenda")) == 4

    # Next day: only meetings not yet held are asked again; the November 16 one is kept.
    days.day("2026-11-26")
    asked = [ListSite.form(r)["id"] for r in site.asked("BD-GetAgenda")[4:]]
    assert sorted(asked) == ["D2MPLW5E0A11", "D2MPLW5E0A51", "D2MPLW5E0B21"]
    assert len(days.meetings()["D2MPLW5E0A61"].items) == 2  # kept from the first day


def test_a_meetings_list_that_answers_nothing_fails_the_run(tmp_path, http_server, cli_run):
    site = ListSite(http_server)
    http_server.routes[f"{BOARD}/BD-GetMeetingsList"] = Reply(body="", content_type="text/html")
    days = AgendaDays(
        tmp_path, cli_run, agendas_config(tmp_path, "boarddocs", http_server.url + BOARD)
    )
    days.day("2026-11-25")
    (run,) = days.runs()
    assert run.status == "failed" and "BD-GetMeetingsList" in run.error
    assert site.asked("BD-GetAgenda") == []


# --- the shared corpus ------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_akron_export_not_well_formed_is_read_whole(tmp_path, corpus, http_server, cli_run):
    body = (corpus / "agendas" / "boarddocs" / "akron-XML-ActiveMeetings.xml").read_bytes()
    meetings, problem = boarddocs_pages.read_export(body)
    assert problem is None and len(meetings) == 21
    assert sum(len(list(m.iter("item"))) for m in meetings) == 702
    assert {m.get("bodyname") for m in meetings} == {"Board of Education"}

    url = serve_export(http_server, body, board="/oh/akron/Board.nsf")
    config = agendas_config(
        tmp_path, "boarddocs", url, timezone="America/New_York", days_back=3650, days_ahead=365
    )
    days = AgendaDays(tmp_path, cli_run, config)
    days.day("2019-09-27")
    assert days.runs()[-1].status == "ok"
    stored = days.meetings()
    assert len(stored) == 6  # 21 minus the 15 yearly "Board Meetings - YYYY Archive" folders
    first = stored["BEDLSF53B224"]
    assert (first.title, first.meeting_date, first.body_name) == (
        "REGULAR BOARD MEETING",
        dt.date(2019, 8, 12),
        "Board of Education",
    )
    assert first.start == dt.datetime(2019, 8, 12, 17, 30, tzinfo=ZoneInfo("America/New_York"))
    assert len(first.items) == 95
    assert stored["BEJFZW419C06"].start.hour == 16  # "July 29th, 2019, at 4:30 p.m."


@pytest.mark.corpus
def test_corpus_chicago_teachers_pension_export(tmp_path, corpus, http_server, cli_run):
    body = (
        corpus / "agendas" / "boarddocs" / "chicago-teachers-pension-boarddocs.xml"
    ).read_bytes()
    url = serve_export(http_server, body, board="/il/ctpf/Board.nsf")
    config = agendas_config(tmp_path, "boarddocs", url, days_back=3650, days_ahead=365)
    days = AgendaDays(tmp_path, cli_run, config)
    days.day("2019-04-15")
    stored = days.meetings()
    assert len(stored) == 28
    assert min(m.meeting_date for m in stored.values()) == dt.date(2018, 10, 18)
    assert max(m.meeting_date for m in stored.values()) == dt.date(2019, 3, 28)
    assert sum(len(m.items) for m in stored.values()) == 396
    investment = stored["B55S995DF24B"]
    assert (investment.title, investment.meeting_date) == (
        "Investment Committee Meeting",
        dt.date(2018, 10, 25),
    )
    assert len(investment.items) == 8
    assert ("A", "Education Session-Divestment") in {(i.number, i.title) for i in investment.items}


@pytest.mark.corpus
def test_corpus_state_college_public_page_gives_its_committee(
    tmp_path, corpus, http_server, cli_run
):
    page = (corpus / "agendas" / "boarddocs" / "stco-Board.nsf-Public.html").read_bytes()
    assert boarddocs_pages.committees(page.decode("utf-8", "replace")) == {
        "A8EGER437CB9": "Board of School Directors"
    }
    # As captured, BD-GetMeetingsList answered an empty body: a failed run, not a quiet one.
    board = "/pa/stco/Board.nsf"
    http_server.routes[f"{board}/XML-ActiveMeetings"] = Reply(status=404, body="")
    http_server.routes[f"{board}/Public"] = Reply(body=page)
    http_server.routes[f"{board}/BD-GetMeetingsList"] = Reply(body="")
    days = AgendaDays(
        tmp_path, cli_run, agendas_config(tmp_path, "boarddocs", http_server.url + board)
    )
    days.day("2025-03-19")
    (run,) = days.runs()
    assert run.status == "failed" and "BD-GetMeetingsList" in run.error
    (listing,) = [r for r in http_server.requests if r.path.endswith("BD-GetMeetingsList")]
    assert parse_qs(listing.body.decode()) == {"current_committee_id": ["A8EGER437CB9"]}
