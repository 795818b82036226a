"""The CivicPlus AgendaCenter agendas spider: a page written for the project served locally
(made-up Maplewood), and the captured AgendaCenter pages of the shared corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import Reply
from tests.conftest import logged_changes as changes
from tests.crawlers.test_rss import crawl_runs, rss_config, stored_meetings

FIXTURE = Path(__file__).parents[1] / "fixtures" / "civicplus_agendas" / "agendacenter.html"
CORPUS_PAGES = ("agendas", "civicplus")


def agendacenter_config(tmp_path: Path, url: str, **extra) -> Path:
    config = rss_config(tmp_path, url, **extra)
    config.write_text(config.read_text().replace("platform: rss", "platform: civicplus"))
    return config


def test_agendacenter_rows_become_meetings_with_bodies_links_and_matches(
    tmp_path, http_server, cli_run
):
    page = FIXTURE.read_text(encoding="utf-8")
    http_server.routes["/AgendaCenter"] = lambda request: Reply(body=page)
    config = agendacenter_config(tmp_path, http_server.url + "/AgendaCenter")
    result = cli_run("--config", config, "run", now="2026-11-25")
    assert result.exit_code == 0, result.output
    assert "maplewood/meetings: ok, 3 records" in result.output

    meetings = stored_meetings(tmp_path)
    assert sorted(meetings) == ["1441", "1450", "1453"]
    council = meetings["1450"]
    assert (council.body_name, council.meeting_date, council.start) == (
        "City Council",
        dt.date(2026, 12, 8),
        None,  # "Posted Nov 24, 2026 4:03 PM" is when the agenda went up, not the meeting
    )
    assert council.agenda_url == http_server.url + "/AgendaCenter/ViewFile/Agenda/_12082026-1450"
    assert council.agenda_status == "Posted Nov 24, 2026 4:03 PM"
    work_session = meetings["1441"]
    assert work_session.agenda_status == "Amended Nov 20, 2026 9:40 AM"
    assert work_session.minutes_url.endswith("/AgendaCenter/ViewFile/Minutes/_11232026-1441")
    assert meetings["1453"].body_name == "Parks and Recreation Commission"

    (match,) = changes(cli_run, config, "agenda_match")
    assert match["data"]["body"] == "City Council"
    assert match["data"]["matched_terms"] == ["pre-k"]

    page = page.replace(
        "City Council Regular Meeting: public hearing",
        "CANCELLED - City Council Regular Meeting: public hearing",
    )
    result = cli_run("--config", config, "run", now="2026-11-26")
    assert "1 meeting_change" in result.output
    (cancelled,) = changes(cli_run, config, "meeting_change")
    assert cancelled["data"]["what"] == "cancelled"


def test_a_page_without_agenda_rows_is_a_source_problem(tmp_path, http_server, cli_run):
    page = FIXTURE.read_text(encoding="utf-8")
    replies = {"page": page}
    http_server.routes["/AgendaCenter"] = lambda request: Reply(body=replies["page"])
    config = agendacenter_config(tmp_path, http_server.url + "/AgendaCenter")
    assert cli_run("--config", config, "run", now="2026-11-25").exit_code == 0
    replies["page"] = "<html><body><h1>Agenda Center</h1><p>Site maintenance</p></body></html>"
    assert cli_run("--config", config, "run", now="2026-11-26").exit_code == 0
    run = crawl_runs(tmp_path)[-1]
    assert run.status == "suspicious" and "no AgendaCenter rows" in run.error
    assert [c["kind"] for c in changes(cli_run, config)] == ["agenda_match", "source_problem"]
    assert len(stored_meetings(tmp_path)) == 3


def crawl_corpus_page(tmp_path, corpus, cli_run, name):
    page = corpus.joinpath(*CORPUS_PAGES, name)
    config = agendacenter_config(tmp_path, page.as_uri(), days_back=3650, days_ahead=3650)
    result = cli_run("--config", config, "run", now="2026-11-25")
    assert result.exit_code == 0, result.output
    assert crawl_runs(tmp_path)[0].status == "ok"
    return stored_meetings(tmp_path)


def test_corpus_las_cruces_search_page(tmp_path, corpus, cli_run):
    meetings = crawl_corpus_page(
        tmp_path, corpus, cli_run, "agendacenter-las-cruces-nm-search-2020-11.html"
    )
    assert len(meetings) == 28
    assert len({m.body_name for m in meetings.values()}) == 20
    (housing,) = [m for m in meetings.values() if m.body_name == "Housing PRC"]
    assert housing.meeting_date == dt.date(2020, 11, 18)
    assert housing.agenda_url.endswith("/AgendaCenter/ViewFile/Agenda/_11182020-806?html=true")
    planning = sorted(
        m.meeting_date for m in meetings.values() if m.body_name == "Planning and Zoning Commission"
    )
    assert planning == [dt.date(2020, 11, 24), dt.date(2020, 12, 14)]
    amended = {
        (m.body_name, m.meeting_date.isoformat(), m.agenda_status)
        for m in meetings.values()
        if (m.agenda_status or "").startswith("Amended")
    }
    assert amended == {
        (
            "Las Cruces Economic Recovery Ad Hoc Board",
            "2020-11-19",
            "Amended Nov 18, 2020 9:40 AM",
        ),
        ("Senior Programs Advisory Board", "2020-12-10", "Amended Dec 10, 2020 7:26 AM"),
    }


def test_corpus_nash_county_meeting_with_agenda_and_minutes(tmp_path, corpus, cli_run):
    meetings = crawl_corpus_page(
        tmp_path, corpus, cli_run, "agendacenter-nash-county-nc-search-2020-05-05.html"
    )
    (meeting,) = meetings.values()
    assert meeting.body_name == "Board of Commissioners"
    assert meeting.meeting_date == dt.date(2020, 5, 5)
    assert meeting.title == "May 5, 2020 Recessed Meeting/Budget Work Session Agenda"
    assert meeting.agenda_url.endswith("/AgendaCenter/ViewFile/Agenda/_05052020-382")
    assert meeting.minutes_url.endswith("/AgendaCenter/ViewFile/Minutes/_05052020-382")


def test_corpus_alameda_water_district_two_bodies(tmp_path, corpus, cli_run):
    meetings = crawl_corpus_page(
        tmp_path, corpus, cli_run, "agendacenter-alameda-county-water-district.html"
    )
    assert sorted((m.meeting_date.isoformat(), m.agenda_url[-14:]) for m in meetings.values()) == [
        ("2024-09-03", "_09032024-1448"),
        ("2024-09-04", "_09042024-1447"),
    ]
    assert len({m.body_name for m in meetings.values()}) == 2
