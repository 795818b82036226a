"""`platform: legistar` with `url: …/Calendar.aspx`: the InSite calendar grid of a site written
for the project (made-up Maplewood; pager and year filter answered as postbacks), a saved
page, and the captured Nashville calendar."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from civicradar.crawlers.legistar_insite import _GRID, _ROWS, columns, row_fields
from tests.conftest import FIXTURES, Reply
from tests.conftest import logged_changes as changes
from tests.crawlers.insite_pages import COOKIE, YEARS, InSiteCalendar, Row
from tests.crawlers.meeting_platforms import (
    HostedFile,
    crawl_runs,
    platform_config,
    run,
    stored_meetings,
)

CHICAGO = ZoneInfo("America/Chicago")
SAVED_PAGE = FIXTURES / "legistar_insite" / "calendar.html"


def maplewood_years() -> dict[str, list[Row]]:
    council = {"body": "City Council", "body_id": 101}
    return {
        "This Year": [
            Row(1401, day="12/22/2026", **council),
            Row(
                1399,
                "Child Care Advisory Board",
                140,
                "12/10/2026",
                "5:30 PM",
                "Room 2",
                "CANCELLED",
            ),
            Row(1398, day="12/8/2026", agenda=True, packet=True, **council),
            Row(
                1395, "Planning Commission", 120, "12/3/2026", "7:00 PM", public=False, agenda=True
            ),
            Row(1390, day="11/17/2026", agenda=True, minutes=True, **council),
            Row(
                1380,
                "Parks and Recreation Commission",
                130,
                "10/28/2026",
                "6:30 PM",
                "Maplewood Room",
                "Joint meeting with the Planning Commission",
                agenda=True,
            ),
            Row(1375, day="10/13/2026", agenda=True, minutes=True, **council),
            *(Row(1300 + n, day=f"9/{n}/2026", **council) for n in range(20, 11, -1)),
        ],
        "Next Year": [
            Row(1420, "Planning Commission", 120, "4/1/2027", "7:00 PM"),
            Row(1410, day="1/12/2027", **council),
        ],
    }


def serve(http_server, **kwargs) -> InSiteCalendar:
    site = InSiteCalendar(maplewood_years(), **kwargs)
    http_server.routes["/Calendar.aspx"] = site
    return site


def insite_config(tmp_path, url, **extra):
    return platform_config(tmp_path, "legistar", url, **extra)


def posted(site: InSiteCalendar) -> list[str]:
    asked = []
    for request in site.seen:
        if request.method == "GET":
            asked.append("GET")
            continue
        form = parse_qs(request.body.decode())
        target = form["__EVENTTARGET"][0]
        choice = form.get(YEARS, [""])[0] if target == YEARS else "page"
        asked.append(f"POST {choice} from {form['__VIEWSTATE'][0]}")
    return asked


def test_this_year_page_by_page_then_next_year_while_in_the_window(tmp_path, http_server, cli_run):
    site = serve(http_server)
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx")
    result = run(cli_run, config)
    assert "maplewood/meetings: ok, 7 records" in result.output, result.output
    # page 2 reaches October 13 (before the window): page 3 of September is never asked for
    assert posted(site) == ["GET", "POST page from ThisYear-p1", "POST Next Year from ThisYear-p2"]
    assert all(r.headers.get("cookie") == COOKIE for r in site.seen[1:])

    meetings = stored_meetings(tmp_path)
    assert sorted(meetings) == ["1380", "1390", "1395", "1398", "1399", "1401", "1410"]
    council = meetings["1390"]
    assert council.body_name == "City Council"
    assert council.start == dt.datetime(2026, 11, 17, 18, 0, tzinfo=CHICAGO)
    assert council.location == "Council Chambers"
    base = http_server.url
    assert council.agenda_url.startswith(base + "/View.ashx?M=A&ID=1390&GUID=")
    assert council.minutes_url.startswith(base + "/View.ashx?M=M&ID=1390&GUID=")
    assert council.url.startswith(base + "/MeetingDetail.aspx?ID=1390&GUID=")
    assert meetings["1395"].url == base + "/Calendar.aspx"  # details not public
    assert {d.kind for d in meetings["1398"].documents} == {"agenda", "packet"}
    board = meetings["1399"]
    assert (board.status, board.status_evidence) == ("cancelled", "note: CANCELLED")
    parks = meetings["1380"]
    assert (
        parks.title
        == "Parks and Recreation Commission - Joint meeting with the Planning Commission"
    )
    assert parks.location == "Maplewood Room"
    assert meetings["1410"].meeting_date == dt.date(2027, 1, 12)
    assert [c["data"]["body"] for c in changes(cli_run, config, "agenda_match")] == [
        "Child Care Advisory Board"
    ]


def test_another_default_filter_is_switched_to_this_year(tmp_path, http_server, cli_run):
    site = serve(http_server, default="This Month")
    site.years["This Month"] = []
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx", days_ahead=20)
    run(cli_run, config)
    assert posted(site)[:2] == ["GET", "POST This Year from ThisMonth-p1"]
    assert "1399" in stored_meetings(tmp_path)


def test_a_window_inside_this_year_reads_one_page(tmp_path, http_server, cli_run):
    site = serve(http_server)
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx", days_back=7, days_ahead=20)
    run(cli_run, config)
    assert posted(site) == ["GET"]  # November 17 on page 1 is already before the window
    assert sorted(stored_meetings(tmp_path)) == ["1395", "1398", "1399"]


def test_a_saved_calendar_page_is_read_alone(tmp_path, cli_run):
    config = insite_config(tmp_path, SAVED_PAGE.as_uri(), days_back=60, days_ahead=60)
    run(cli_run, config)
    assert crawl_runs(tmp_path)[-1].status == "ok"
    assert sorted(stored_meetings(tmp_path)) == ["1390", "1395", "1398", "1399", "1401"]


def test_an_empty_year_says_so_and_is_healthy(tmp_path, http_server, cli_run):
    site = serve(http_server)
    site.years = {"This Year": [], "Next Year": []}
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx")
    run(cli_run, config)
    assert crawl_runs(tmp_path)[-1].status == "ok"


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply(status=500, body="Server Error in '/' Application."), "HTTP 500"),
        (Reply(body="<html><body><table></table></body></html>"), "no calendar grid"),
        (
            Reply(
                body='<html><title>Legistar</title><form action="/Login.aspx">'
                '<input type="password"></form></html>'
            ),
            "a sign-in page instead of calendar grid",
        ),
    ],
)
def test_an_error_or_a_page_without_the_grid_fails_the_run(
    tmp_path, http_server, cli_run, reply, problem
):
    site = serve(http_server)
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx")
    run(cli_run, config)
    site.fault = reply
    run(cli_run, config, "2026-11-26")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and problem in latest.error, latest.error
    assert [c["kind"] for c in changes(cli_run, config)] == ["agenda_match", "source_problem"]
    assert len(stored_meetings(tmp_path)) == 7


def test_a_refused_postback_fails_the_run(tmp_path, http_server, cli_run):
    site = serve(http_server)
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx")
    original = site.__call__

    def refuse_posts(request):
        if request.method == "POST":
            return Reply(status=500, body="Invalid postback or callback argument.")
        return original(request)

    http_server.routes["/Calendar.aspx"] = refuse_posts
    run(cli_run, config)
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "failed" and "HTTP 500" in latest.error


def test_a_legistar_source_needs_a_client_or_its_calendar_page(tmp_path, cli_run):
    config = insite_config(tmp_path, "https://maplewood.legistar.com/Calendar.aspx")
    text = config.read_text().replace("    url: https://maplewood.legistar.com/Calendar.aspx\n", "")
    config.write_text(text)
    result = cli_run("--config", config, "crawl")
    assert result.exit_code == 2
    assert "client" in result.output and "Calendar.aspx" in result.output


# --- the captured page of the shared corpus ------------------------------------------------


def test_corpus_nashville_calendar_rows(corpus):
    html = (corpus / "agendas" / "legistar-insite" / "nashville-Calendar.aspx.html").read_text()
    grid = Selector(text=html).xpath(_GRID)[0]
    where = columns(grid)
    rows = [
        row_fields(r, where, "https://nashville.legistar.com/Calendar.aspx", CHICAGO)
        for r in grid.xpath(_ROWS)
    ]
    assert len(rows) == 100 and all(rows)
    first = rows[0]
    assert (first["body_name"], first["meeting_date"], first["location"]) == (
        "Metropolitan Council",
        dt.date(2025, 12, 16),
        "Metropolitan Courthouse",
    )
    assert first["start"] == dt.datetime(2025, 12, 16, 18, 30, tzinfo=CHICAGO)
    assert sum(r["body_name"] == "Metropolitan Council" for r in rows) == 25
    assert len({r["url"] for r in rows if "MeetingDetail.aspx?ID=" in r["url"]}) == 88
    assert len({r["external_id"] for r in rows}) == 100  # the iCal link names the hidden ones


def test_corpus_nashville_calendar_crawl(tmp_path, http_server, corpus, cli_run):
    page = (corpus / "agendas" / "legistar-insite" / "nashville-Calendar.aspx.html").read_text()
    calendar = HostedFile(page, "", method="GET")
    http_server.routes["/Calendar.aspx"] = calendar
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx", timezone="America/Chicago")
    run(cli_run, config, "2025-06-18")
    assert crawl_runs(tmp_path)[-1].status == "ok"
    assert len(calendar.seen) == 1  # May 19 .. Oct 16, 2025 is all on page 1 of This Year
    meetings = stored_meetings(tmp_path)
    assert len(meetings) == 35
    assert sum(1 for m in meetings.values() if m.agenda_url) == 28
    assert {m.start.utcoffset() for m in meetings.values() if m.start} == {dt.timedelta(hours=-5)}


def test_a_postback_answered_with_another_page_stops_paging_as_suspicious(
    tmp_path, http_server, corpus, cli_run
):
    page = (corpus / "agendas" / "legistar-insite" / "nashville-Calendar.aspx.html").read_text()
    http_server.routes["/Calendar.aspx"] = HostedFile(page, "")  # page 1, whatever is asked
    config = insite_config(tmp_path, http_server.url + "/Calendar.aspx", days_back=365)
    run(cli_run, config, "2025-06-18")
    latest = crawl_runs(tmp_path)[-1]
    assert latest.status == "suspicious"
    assert "asked the calendar for This Year page 2, it answered This Year page 1" in latest.error
    assert latest.requests <= 3
