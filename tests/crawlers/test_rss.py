"""The rss agendas spider against feeds in the Legistar, CivicPlus, Granicus and Atom styles,
served by a local server that answers conditional requests like a real site (made-up Maplewood)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from civicradar.crawlers import meeting_text
from civicradar.models.store import Store
from civicradar.models.tables import Body, Change, CrawlRun, Meeting, Source
from tests.conftest import Reply, Request, write_config

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rss"
CHICAGO = ZoneInfo("America/Chicago")
TODAY = "2026-11-25"
FEED_TYPE = "application/rss+xml; charset=utf-8"


class FeedRoute:
    """One feed served like a real site: an ETag and Last-Modified with every reply, a 304
    to a request that brings the current ETag back, and a fault when a test sets one."""

    def __init__(self, body: str, modified: str = "Fri, 20 Nov 2026 21:02:11 GMT") -> None:
        self.body = body
        self.modified = modified
        self.fault: Reply | None = None
        self.delay = 0.0
        self.seen: list[Request] = []

    @classmethod
    def of(cls, fixture: str) -> FeedRoute:
        return cls((FIXTURES / fixture).read_text(encoding="utf-8"))

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body.encode()).hexdigest()[:16] + '"'

    def edit(self, old: str, new: str, modified: str) -> None:
        assert old in self.body, old
        self.body = self.body.replace(old, new)
        self.modified = modified

    def __call__(self, request: Request) -> Reply:
        self.seen.append(request)
        if self.delay:
            time.sleep(self.delay)
        if self.fault is not None:
            return self.fault
        headers = {"ETag": self.etag, "Last-Modified": self.modified}
        if request.headers.get("if-none-match") == self.etag:
            return Reply(status=304, headers=headers, content_type=FEED_TYPE)
        return Reply(body=self.body, headers=headers, content_type=FEED_TYPE)


def rss_config(tmp_path: Path, url: str, *, crawling: dict | None = None, **extra) -> Path:
    source = {"id": "meetings", "type": "agendas", "platform": "rss", "url": url}
    source.update({"fetch_documents": False, **extra})
    return write_config(
        tmp_path,
        {
            "crawling": {
                "download_delay": 0,
                "autothrottle": False,
                "retries": 0,
                "timeout_seconds": 10,
                **(crawling or {}),
            },
            "initiative": {
                "name": "Early Learning",
                "terms": ["child care", "pre-k"],
                "exclude": ["child care tax credit"],
            },
            "jurisdictions": [
                {
                    "id": "maplewood",
                    "name": "City of Maplewood",
                    "timezone": "America/Chicago",
                    "sources": [source],
                }
            ],
        },
    )


def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'civicradar.db'}")


def stored_meetings(tmp_path: Path) -> dict[str, Meeting]:
    with store(tmp_path).session() as session:
        rows = session.scalars(select(Meeting)).all()
        for meeting in rows:
            _ = (meeting.items, meeting.documents)
        return {m.external_id: m for m in rows}


def crawl_runs(tmp_path: Path) -> list[CrawlRun]:
    with store(tmp_path).session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def change_kinds(tmp_path: Path) -> list[str]:
    with store(tmp_path).session() as session:
        return [c.kind for c in session.scalars(select(Change).order_by(Change.id))]


def serve(http_server, route: FeedRoute, path: str = "/Feed.ashx") -> str:
    http_server.routes[path] = route
    return http_server.url + path


# --- reading text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "day", "start", "body"),
    [
        ("City Council - 12/3/2026 - 6:00 PM", "2026-12-03", "18:00", "City Council"),
        ("Arts Commission - 12/1/2026 (CANCELED)", "2026-12-01", None, "Arts Commission"),
        (
            "Planning Commission - Regular Meeting - Dec 03, 2026",
            "2026-12-03",
            None,
            "Planning Commission",
        ),
        (
            "CANCELLED: Planning Commission Regular Meeting (12/3/2026)",
            "2026-12-03",
            None,
            "Planning Commission",
        ),
        (
            "Special Meeting of the City Council, Thursday, December 3, 2026 at 6 p.m.",
            "2026-12-03",
            "18:00",
            "City Council",
        ),
        (
            "Board of Zoning Appeals - 2026-12-03 18:30",
            "2026-12-03",
            "18:30",
            "Board of Zoning Appeals",
        ),
        ("12-03-26 Regular Board Meeting, 11:00 AM - English", "2026-12-03", "11:00", "Board"),
        (
            "School Board Work Session \u2014 3 December 2026, noon",
            "2026-12-03",
            "12:00",
            "School Board",
        ),
    ],
)
def test_titles_give_day_time_and_body(title, day, start, body):
    found = meeting_text.find_date(title)
    assert found is not None and found[0] == dt.date.fromisoformat(day)
    time_found = meeting_text.find_time(title, found[1])
    assert (time_found.strftime("%H:%M") if time_found else None) == start
    assert meeting_text.body_from_title(title) == body


@pytest.mark.parametrize(
    ("url", "label", "kind"),
    [
        ("https://m.legistar.com/View.ashx?M=A&ID=1&GUID=X", "", "agenda"),
        ("https://m.legistar.com/View.ashx?M=M&ID=1&GUID=X", "", "minutes"),
        ("https://m.legistar.com/View.ashx?M=IC&ID=1&GUID=X", "iCalendar", None),
        ("https://www.m.gov/AgendaCenter/ViewFile/Agenda/_12032026-123", "", "agenda"),
        ("https://www.m.gov/AgendaCenter/ViewFile/Agenda/_12032026-123?packet=true", "", "packet"),
        ("https://www.m.gov/AgendaCenter/ViewFile/Minutes/_12032026-123", "", "minutes"),
        ("https://m.granicus.com/AgendaViewer.php?view_id=3&event_id=812", "", "agenda"),
        ("https://m.granicus.com/MinutesViewer.php?view_id=3&clip_id=90", "", "minutes"),
        ("https://files.example.org/4410.pdf", "Meeting agenda", "agenda"),
        ("https://www.m.gov/news/holiday-hours", "Holiday hours", None),
    ],
)
def test_document_links_are_recognised_by_platform_address_or_label(url, label, kind):
    assert meeting_text.link_kind(url, label) == kind


def test_cancellation_in_a_description_needs_the_meeting_to_be_said_cancelled():
    assert meeting_text.meeting_status("City Council", "This meeting has been canceled.") == (
        "cancelled",
        "description: This meeting has been canceled.",
    )
    assert meeting_text.meeting_status("City Council", "Item 4: cancelled contracts") == (
        "scheduled",
        None,
    )
    assert meeting_text.meeting_status("City Council - POSTPONED", None)[0] == "postponed"


# --- the platforms' feeds through the CLI ---------------------------------------------


def test_legistar_calendar_feed_yields_zoned_meetings_links_and_cancellations(
    tmp_path, http_server, cli_run
):
    config = rss_config(tmp_path, serve(http_server, FeedRoute.of("legistar-calendar.xml")))
    result = cli_run("--config", config, "run", now=TODAY)
    assert result.exit_code == 0, result.output
    assert "maplewood/meetings: ok, 4 records" in result.output  # the 2024 entry is outside

    meetings = stored_meetings(tmp_path)
    assert sorted(meetings) == [
        "08396C01-1563-4E18-B521-B489520E087A",  # Legistar's guid minus its modification stamp
        "0F6E2D1C-3B4A-4958-8776-5A4B3C2D1E0F",
        "6C1B0F3E-2A8D-4C6B-9F1E-0D3B7A5C8E21",
        "A41F9D02-77B3-4E0C-8C55-1E2F3A4B5C6D",
    ]
    council = meetings["6C1B0F3E-2A8D-4C6B-9F1E-0D3B7A5C8E21"]
    assert council.body_name == "City Council"
    assert council.start == dt.datetime(2026, 12, 3, 18, 0, tzinfo=CHICAGO)
    assert council.start.utcoffset() == dt.timedelta(hours=-6)
    assert council.timezone == "America/Chicago" and council.time_known
    assert council.url.startswith("https://maplewood.legistar.com/Gateway.aspx?M=MD")
    assert council.agenda_url == (
        "https://maplewood.legistar.com/View.ashx?M=A&ID=1340101"
        "&GUID=6C1B0F3E-2A8D-4C6B-9F1E-0D3B7A5C8E21"
    )
    assert [(d.kind, d.url) for d in council.documents] == [("agenda", council.agenda_url)]
    planning = meetings["0F6E2D1C-3B4A-4958-8776-5A4B3C2D1E0F"]
    assert planning.minutes_url.startswith("https://maplewood.legistar.com/View.ashx?M=M&")
    arts = meetings["08396C01-1563-4E18-B521-B489520E087A"]
    assert (arts.status, arts.status_evidence) == (
        "cancelled",
        "title: Arts Commission - 12/1/2026 (CANCELED)",
    )
    assert arts.meeting_date == dt.date(2026, 12, 1) and arts.start is None
    with store(tmp_path).session() as session:
        assert "Child Care Advisory Board" in {b.name for b in session.scalars(select(Body))}
    matches = json.loads(
        cli_run("--config", config, "changes", "--kind", "agenda_match", "--format", "json").output
    )
    assert [m["data"]["body"] for m in matches] == ["Child Care Advisory Board"]
    assert matches[0]["data"]["start"] == "2026-12-08T17:30:00-06:00"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "civicplus-agendacenter.xml",
            {
                "body": "City Council",
                "title": "City Council Regular Meeting",
                "meeting_date": "2026-12-08",
                "start": "2026-12-08T19:00:00-06:00",
                "location": "Council Chambers",
                "agenda_url": "https://www.maplewoodmn.gov/AgendaCenter/ViewFile/Agenda/_12082026-1450",
            },
        ),
        (
            "civicplus-calendar.xml",
            {
                "body": "Housing and Redevelopment Authority",
                "meeting_date": "2026-12-09",
                "start": "2026-12-09T18:00:00-06:00",
                "url": "https://www.maplewoodmn.gov/Calendar.aspx?EID=3917",
                "agenda_url": None,
            },
        ),
        (
            "granicus-agendas.xml",
            {
                "body": "Planning Commission",
                "meeting_date": "2026-12-15",  # from the title, not the Nov 20 pubDate
                "start": "2026-12-15T19:00:00-06:00",
                "agenda_url": "https://maplewood.granicus.com/AgendaViewer.php?view_id=3&event_id=812",
            },
        ),
        (
            "atom-meetings.xml",
            {
                "body": "School Board",
                "meeting_date": "2026-12-10",
                "start": "2026-12-10T18:30:00-06:00",
                "location": "District Education Center, Room 101",
                "agenda_url": "https://isd622.example.org/files/4410-agenda.pdf",
            },
        ),
    ],
)
def test_each_platform_style_yields_the_matching_meeting_with_its_facts(
    tmp_path, http_server, cli_run, fixture, expected
):
    config = rss_config(tmp_path, serve(http_server, FeedRoute.of(fixture), "/feed"))
    result = cli_run("--config", config, "run", now=TODAY)
    assert result.exit_code == 0, result.output
    (match,) = json.loads(
        cli_run("--config", config, "changes", "--kind", "agenda_match", "--format", "json").output
    )
    listed = json.loads(cli_run("--config", config, "meetings", "--format", "json").output)
    (meeting,) = [m for m in listed if m["id"] == match["data"]["meeting_id"]]
    assert {key: meeting[key] for key in expected} == expected
    assert match["data"]["body"] == expected["body"]
    assert match["data"]["meeting_date"] == expected["meeting_date"]


def test_undated_granicus_entry_falls_back_to_its_date_parts_and_civicplus_to_the_file_name(
    tmp_path, http_server, cli_run
):
    http_server.routes["/g"] = FeedRoute.of("granicus-agendas.xml")
    http_server.routes["/c"] = FeedRoute.of("civicplus-agendacenter.xml")
    for name in ("g", "c"):
        (tmp_path / name).mkdir()
        config = rss_config(tmp_path / name, http_server.url + "/" + name)
        assert cli_run("--config", config, "run", now=TODAY).exit_code == 0
    enrc = stored_meetings(tmp_path / "g")["c2d4e6f8-0a1b-4c3d-8e5f-7a9b1c3d5e7f"]
    assert enrc.start == dt.datetime(2026, 12, 17, 18, 0, tzinfo=CHICAGO)
    parks = stored_meetings(tmp_path / "c")[
        "https://www.maplewoodmn.gov/AgendaCenter/ViewFile/Agenda/_12162026-1453"
    ]
    assert parks.meeting_date == dt.date(2026, 12, 16) and parks.start is None
    work_session = stored_meetings(tmp_path / "c")[
        "https://www.maplewoodmn.gov/AgendaCenter/ViewFile/Agenda/_11232026-1441"
    ]
    assert work_session.minutes_url == (
        http_server.url + "/AgendaCenter/ViewFile/Minutes/_11232026-1441"
    )  # relative links resolve against the feed's address


def test_a_saved_feed_file_is_a_valid_source(tmp_path, cli_run):
    config = rss_config(tmp_path, (FIXTURES / "legistar-calendar.xml").as_uri())
    result = cli_run("--config", config, "run", now=TODAY)
    assert result.exit_code == 0, result.output
    assert "ok, 4 records" in result.output
    assert len(stored_meetings(tmp_path)) == 4


# --- conditional requests --------------------------------------------------------------


def test_unchanged_feed_costs_one_304_and_keeps_every_meeting(tmp_path, http_server, cli_run):
    route = FeedRoute.of("legistar-calendar.xml")
    config = rss_config(tmp_path, serve(http_server, route))
    assert cli_run("--config", config, "run", now=TODAY).exit_code == 0
    before = stored_meetings(tmp_path)
    changes_before = change_kinds(tmp_path)

    result = cli_run("--config", config, "run", now="2026-11-26")
    assert result.exit_code == 0, result.output
    assert "ok, 4 records" in result.output and "1 not modified" in result.output
    assert "nothing new" in result.output
    first, second = route.seen
    assert "if-none-match" not in first.headers
    assert second.headers["if-none-match"] == route.etag
    assert second.headers["if-modified-since"] == route.modified
    day1, day2 = crawl_runs(tmp_path)
    assert (day2.status, day2.unchanged, day2.not_modified, day2.records) == ("ok", True, 1, 4)
    feed_bytes = len(route.body.encode())
    assert day1.bytes > feed_bytes > 4 * day2.bytes  # the 304 carries headers only
    print(f"\nfeed {feed_bytes} bytes: day 1 cost {day1.bytes}, the 304 day {day2.bytes}")
    assert stored_meetings(tmp_path).keys() == before.keys()
    assert change_kinds(tmp_path) == changes_before
    with store(tmp_path).session() as session:
        cursor = session.scalar(select(Source)).cursor
    assert cursor["etag"] == route.etag and cursor["bytes_saved"] == feed_bytes


def test_an_edited_feed_is_downloaded_again_and_its_validators_replaced(
    tmp_path, http_server, cli_run
):
    route = FeedRoute.of("legistar-calendar.xml")
    config = rss_config(tmp_path, serve(http_server, route))
    assert cli_run("--config", config, "run", now=TODAY).exit_code == 0
    old_etag = route.etag
    route.edit("12/3/2026 - 6:00 PM", "12/3/2026 - 6:30 PM", "Thu, 26 Nov 2026 09:00:00 GMT")
    result = cli_run("--config", config, "run", now="2026-11-26")
    assert "not modified" not in result.output
    assert route.seen[1].headers["if-none-match"] == old_etag
    with store(tmp_path).session() as session:
        cursor = session.scalar(select(Source)).cursor
    assert cursor["etag"] == route.etag
    assert cursor["last_modified"] == "Thu, 26 Nov 2026 09:00:00 GMT"
    council = stored_meetings(tmp_path)["6C1B0F3E-2A8D-4C6B-9F1E-0D3B7A5C8E21"]
    assert council.start == dt.datetime(2026, 12, 3, 18, 30, tzinfo=CHICAGO)


def test_a_changed_feed_address_is_not_sent_the_old_validators(tmp_path, http_server, cli_run):
    route = FeedRoute.of("legistar-calendar.xml")
    http_server.routes["/old"] = http_server.routes["/new"] = route
    assert cli_run("--config", rss_config(tmp_path, http_server.url + "/old"), "run", now=TODAY)
    config = rss_config(tmp_path, http_server.url + "/new")
    result = cli_run("--config", config, "run", now="2026-11-26")
    assert "not modified" not in result.output
    assert "if-none-match" not in route.seen[1].headers


# --- faults ----------------------------------------------------------------------------

FAULTS = {
    "server error": (Reply(status=500, body="Internal Server Error"), "failed", "HTTP 500"),
    "not found": (Reply(status=404, body="gone"), "failed", "HTTP 404"),
    "malformed XML": (
        Reply(
            body="<rss><channel><title>x</title><item><title>City Council - 12/",
            content_type=FEED_TYPE,
        ),
        "failed",
        "not a readable RSS/Atom feed",
    ),
    "XML cut before any entry": (
        Reply(
            body='<?xml version="1.0"?><rss version="2.0"><channel><title>Cal',
            content_type=FEED_TYPE,
        ),
        "failed",
        "not a readable RSS/Atom feed",
    ),
    "HTML login page": (
        Reply(body="<html><body><form>Sign in</form></body></html>"),
        "failed",
        "not a readable RSS/Atom feed",
    ),
    "empty feed": (
        Reply(
            body='<?xml version="1.0"?><rss version="2.0"><channel><title>Calendar</title>'
            "</channel></rss>",
            content_type=FEED_TYPE,
        ),
        "suspicious",
        "has no entries",
    ),
    "truncated reply": (None, "failed", ""),
    "timeout": (None, "failed", "timed out"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_broken_feed_is_a_source_problem_not_a_change(tmp_path, http_server, cli_run, fault):
    route = FeedRoute.of("legistar-calendar.xml")
    config = rss_config(tmp_path, serve(http_server, route), crawling={"timeout_seconds": 1})
    assert cli_run("--config", config, "run", now=TODAY).exit_code == 0
    before = stored_meetings(tmp_path)
    kinds_before = change_kinds(tmp_path)

    reply, status, detail = FAULTS[fault]
    if fault == "truncated reply":
        reply = Reply(body=route.body, content_type=FEED_TYPE, truncate=True)
    if fault == "timeout":
        route.delay = 2.5
    route.fault = reply
    result = cli_run("--config", config, "run", now="2026-11-26")
    assert result.exit_code == 0, result.output
    run = crawl_runs(tmp_path)[-1]
    assert run.status == status and detail in (run.error or "")
    assert change_kinds(tmp_path) == [*kinds_before, "source_problem"]
    assert stored_meetings(tmp_path).keys() == before.keys()
    assert all(m.status == before[k].status for k, m in stored_meetings(tmp_path).items())

    route.fault, route.delay = None, 0.0  # recovery: the last healthy crawl's validators
    result = cli_run("--config", config, "run", now="2026-11-27")
    assert "1 not modified" in result.output
    assert change_kinds(tmp_path) == [*kinds_before, "source_problem"]
    assert crawl_runs(tmp_path)[-1].status == "ok"
