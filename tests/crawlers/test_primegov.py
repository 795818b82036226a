"""The PrimeGov spider against a portal API written for the project (made-up Maplewood) and the
captured Los Angeles replies: committees, upcoming and archived meetings, compiled documents."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Reply
from tests.conftest import logged_changes as changes
from tests.crawlers.meeting_platforms import (
    HostedFile,
    crawl_runs,
    fixture_text,
    platform_config,
    run,
    stored_meetings,
)

CHICAGO = ZoneInfo("America/Chicago")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
COMMITTEES = "/api/committee/GetCommitteeesListByShowInPublicPortal"
UPCOMING = "/api/v2/PublicPortal/ListUpcomingMeetings"
ARCHIVED = "/api/v2/PublicPortal/ListArchivedMeetings"
JSON = "application/json; charset=utf-8"


class Portal:
    """The portal's API on the local server: its lists by path (archived ones by year)."""

    def __init__(self, http_server, *, upcoming: str, archived: dict[int, str], committees=None):
        self.server = http_server
        self.upcoming = HostedFile(upcoming, http_server.url, content_type=JSON)
        self.archived = archived
        http_server.routes[UPCOMING] = self.upcoming
        http_server.routes[ARCHIVED] = self.archived_year
        if committees is not None:
            http_server.routes[COMMITTEES] = HostedFile(committees, "", content_type=JSON)

    def archived_year(self, request) -> Reply:
        (year,) = request.query["year"]
        return Reply(body=self.archived.get(int(year), "[]"), content_type=JSON)

    def asked(self) -> list[str]:
        return [
            r.path + ("?year=" + r.query["year"][0] if "year" in r.query else "")
            for r in self.server.requests
            if r.path.startswith("/api/")
        ]


def maplewood(http_server, *, committees: bool = True) -> Portal:
    return Portal(
        http_server,
        upcoming=fixture_text("primegov", "upcoming.json"),
        archived={2026: fixture_text("primegov", "archived-2026.json")},
        committees=fixture_text("primegov", "committees.json") if committees else None,
    )


def test_upcoming_and_archived_meetings_with_committees_documents_and_cancellations(
    tmp_path, http_server, cli_run
):
    portal = maplewood(http_server)
    config = platform_config(tmp_path, "primegov", http_server.url + "/public/portal")
    result = run(cli_run, config)
    assert "maplewood/meetings: ok, 5 records" in result.output, result.output
    assert portal.asked() == [COMMITTEES, UPCOMING, ARCHIVED + "?year=2026"]

    meetings = stored_meetings(tmp_path)
    assert sorted(meetings) == ["2085", "2090", "2101", "2102", "2103"]
    base = http_server.url
    council = meetings["2090"]
    assert (council.body_name, council.start) == (
        "City Council",
        dt.datetime(2026, 11, 17, 18, 0, tzinfo=CHICAGO),
    )
    assert (
        council.agenda_url
        == f"{base}/Public/CompiledDocument?meetingTemplateId=9090&compileOutputType=1"
    )
    assert (
        council.minutes_url
        == f"{base}/Public/CompiledDocument?meetingTemplateId=9095&compileOutputType=1"
    )
    assert council.url == f"{base}/Portal/Meeting?meetingTemplateId=9090"
    assert meetings["2085"].agenda_url == f"{base}/Portal/Meeting?meetingTemplateId=9085"
    upcoming = meetings["2101"]
    assert sorted((d.kind, d.url.rsplit("=", 2)[-2][:4]) for d in upcoming.documents) == [
        ("agenda", "9101"),
        ("packet", "9102"),
    ]  # the HTML agenda is the same template as the PDF: not fetched twice
    board = meetings["2102"]
    assert (board.body_name, board.status, board.status_evidence) == (
        "Child Care Advisory Board",
        "cancelled",
        "document: Notice of Cancellation",
    )
    assert meetings["2103"].start == dt.datetime(2027, 1, 14, 19, 0, tzinfo=CHICAGO)
    assert [c["data"]["body"] for c in changes(cli_run, config, "agenda_match")] == [
        "Child Care Advisory Board"
    ]


def test_without_the_committee_list_bodies_come_from_meeting_titles(tmp_path, http_server, cli_run):
    maplewood(http_server, committees=False)
    config = platform_config(tmp_path, "primegov", http_server.url)
    run(cli_run, config)
    assert crawl_runs(tmp_path)[-1].status == "ok"
    bodies = {m.body_name for m in stored_meetings(tmp_path).values()}
    assert bodies == {"City Council", "Planning Commission", "Child Care Advisory Board"}


def test_a_window_reaching_into_last_year_reads_both_archives(tmp_path, http_server, cli_run):
    portal = maplewood(http_server)
    config = platform_config(tmp_path, "primegov", http_server.url, days_back=40)
    run(cli_run, config, "2027-01-10")
    assert portal.asked()[1:] == [UPCOMING, ARCHIVED + "?year=2026", ARCHIVED + "?year=2027"]
    assert "2090" not in stored_meetings(tmp_path)  # Nov 17 is before the window
    assert {"2101", "2103"} <= set(stored_meetings(tmp_path))


SHELL = (
    "<html><head><title>Search - PrimeGov Portal</title></head><body><table></table></body></html>"
)


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply(status=500, body="error"), "HTTP 500"),
        (Reply(body=SHELL), "no JSON list of meetings"),
        (Reply(body='{"message": "moved"}', content_type=JSON), "no JSON list of meetings"),
        (Reply(body='[{"meetingId": 1}]', content_type=JSON), "(id, dateTime)"),
    ],
)
def test_an_error_or_another_shape_fails_the_run(tmp_path, http_server, cli_run, reply, problem):
    portal = maplewood(http_server)
    config = platform_config(tmp_path, "primegov", http_server.url)
    run(cli_run, config)
    portal.upcoming.fault = reply
    run(cli_run, config, "2026-11-26")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and problem in latest.error, latest.error
    assert [c["kind"] for c in changes(cli_run, config)] == ["agenda_match", "source_problem"]


def test_an_empty_upcoming_list_is_a_healthy_answer(tmp_path, http_server, cli_run):
    portal = maplewood(http_server)
    portal.upcoming.body = "[]"
    config = platform_config(tmp_path, "primegov", http_server.url)
    run(cli_run, config)
    assert crawl_runs(tmp_path)[-1].status == "ok"
    assert sorted(stored_meetings(tmp_path)) == ["2085", "2090"]


# --- the captured replies of the shared corpus --------------------------------------------


def test_corpus_los_angeles_upcoming_meetings(tmp_path, http_server, corpus, cli_run):
    folder = corpus / "agendas" / "primegov"
    Portal(
        http_server, upcoming=(folder / "lacity-ListUpcomingMeetings.json").read_text(), archived={}
    )
    config = platform_config(tmp_path, "primegov", http_server.url, timezone="America/Los_Angeles")
    run(cli_run, config, "2024-09-13")
    meetings = stored_meetings(tmp_path)
    assert len(meetings) == 13
    assert sum(m.title == "City Council Meeting" for m in meetings.values()) == 3
    dates = sorted(m.start for m in meetings.values())
    assert (dates[0], dates[-1]) == (
        dt.datetime(2024, 10, 1, 8, 30, tzinfo=LOS_ANGELES),
        dt.datetime(2024, 10, 4, 13, 0, tzinfo=LOS_ANGELES),
    )
    personnel = meetings["15993"]
    assert personnel.body_name == "Personnel, Audits, and Hiring Committee"
    base = http_server.url
    assert personnel.agenda_url == (
        f"{base}/Public/CompiledDocument?meetingTemplateId=133784&compileOutputType=1"
    )
    assert personnel.url == f"{base}/Portal/Meeting?meetingTemplateId=133784"
    cancelled = sorted(k for k, m in meetings.items() if m.status == "cancelled")
    assert cancelled == ["15990", "15995", "16009", "16011"]
    assert meetings["16008"].agenda_status == "Revised Agenda"


def test_corpus_portal_page_is_a_script_shell_not_a_list(tmp_path, http_server, corpus, cli_run):
    shell = (corpus / "agendas" / "primegov" / "lacity-public-portal.html").read_text()
    Portal(http_server, upcoming=shell, archived={})
    config = platform_config(tmp_path, "primegov", http_server.url)
    run(cli_run, config, "2024-09-13")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and "no JSON list of meetings" in latest.error
