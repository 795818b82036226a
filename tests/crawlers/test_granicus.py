"""The Granicus spider against a ViewPublisher page written for the project (made-up Maplewood,
two templates, upcoming events), the captured Tulsa page and Walnut Creek agenda viewer."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civicradar.crawlers.pdf_text import extract_document
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
REAL_HOST = "//maplewood.granicus.com"
VIEW = {"view_id": ["3"]}


def serve_publisher(http_server, body: str | None = None, **kwargs) -> HostedFile:
    page = HostedFile(
        body or fixture_text("granicus", "viewpublisher.html"),
        http_server.url.removeprefix("http:"),
        real_host=REAL_HOST,
        query=VIEW,
        **kwargs,
    )
    http_server.routes["/ViewPublisher.php"] = page
    return page


def publisher_config(tmp_path, http_server, **extra):
    url = http_server.url + "/ViewPublisher.php?view_id=3"
    return platform_config(tmp_path, "granicus", url, **extra)


def test_rows_of_both_templates_and_upcoming_events_become_meetings_in_the_window(
    tmp_path, http_server, cli_run
):
    page = serve_publisher(http_server)
    config = publisher_config(tmp_path, http_server)
    result = run(cli_run, config)
    assert "maplewood/meetings: ok, 6 records" in result.output, result.output
    assert len(page.seen) == 1  # the whole listing is one page

    stored = stored_meetings(tmp_path).values()
    meetings = {(m.title, m.meeting_date.isoformat()): m for m in stored}
    assert sorted(meetings) == [
        ("CANCELLED - Child Care Advisory Board", "2026-12-10"),
        ("City Council Regular Meeting", "2026-11-17"),
        ("City Council Regular Meeting", "2026-12-08"),
        ("City Council Work Session", "2027-01-12"),
        ("Parks and Recreation Commission", "2026-10-28"),
        ("Planning Commission", "2026-11-05"),
    ]  # September (before the window), April (after it) and "In Progress" are not read
    council = meetings[("City Council Regular Meeting", "2026-11-17")]
    assert council.start == dt.datetime(2026, 11, 17, 18, 0, tzinfo=CHICAGO)
    assert council.body_name == "City Council"
    assert council.agenda_url == http_server.url + "/AgendaViewer.php?view_id=3&clip_id=501"
    assert council.minutes_url == http_server.url + "/MinutesViewer.php?view_id=3&clip_id=501"
    parks = meetings[("Parks and Recreation Commission", "2026-10-28")]
    assert parks.start is None  # a day alone; the hidden sort stamp is not a time
    assert parks.agenda_url == http_server.url + "/AgendaViewer.php?view_id=3&event_id=1187"
    board = meetings[("CANCELLED - Child Care Advisory Board", "2026-12-10")]
    assert (board.status, board.status_evidence) == (
        "cancelled",
        "title: CANCELLED - Child Care Advisory Board",
    )
    assert board.body_name == "Child Care Advisory Board"
    (match,) = changes(cli_run, config, "agenda_match")
    assert match["data"]["body"] == "Child Care Advisory Board"


def test_a_meeting_keeps_its_identity_when_its_event_becomes_a_clip(tmp_path, http_server, cli_run):
    html = fixture_text("granicus", "viewpublisher.html")
    page = serve_publisher(http_server, html)
    config = publisher_config(tmp_path, http_server)
    run(cli_run, config)
    before = {m.meeting_date: m.external_id for m in stored_meetings(tmp_path).values()}
    held = html.replace(
        "AgendaViewer.php?view_id=3&amp;event_id=1201", "AgendaViewer.php?view_id=3&amp;clip_id=512"
    )
    page.body = held.replace(REAL_HOST, http_server.url.removeprefix("http:"))
    run(cli_run, config, "2026-12-09")
    after = stored_meetings(tmp_path)
    assert len(after) == 6
    moved = after[before[dt.date(2026, 12, 8)]]
    assert moved.agenda_url.endswith("clip_id=512")
    assert [c["kind"] for c in changes(cli_run, config)] == ["agenda_match"]


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply(status=503, body="busy"), "HTTP 503"),
        (Reply(body="<html><body><h1>Maintenance</h1></body></html>"), "no meeting rows"),
        (
            Reply(body="<html><title>Sign In</title><input type=password name=p></html>"),
            "a sign-in page instead of meeting rows",
        ),
    ],
)
def test_an_error_or_a_page_without_rows_fails_the_run(
    tmp_path, http_server, cli_run, reply, problem
):
    page = serve_publisher(http_server)
    config = publisher_config(tmp_path, http_server)
    run(cli_run, config)
    page.fault = reply
    run(cli_run, config, "2026-11-26")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and problem in latest.error
    assert [c["kind"] for c in changes(cli_run, config)] == ["agenda_match", "source_problem"]
    assert len(stored_meetings(tmp_path)) == 6


def test_the_agenda_viewer_fragment_is_read_as_the_agenda(tmp_path, http_server, cli_run):
    serve_publisher(http_server)
    viewer = HostedFile(fixture_text("granicus", "agendaviewer-clip501.html"), http_server.url)
    viewer.query = {"view_id": ["3"], "clip_id": ["501"]}
    http_server.routes["/AgendaViewer.php"] = viewer
    config = publisher_config(tmp_path, http_server, fetch_documents=True)
    run(cli_run, config)
    council = next(m for m in stored_meetings(tmp_path).values() if m.meeting_date.day == 17)
    (agenda,) = [d for d in council.documents if d.kind == "agenda"]
    assert agenda.status == "ok"
    assert "CITY HALL 1830 COUNTY ROAD B EAST" in agenda.text
    found = {c["data"]["body"]: c for c in changes(cli_run, config, "agenda_match")}
    assert found["City Council"]["data"]["document_url"] == agenda.url


# --- the captured pages of the shared corpus ----------------------------------------------


def test_corpus_tulsa_publisher_page(tmp_path, http_server, corpus, cli_run):
    html = (corpus / "agendas" / "granicus" / "tulsa-ok-ViewPublisher-view4.html").read_text()
    http_server.routes["/ViewPublisher.php"] = HostedFile(html, "", query={"view_id": ["4"]})
    url = http_server.url + "/ViewPublisher.php?view_id=4"
    config = platform_config(tmp_path, "granicus", url, days_back=3650, days_ahead=3650)
    run(cli_run, config, "2025-12-05")
    meetings = stored_meetings(tmp_path)
    assert len(meetings) == 18  # 19 rows; the one "In Progress" has no date
    first = next(m for m in meetings.values() if m.meeting_date == dt.date(2025, 11, 19))
    assert first.title == "Regular Council Meeting"
    assert first.start == dt.datetime(2025, 11, 19, 17, 0, tzinfo=CHICAGO)
    clips = {m.agenda_url for m in meetings.values() if "clip_id=" in (m.agenda_url or "")}
    assert len(clips) == 13
    assert max(int(u.rsplit("=", 1)[1]) for u in clips) == 7169
    viewer = "http://tulsa-ok.granicus.com/AgendaViewer.php?view_id=4&"
    assert all(u.startswith(viewer) for u in clips)
    assert {m.status for m in meetings.values()} == {"scheduled"}

    windowed = tmp_path / "window"
    windowed.mkdir()
    config = platform_config(windowed, "granicus", url)
    run(cli_run, config, "2025-12-05")
    assert sorted(m.meeting_date.isoformat() for m in stored_meetings(windowed).values()) == [
        "2025-11-07",
        "2025-11-19",
        "2025-12-10",
        "2025-12-11",
        "2025-12-15",
        "2025-12-17",
        "2026-01-14",
    ]


def test_corpus_walnut_creek_agenda_viewer_without_html_wrapper(
    tmp_path, http_server, corpus, cli_run
):
    page = (corpus / "agendas" / "granicus" / "walnutcreek-AgendaViewer-clip4496.html").read_bytes()
    http_server.routes["/AgendaViewer.php"] = lambda request: Reply(
        body=page if request.query == {"view_id": ["12"], "clip_id": ["4496"]} else b"",
        content_type="text/html",
    )
    listing = fixture_text("granicus", "viewpublisher.html").replace(
        "view_id=3&amp;clip_id=501", "view_id=12&amp;clip_id=4496"
    )
    serve_publisher(http_server, listing)
    config = publisher_config(tmp_path, http_server, fetch_documents=True)
    run(cli_run, config)
    council = next(m for m in stored_meetings(tmp_path).values() if m.meeting_date.day == 17)
    (agenda,) = [d for d in council.documents if d.kind == "agenda"]
    assert agenda.status == "ok"
    assert "Tuesday, May 17, 2022" in agenda.text
    assert "CITY HALL 1666 N. MAIN STREET, WALNUT CREEK" in agenda.text


def test_a_fragment_starting_with_markup_is_read_as_html_whatever_its_content_type():
    fragment = fixture_text("granicus", "agendaviewer-clip501.html").encode()
    text = extract_document(fragment, "application/octet-stream")
    assert text.status == "ok"
    assert "RESOLUTION SUPPORTING CHILD CARE WORKFORCE GRANTS" in text.pages[0]
    assert "CITY HALL 1830 COUNTY ROAD B EAST" in text.pages[0]  # a <br> is a space
