"""agenda_match and meeting_change over scripted days of a Legistar-style calendar feed,
through `civicradar run`, on SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

import json

import yaml

from tests.conftest import logged_changes as changes
from tests.crawlers.test_rss import FeedRoute, rss_config, serve

COUNCIL_GUID = "6C1B0F3E-2A8D-4C6B-9F1E-0D3B7A5C8E21"
NEW_ENTRY = """    <item>
      <title>Pre-K Expansion Task Force - 12/10/2026 - 4:00 PM</title>
      <link>https://maplewood.legistar.com/Gateway.aspx?M=MD&amp;From=RSS&amp;ID=1340140&amp;GUID=9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D</link>
      <guid isPermaLink="false">9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D-2026-11-26-08-00-00</guid>
      <description />
      <category>Pre-K Expansion Task Force</category>
      <pubDate>Thu, 26 Nov 2026 14:00:00 GMT</pubDate>
    </item>
  </channel>"""


def meetings(cli_run, config):
    listed = json.loads(cli_run("--config", config, "meetings", "--format", "json").output)
    return {m["body"] + " " + m["meeting_date"]: m for m in listed}


def run_day(cli_run, config, day):
    result = cli_run("--config", config, "run", now=day)
    assert result.exit_code == 0, result.output
    return result.output


def test_feed_days_new_match_edit_cancel_unchanged_and_reschedule(
    tmp_path, http_server, cli_run, store_url
):
    route = FeedRoute.of("legistar-calendar.xml")
    config = rss_config(tmp_path, serve(http_server, route))
    settings = yaml.safe_load(config.read_text())
    settings["database"] = store_url
    config.write_text(yaml.safe_dump(settings, sort_keys=False))

    # Day 1: the baseline; a meeting whose title touches the initiative is reported at once.
    output = run_day(cli_run, config, "2026-11-25")
    assert "1 agenda_match" in output
    (first,) = changes(cli_run, config)
    assert first["data"]["body"] == "Child Care Advisory Board"
    assert first["data"]["item_title"] == "Child Care Advisory Board - 12/8/2026 - 5:30 PM"
    assert first["data"]["matched_terms"] == ["child care"]
    assert first["url"].startswith("https://maplewood.legistar.com/Gateway.aspx")
    assert len(meetings(cli_run, config)) == 4

    # Day 2: the council entry is edited (Legistar stamps a new guid) and now mentions child
    # care; the advisory board gets a room; a new meeting's title matches.
    route.edit(
        f"{COUNCIL_GUID}-2026-11-20-15-02-11",
        f"{COUNCIL_GUID}-2026-11-26-07-45-00",
        "Thu, 26 Nov 2026 13:45:00 GMT",
    )
    route.edit(
        "Council Chambers, City Hall, 1830 County Road B East&lt;/p&gt;",
        "Council Chambers, City Hall, 1830 County Road B East&lt;/p&gt;"
        "&lt;p&gt;Public hearing: child care center zoning amendment&lt;/p&gt;",
        "Thu, 26 Nov 2026 13:45:00 GMT",
    )
    route.edit(
        "<description />\n      <category>Child Care Advisory Board",
        "<description>Location: Room 2</description>\n      <category>Child Care Advisory Board",
        "Thu, 26 Nov 2026 13:45:00 GMT",
    )
    route.edit("  </channel>", NEW_ENTRY, "Thu, 26 Nov 2026 14:00:00 GMT")
    output = run_day(cli_run, config, "2026-11-26")
    assert "2 agenda_match" in output and "meeting_change" not in output
    listed = meetings(cli_run, config)
    assert len(listed) == 5  # the edited entry is the same meeting, not a new one
    assert listed["Child Care Advisory Board 2026-12-08"]["location"] == "Room 2"
    day2 = {c["data"]["body"]: c for c in changes(cli_run, config, "agenda_match")[1:]}
    assert sorted(day2) == ["City Council", "Pre-K Expansion Task Force"]
    assert "child care center zoning" in day2["City Council"]["data"]["snippet"]
    assert day2["Pre-K Expansion Task Force"]["data"]["matched_terms"] == ["pre-k"]

    # Day 3: the advisory board meeting is cancelled: one meeting_change, nothing else.
    route.edit(
        "Child Care Advisory Board - 12/8/2026 - 5:30 PM</title>",
        "Child Care Advisory Board - 12/8/2026 - 5:30 PM - CANCELLED</title>",
        "Fri, 27 Nov 2026 09:00:00 GMT",
    )
    output = run_day(cli_run, config, "2026-11-27")
    assert "1 meeting_change" in output and "agenda_match" not in output
    (cancelled,) = changes(cli_run, config, "meeting_change")
    assert cancelled["data"]["what"] == "cancelled"
    assert cancelled["data"]["status_evidence"] == (
        "title: Child Care Advisory Board - 12/8/2026 - 5:30 PM - CANCELLED"
    )

    # Day 4: nothing changed: one conditional request, answered 304, and no news.
    seen = len(route.seen)
    output = run_day(cli_run, config, "2026-11-28")
    assert "1 not modified" in output and "nothing new" in output
    (request,) = route.seen[seen:]
    assert request.headers["if-none-match"] == route.etag
    assert len(meetings(cli_run, config)) == 5

    # Day 5: the task force moves a week: rescheduled, with the old date.
    route.edit(
        "Pre-K Expansion Task Force - 12/10/2026 - 4:00 PM",
        "Pre-K Expansion Task Force - 12/17/2026 - 4:00 PM",
        "Sun, 29 Nov 2026 09:00:00 GMT",
    )
    output = run_day(cli_run, config, "2026-11-29")
    assert "1 meeting_change" in output
    moved = changes(cli_run, config, "meeting_change")[-1]["data"]
    assert moved["what"] == "rescheduled"
    assert (moved["previous_date"], moved["meeting_date"]) == ("2026-12-10", "2026-12-17")
    assert moved["previous_start"] == "2026-12-10T16:00:00-06:00"

    # Day 6: a repeat finds nothing new; every change so far is still there, once.
    assert "nothing new" in run_day(cli_run, config, "2026-11-30")
    kinds = [c["kind"] for c in changes(cli_run, config)]
    assert kinds == ["agenda_match"] * 3 + ["meeting_change"] * 2


def test_an_entry_that_stops_matching_and_edits_of_unmatched_meetings_are_not_news(
    tmp_path, http_server, cli_run
):
    route = FeedRoute.of("legistar-calendar.xml")
    config = rss_config(tmp_path, serve(http_server, route))
    run_day(cli_run, config, "2026-11-25")
    route.edit("12/3/2026 - 6:00 PM", "12/3/2026 - 7:00 PM", "Thu, 26 Nov 2026 09:00:00 GMT")
    route.edit("Arts Commission - 12/1/2026 (CANCELED)", "Arts Commission - 12/1/2026", "x")
    assert "nothing new" in run_day(cli_run, config, "2026-11-26")
    listed = meetings(cli_run, config)
    assert listed["City Council 2026-12-03"]["start"] == "2026-12-03T19:00:00-06:00"
    assert listed["Arts Commission 2026-12-01"]["status"] == "scheduled"


def test_a_republished_civicplus_agenda_with_new_matching_text_is_one_new_match(
    tmp_path, http_server, cli_run
):
    route = FeedRoute.of("civicplus-agendacenter.xml")
    config = rss_config(tmp_path, serve(http_server, route, "/RSSFeed.aspx"))
    run_day(cli_run, config, "2026-11-25")
    assert [c["data"]["body"] for c in changes(cli_run, config)] == ["City Council"]
    route.edit(
        "&lt;strong&gt;Agenda:&lt;/strong&gt; Parks and Recreation Commission",
        "&lt;strong&gt;Agenda:&lt;/strong&gt; Parks and Recreation Commission"
        "&lt;br&gt;Head Start playground grant; child care at recreation centers",
        "Thu, 26 Nov 2026 10:00:00 GMT",
    )
    output = run_day(cli_run, config, "2026-11-26")
    assert "1 agenda_match" in output and "meeting_change" not in output
    parks = changes(cli_run, config, "agenda_match")[-1]
    assert parks["data"]["body"] == "Parks and Recreation Commission"
    assert parks["data"]["meeting_date"] == "2026-12-16"
    assert parks["data"]["start"] is None
    assert "nothing new" in run_day(cli_run, config, "2026-11-27")


def test_agenda_files_linked_from_a_feed_are_read_once_and_matched_with_their_page(
    tmp_path, http_server, cli_run
):
    from tests.conftest import Reply
    from tests.crawlers.agenda_pdfs import text_pdf

    pdf = text_pdf(
        [
            ["PARKS AND RECREATION COMMISSION", "1. Call to order", "2. Approval of minutes"],
            ["3. Child care programs at recreation centers", "4. Adjournment"],
        ]
    )
    agenda_path = "/AgendaCenter/ViewFile/Agenda/_12162026-1453"
    fetched = []

    def agenda(request):
        fetched.append(request)
        if request.headers.get("if-none-match") == '"parks-1"':
            return Reply(status=304, headers={"ETag": '"parks-1"'})
        return Reply(body=pdf, headers={"ETag": '"parks-1"'}, content_type="application/pdf")

    http_server.routes[agenda_path] = agenda
    route = FeedRoute.of("civicplus-agendacenter.xml")
    route.body = route.body.replace("https://www.maplewoodmn.gov/", "/")  # all on the test server
    config = rss_config(tmp_path, serve(http_server, route, "/RSSFeed.aspx"), fetch_documents=True)
    output = run_day(cli_run, config, "2026-11-25")
    assert "2 agenda_match" in output, output  # the council entry, and the parks agenda page 2
    parks = next(
        c for c in changes(cli_run, config, "agenda_match") if c["data"]["body"].startswith("Parks")
    )
    assert parks["data"]["page"] == 2
    assert "Child care programs at recreation centers" in parks["data"]["snippet"]
    assert parks["data"]["document_url"] == http_server.url + agenda_path
    assert len(fetched) == 1

    assert "nothing new" in run_day(cli_run, config, "2026-11-26")  # feed 304: no file asked
    assert len(fetched) == 1
    route.edit("City Council Work Session", "City Council Work Session (Amended)", "x")
    assert "nothing new" in run_day(cli_run, config, "2026-11-27")
    assert [r.headers.get("if-none-match") for r in fetched] == [None, '"parks-1"']
