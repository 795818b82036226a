"""agenda_match and meeting_change through `civicradar run` over scripted days of a Legistar API."""

from __future__ import annotations

import copy

from tests.conftest import logged_changes as changes
from tests.crawlers.test_legistar import (  # noqa: F401  (api is a fixture)
    api,
    legistar_config,
    meetings_by_id,
)


def event(server, event_id):
    return next(e for e in server.clients["testville"].events if e["EventId"] == event_id)


def test_matching_items_are_reported_from_the_first_crawl_with_context(
    tmp_path,
    api,  # noqa: F811
    cli_run,
):
    config = legistar_config(tmp_path, api.url)
    result = cli_run("--config", config, "run", now="2026-03-02")
    assert result.exit_code == 0, result.output
    assert "2 agenda_match" in result.output
    found = {c["data"]["item_title"]: c for c in changes(cli_run, config, "agenda_match")}
    assert sorted(found) == [
        "Resolution supporting childcare workforce grants",
        "Study session: Pre K expansion options",
    ]  # "Briefing on the child care tax credit" is excluded
    grants = found["Resolution supporting childcare workforce grants"]
    assert grants["jurisdiction"] == "testville" and grants["source"] == "council"
    assert grants["url"].startswith("https://testville.legistar.com/MeetingDetail.aspx")
    data = grants["data"]
    assert data["body"] == "City Council"
    assert data["meeting_date"] == "2026-03-09"
    assert data["start"] == "2026-03-09T18:00:00-07:00"
    assert data["matched_terms"] == ["child care"]
    assert "childcare workforce grants" in data["snippet"]
    assert (data["matter_file"], data["mover"]) == ("RES 26-101", "Dana Cho")
    assert data["meeting_id"] == meetings_by_id(tmp_path)["201"].id
    study = found["Study session: Pre K expansion options"]["data"]
    assert study["matched_terms"] == ["pre-k"] and study["start"] is None


def test_a_second_run_on_unchanged_data_detects_nothing_new(tmp_path, api, cli_run):  # noqa: F811
    config = legistar_config(tmp_path, api.url)
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    first = changes(cli_run, config)
    second = cli_run("--config", config, "run", now="2026-03-03")
    assert "nothing new" in second.output
    assert cli_run("--config", config, "detect", now="2026-03-03").output.startswith(
        "examined 0 crawl runs: nothing new"
    )
    assert changes(cli_run, config) == first


def test_cancelling_a_meeting_with_matches_is_reported_once_with_its_evidence(
    tmp_path,
    api,  # noqa: F811
    cli_run,
):
    config = legistar_config(tmp_path, api.url)
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    event(api, 201)["EventAgendaStatusName"] = "Cancelled"  # EventLastModifiedUtc unchanged
    for day in ("2026-03-03", "2026-03-04"):
        assert cli_run("--config", config, "run", now=day).exit_code == 0
    (change,) = changes(cli_run, config, "meeting_change")
    assert change["data"]["what"] == "cancelled"
    assert change["data"]["status_evidence"] == "agenda status: Cancelled"
    assert change["data"]["body"] == "City Council"
    assert change["data"]["meeting_date"] == "2026-03-09"
    assert "cancelled" in change["summary"]
    assert meetings_by_id(tmp_path)["201"].status == "cancelled"


def test_rescheduling_reports_the_old_and_new_date_and_time(tmp_path, api, cli_run):  # noqa: F811
    config = legistar_config(tmp_path, api.url)
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    event(api, 203).update(EventDate="2026-03-17T00:00:00", EventTime="5:00 PM")
    event(api, 201)["EventTime"] = "7:30 PM"
    assert cli_run("--config", config, "run", now="2026-03-03").exit_code == 0
    found = {
        c["data"]["meeting_date"]: c["data"] for c in changes(cli_run, config, "meeting_change")
    }
    assert found["2026-03-17"]["what"] == "rescheduled"
    assert found["2026-03-17"]["previous_date"] == "2026-03-16"
    assert found["2026-03-17"]["start"] == "2026-03-17T17:00:00-07:00"
    assert found["2026-03-09"]["what"] == "rescheduled"
    assert found["2026-03-09"]["previous_start"] == "2026-03-09T18:00:00-07:00"
    assert found["2026-03-09"]["start"] == "2026-03-09T19:30:00-07:00"
    assert len(found) == 2


def test_an_amended_agenda_adding_changing_or_dropping_matches_is_a_meeting_change(
    tmp_path,
    api,  # noqa: F811
    cli_run,
):
    config = legistar_config(tmp_path, api.url)
    data = api.clients["testville"]
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0

    added = copy.deepcopy(data.eventitems[1])
    added.update(EventItemId=7004, EventItemTitle="Zoning text amendment for child-care centers")
    data.eventitems = [*data.eventitems, added]
    event(api, 201)["EventLastModifiedUtc"] = "2026-03-02T23:00:00"
    assert cli_run("--config", config, "run", now="2026-03-03").exit_code == 0

    grants = next(i for i in data.eventitems if i["EventItemId"] == 7002)
    grants["EventItemTitle"] = "Resolution supporting childcare and pre-k workforce grants"
    event(api, 201)["EventLastModifiedUtc"] = "2026-03-03T23:00:00"
    assert cli_run("--config", config, "run", now="2026-03-04").exit_code == 0

    data.eventitems = [i for i in data.eventitems if i["EventItemId"] != 7004]
    event(api, 201)["EventLastModifiedUtc"] = "2026-03-04T23:00:00"
    assert cli_run("--config", config, "run", now="2026-03-05").exit_code == 0

    amended = [c["data"] for c in changes(cli_run, config, "meeting_change")]
    assert [a["what"] for a in amended] == ["agenda amended"] * 3
    assert amended[0]["items_added"] == ["Zoning text amendment for child-care centers"]
    assert amended[1]["items_changed"] == [
        "Resolution supporting childcare and pre-k workforce grants"
    ]
    assert amended[2]["items_removed"] == ["Zoning text amendment for child-care centers"]
    titles = [c["data"]["item_title"] for c in changes(cli_run, config, "agenda_match")]
    assert "Zoning text amendment for child-care centers" in titles


def test_changes_to_meetings_without_matches_are_not_news(tmp_path, api, cli_run):  # noqa: F811
    config = legistar_config(tmp_path, api.url)
    data = api.clients["testville"]
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    before = changes(cli_run, config)
    event(api, 202).update(
        EventAgendaStatusName="Cancelled",
        EventDate="2026-03-12T00:00:00",
        EventLastModifiedUtc="2026-03-02T23:00:00",
    )
    extra = copy.deepcopy(data.eventitems[3])
    extra.update(EventItemId=7103, EventItemTitle="Dog park hours")
    data.eventitems = [*data.eventitems, extra]
    assert cli_run("--config", config, "run", now="2026-03-03").exit_code == 0
    assert changes(cli_run, config) == before
    assert meetings_by_id(tmp_path)["202"].status == "cancelled"


def test_publishing_minutes_is_not_a_change(tmp_path, api, cli_run):  # noqa: F811
    config = legistar_config(tmp_path, api.url)
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    before = changes(cli_run, config)
    event(api, 201).update(
        EventMinutesFile="https://testville.legistar1.com/testville/meetings/Minutes_201.pdf",
        EventMinutesStatusName="Final",
        EventLastModifiedUtc="2026-03-10T17:00:00",
    )
    assert cli_run("--config", config, "run", now="2026-03-11").exit_code == 0
    assert changes(cli_run, config) == before
    assert meetings_by_id(tmp_path)["201"].minutes_url.endswith("Minutes_201.pdf")
