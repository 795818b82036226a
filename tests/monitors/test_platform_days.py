"""Scripted days on each meeting platform (Granicus, PrimeGov, CivicClerk, eScribe, Legistar
InSite) through `civicradar run`: a new meeting, a cancellation, an amended agenda PDF, an
outage and a changed layout give exactly the expected changes, and an unchanged day costs
the listing plus conditional requests for the agendas of upcoming meetings."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import Reply, run_day
from tests.crawlers.agenda_pdfs import text_pdf
from tests.crawlers.meeting_platforms import crawl_runs, platform_config
from tests.crawlers.platform_sites import SITES, SiteMeeting

HEADER = ["CITY OF MAPLEWOOD"]
LISTING_REQUESTS = {"granicus": 1, "primegov": 3, "civicclerk": 1, "escribe": 1, "legistar": 2}
"""Requests for the listing in one crawl: PrimeGov reads committees, upcoming and this year's
archive; InSite reads This Year and posts back for Next Year (the window reaches 2027)."""


def agenda(*items: str) -> bytes:
    return text_pdf([[f"{n}. {item}" for n, item in enumerate(items, start=1)]], header=HEADER)


def meeting(key, body, body_id, day, hour, **extra) -> SiteMeeting:
    start = dt.datetime.fromisoformat(f"2026-12-{day:02d}T{hour}")
    return SiteMeeting(key, body, body_id, start, **extra)


@pytest.mark.parametrize("platform", sorted(SITES))
def test_new_meeting_cancellation_amended_agenda_and_outage_days(
    platform, tmp_path, http_server, cli_run
):
    site = SITES[platform](http_server)
    grants = "Resolution supporting child care workforce grants"
    council = meeting(
        101, "City Council", 1, 8, "18:00", agenda=agenda("Call to order", grants, "Adjournment")
    )
    parks = meeting(
        102,
        "Parks and Recreation Commission",
        2,
        10,
        "18:30",
        agenda=agenda("Call to order", "Trail maintenance contract", "Adjournment"),
    )
    site.meetings = [council, parks]
    config = platform_config(tmp_path, platform, site.url, fetch_documents=True)
    seen: set[int] = set()

    # Day 1, the baseline: the council agenda's grants item matches, nothing else is news.
    day1 = run_day(cli_run, config, "2026-11-25", seen)
    assert [(c["kind"], c["data"]["body"]) for c in day1] == [("agenda_match", "City Council")]
    assert day1[0]["data"]["item_title"] == grants
    assert day1[0]["data"]["page"] == 1
    assert day1[0]["data"]["start"] == "2026-12-08T18:00:00-06:00"

    # Day 2: a new meeting whose agenda mentions pre-k.
    zoning = "Zoning for pre-k classrooms at Oak Street"
    planning = meeting(
        103,
        "Planning Commission",
        3,
        15,
        "19:00",
        agenda=agenda("Call to order", zoning, "Adjournment"),
    )
    site.meetings.append(planning)
    day2 = run_day(cli_run, config, "2026-11-26", seen)
    assert [(c["kind"], c["data"]["body"]) for c in day2] == [
        ("agenda_match", "Planning Commission")
    ]

    # Day 3: the council meeting is cancelled.
    council.cancelled = True
    day3 = run_day(cli_run, config, "2026-11-27", seen)
    assert [(c["kind"], c["data"]["what"]) for c in day3] == [("meeting_change", "cancelled")]

    # Day 4: the planning agenda is republished with a child care item.
    planning.agenda = agenda(
        "Call to order",
        zoning,
        "Child care center at the former library",
        "Adjournment",
    )
    day4 = run_day(cli_run, config, "2026-11-28", seen)
    assert [(c["kind"], c["data"].get("what")) for c in day4] == [
        ("agenda_match", None),
        ("meeting_change", "agenda amended"),
    ]
    assert day4[0]["data"]["item_title"] == "Child care center at the former library"
    assert day4[1]["data"]["items_added"] == ["Child care center at the former library"]

    # Day 5: the platform is down: one source_problem and nothing about meetings.
    site.fault = Reply(status=503, body="Service Unavailable", content_type="text/plain")
    day5 = run_day(cli_run, config, "2026-11-29", seen)
    assert [(c["kind"], c["data"]["status"]) for c in day5] == [("source_problem", "failed")]

    # Day 6: it answers with another layout: still failing, the same episode, no news.
    site.fault = site.broken_layout
    assert run_day(cli_run, config, "2026-11-30", seen) == []
    assert crawl_runs(tmp_path)[-1].status == "failed"

    # Day 7: back to normal and unchanged: nothing new; agendas answered 304.
    site.fault = None
    site.documents.seen.clear()
    before = len(site.listing_requests())
    assert run_day(cli_run, config, "2026-12-01", seen) == []
    assert len(site.listing_requests()) - before == LISTING_REQUESTS[platform]
    assert crawl_runs(tmp_path)[-1].status == "ok"
    asked = site.documents.seen
    assert asked and all(r.headers.get("if-none-match") for r in asked)
    assert len(asked) == 3  # one conditional request per agenda of a meeting still ahead
