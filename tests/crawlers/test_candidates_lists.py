"""Candidate list spiders (csv, json, html_table) against the local server: the records each
format yields, with columns detected from real export layouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import CrawlRun
from tests.conftest import Reply, write_config
from tests.fixtures.candidates.lists import (
    ELECTION,
    Filer,
    candidate_sources,
    candidates_html,
    candidates_json,
    clerk_csv,
    nc_csv,
)

QUIST = Filer(
    "Nora",
    "Quist",
    "Alderman",
    district="Ward 3",
    party="Independent",
    status="Qualified",
    filed="07/11/2026",
    email="Nora@QuistForWard3.org",
    phone="555-0142",
    website="https://quistforward3.org",
    address="42 Private Lane",
)


def crawl(cli_run: Any, folder: Path, source: dict[str, Any], now: str = "2026-11-25", env=None):
    """The crawl run and its candidate records (crawl only: detection would prune them)."""
    config = write_config(folder, candidate_sources({"id": "filings", **source}))
    result = cli_run("--config", config, "crawl", now=now, env=env)
    assert result.exit_code == 0, result.output
    with Store(f"sqlite:///{folder / 'civicradar.db'}").session() as session:
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        records = [r for r in run.payload or [] if r["record_type"] == "candidate"]
        return run, records


def test_clerk_csv_yields_every_field_and_keeps_the_address_for_the_store_only(
    tmp_path, http_server, cli_run
):
    http_server.routes["/c.csv"] = Reply(body=clerk_csv([QUIST]), content_type="text/csv")
    run, (record,) = crawl(
        cli_run,
        tmp_path,
        {"platform": "csv", "url": f"{http_server.url}/c.csv", "election": ELECTION},
    )
    assert run.status == "ok"
    assert record == {
        "record_type": "candidate",
        "name": "Nora Quist",
        "office": "Alderman",
        "district": "Ward 3",
        "party": "Independent",
        "status": "Qualified",
        "filed_on": "2026-07-11",
        "election_name": "2027 Municipal General",
        "election_date": "2027-04-06",
        "email": "nora@quistforward3.org",
        "phone": "555-0142",
        "website": "https://quistforward3.org",
        "committee": None,
        "address": "42 Private Lane",
        "external_id": None,
        "extra": {},
    }


def test_state_board_layout_in_windows_1252_with_dates_flags_and_name_parts(
    tmp_path, http_server, cli_run
):
    filers = [
        Filer("José", "Peña", "CITY OF HICKORY MAYOR", party="DEM", phone="8285550101",
              email="jose@pena.org", filed="07/18/2025", election_date="11/04/2025",
              address="1954 Cañon St"),
        Filer("Theodore", "Howard", "CITY OF HICKORY ALDERMAN WARD 05", middle="R",
              nickname="Ted", suffix="JR", filed="07/09/2025", election_date="11/04/2025"),
    ]  # fmt: skip
    body = nc_csv(filers, ballot_names=False)
    assert "PEÑA".encode("cp1252") in body
    http_server.routes["/nc.csv"] = Reply(body=body, content_type="text/csv")
    run, records = crawl(cli_run, tmp_path, {"platform": "csv", "url": f"{http_server.url}/nc.csv"})
    assert run.status == "ok"
    pena, howard = records
    assert pena["name"] == "JOSÉ PEÑA"
    assert (pena["filed_on"], pena["election_date"]) == ("2025-07-18", "2025-11-04")
    assert pena["email"] == "jose@pena.org" and pena["phone"] == "8285550101"
    assert pena["party"] == "DEM" and pena["address"] == "1954 CAÑON ST"
    assert pena["extra"] == {
        "county_name": "CATAWBA",
        "state": "NC",
        "is_unexpired": "false",
        "has_primary": "false",
        "is_partisan": "true",
        "vote_for": "1",
        "term": "4",
    }
    assert howard["name"] == 'THEODORE "TED" R HOWARD JR'


def test_ballot_name_column_wins_over_name_parts(tmp_path, http_server, cli_run):
    filer = Filer("Theodore", "Howard", "TOWN OF CEDAR ROCK TOWN COUNCIL", nickname="Ted")
    http_server.routes["/nc.csv"] = Reply(body=nc_csv([filer]), content_type="text/csv")
    _, (record,) = crawl(cli_run, tmp_path, {"platform": "csv", "url": f"{http_server.url}/nc.csv"})
    assert record["name"] == "Theodore (Ted) Howard"


def test_json_list_under_a_key(tmp_path, http_server, cli_run):
    http_server.routes["/c.json"] = Reply(
        body=candidates_json([QUIST]), content_type="application/json"
    )
    _, (record,) = crawl(
        cli_run,
        tmp_path,
        {"platform": "json", "url": f"{http_server.url}/c.json", "election": ELECTION},
    )
    assert (record["name"], record["office"], record["district"]) == (
        "Nora Quist",
        "Alderman",
        "Ward 3",
    )
    assert (record["status"], record["filed_on"]) == ("Qualified", "2026-07-11")
    assert record["address"] == "42 Private Lane" and record["extra"] == {}


def test_html_table_reads_mailto_and_website_links(tmp_path, http_server, cli_run):
    http_server.routes["/filings"] = Reply(body=candidates_html([QUIST]))
    _, (record,) = crawl(
        cli_run,
        tmp_path,
        {"platform": "html_table", "url": f"{http_server.url}/filings", "election": ELECTION},
    )
    assert record["email"] == "nora@quistforward3.org"
    assert record["website"] == "https://quistforward3.org"
    assert (record["office"], record["district"], record["status"]) == (
        "Alderman",
        "Ward 3",
        "Qualified",
    )


def test_truncated_html_page_is_a_failure(tmp_path, http_server, cli_run):
    http_server.routes["/filings"] = Reply(body=candidates_html([QUIST], closed=False))
    run, _ = crawl(
        cli_run,
        tmp_path,
        {"platform": "html_table", "url": f"{http_server.url}/filings", "election": ELECTION},
    )
    assert run.status == "failed" and "truncated" in run.error


def test_configured_fields_override_detection(tmp_path, http_server, cli_run):
    body = "Who,Seat,When\nAda Brook,Mayor,12/01/2026\n"
    http_server.routes["/c.csv"] = Reply(body=body, content_type="text/csv")
    source = {
        "platform": "csv",
        "url": f"{http_server.url}/c.csv",
        "fields": {"name": "Who", "office": "Seat", "filed_on": "When"},
    }
    _, (record,) = crawl(cli_run, tmp_path, source)
    assert (record["name"], record["office"], record["filed_on"]) == (
        "Ada Brook",
        "Mayor",
        "2026-12-01",
    )
    assert record["election_date"] is None


def test_rows_for_another_election_keep_their_own_date(tmp_path, http_server, cli_run):
    filers = [QUIST.but(election_date="04/06/2027"), QUIST.but(election_date="02/23/2027")]
    http_server.routes["/nc.csv"] = Reply(body=nc_csv(filers), content_type="text/csv")
    _, records = crawl(
        cli_run,
        tmp_path,
        {"platform": "csv", "url": f"{http_server.url}/nc.csv", "election": ELECTION},
    )
    assert [(r["election_name"], r["election_date"]) for r in records] == [
        ("2027 Municipal General", "2027-04-06"),
        (None, "2027-02-23"),
    ]
