"""``civicradar candidates``: listing with filters and formats, and the ``--calendar`` view,
checked against the store after real crawls of a local list, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import Reply
from tests.fixtures.candidates.lists import Filer
from tests.monitors.test_candidates_days import FilingList

SPRING = {"name": "2027 Municipal General", "date": "2027-04-06"}
FIELD = [
    Filer("Ada", "Brook", "Alderman", district="Ward 3", email="ada@brook.org", phone="555-0101",
          address="1 Secret Rd"),
    Filer("Ben", "Castro", "Ward 03 Alderperson", phone="555-0102", status="Qualified"),
    Filer("Cora", "Dunn", "City Council District 4", status="Withdrawn"),
    Filer("Dev", "Ellis", "Mayor", party="Independent"),
    Filer("Elle", "Ford", "Mayor", filed="11/21/2026"),
]  # fmt: skip


@pytest.fixture
def stored(tmp_path, http_server, cli_run, store_url) -> FilingList:
    filings = FilingList(tmp_path, http_server, cli_run, database=store_url, election=SPRING)
    filings.serve(FIELD)
    filings.day("2026-11-25")
    return filings


def candidates(filings, *args, now="2026-11-25"):
    result = filings.cli_run("--config", filings.config, "candidates", *args, now=now)
    assert result.exit_code == 0, result.output
    return result.output


def test_json_is_a_flat_array_without_addresses(stored):
    rows = json.loads(candidates(stored, "--format", "json"))
    assert len(rows) == 5
    assert all(not isinstance(v, dict | list) for row in rows for v in row.values())
    assert "Secret" not in json.dumps(rows) and all("address" not in row for row in rows)
    ada = next(r for r in rows if r["name"] == "Ada Brook")
    assert {k: ada[k] for k in ("office", "district", "office_key", "status", "email")} == {
        "office": "Alderman",
        "district": "Ward 3",
        "office_key": "council 3",
        "status": "filed",
        "email": "ada@brook.org",
    }
    assert (ada["election_date"], ada["days_remaining"]) == ("2027-04-06", 132)
    assert [r["office_key"] for r in rows] == sorted(r["office_key"] for r in rows)


def test_office_filter_finds_the_seat_in_any_spelling(stored):
    rows = json.loads(candidates(stored, "--office", "City Council District 3", "--format", "json"))
    assert sorted(r["name"] for r in rows) == ["Ada Brook", "Ben Castro"]
    rows = json.loads(candidates(stored, "--office", "mayor", "--format", "json"))
    assert sorted(r["name"] for r in rows) == ["Dev Ellis", "Elle Ford"]


def test_status_and_election_filters(stored):
    rows = json.loads(candidates(stored, "--status", "withdrawn", "--format", "json"))
    assert [r["name"] for r in rows] == ["Cora Dunn"]
    assert json.loads(candidates(stored, "--election", "primary", "--format", "json")) == []
    assert len(json.loads(candidates(stored, "--election", "municipal", "--format", "json"))) == 5


def test_past_elections_need_all_or_since(stored):
    later = "2027-05-01"
    assert candidates(stored, now=later).strip() == (
        "no candidates from today on (--all lists past elections too)"
    )
    assert len(json.loads(candidates(stored, "--all", "--format", "json", now=later))) == 5
    rows = json.loads(candidates(stored, "--since", "2027-01-01", "--format", "json", now=later))
    assert len(rows) == 5 and rows[0]["days_remaining"] == -25


def test_calendar_counts_running_and_withdrawn_by_office(stored):
    rows = json.loads(candidates(stored, "--calendar", "--format", "json"))
    assert rows == [
        {
            "jurisdiction": "testville",
            "election": "2027 Municipal General",
            "election_date": "2027-04-06",
            "days_remaining": 132,
            "office": office,
            "candidates": running,
            "withdrawn": withdrawn,
        }
        for office, running, withdrawn in [
            ("Alderman (Ward 3)", 2, 0),
            ("City Council District 4", 0, 1),
            ("Mayor", 2, 0),
        ]
    ]


def test_table_and_csv_formats(stored):
    table = candidates(stored, "--calendar")
    assert "days_remaining" in table and "Alderman (Ward 3)" in table
    text = candidates(stored, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5 and "address" not in rows[0]
    assert list(rows[0])[:6] == [
        "jurisdiction",
        "election_date",
        "days_remaining",
        "office",
        "district",
        "name",
    ]


def test_an_election_without_candidates_yet_is_on_the_calendar(tmp_path, http_server, cli_run):
    filings = FilingList(tmp_path, http_server, cli_run, election=SPRING)
    http_server.routes["/candidates.csv"] = Reply(
        body="Candidate Name,Office\n", content_type="text/csv"
    )
    filings.day("2026-11-25")
    result = cli_run("--config", filings.config, "candidates", "--calendar", now="2026-11-25")
    assert result.exit_code == 0
    rows = json.loads(
        cli_run(
            "--config", filings.config, "candidates", "--calendar", "--format", "json",
            now="2026-11-25",
        ).output
    )  # fmt: skip
    assert rows == [
        {
            "jurisdiction": "testville",
            "election": "2027 Municipal General",
            "election_date": "2027-04-06",
            "days_remaining": 132,
            "office": None,
            "candidates": 0,
            "withdrawn": 0,
        }
    ]


def test_help_documents_the_calendar(cli_run):
    result = cli_run("candidates", "--help")
    assert "--calendar" in result.output and "days_remaining" in result.output


def test_demo_shows_a_council_member_filing_for_mayor_and_a_withdrawal(tmp_path, cli_run):
    output = tmp_path / "demo"
    result = cli_run("demo", "--output", output)
    assert result.exit_code == 0, result.output
    assert (
        "[new_candidate] New candidate: Devon Price (now Council Member, Ward 3, City Council) "
        "for Mayor (2026 Municipal General, 2026-04-07)"
    ) in result.output
    assert "[candidate_update] Samuel Ito withdrew" in result.output
    assert "Sample Ln" not in result.output
    config = output / "civicradar.yaml"
    rows = json.loads(
        cli_run(
            "--config", config, "candidates", "--calendar", "--format", "json",
            now="2026-03-04",
        ).output
    )  # fmt: skip
    assert [(r["office"], r["candidates"], r["withdrawn"], r["days_remaining"]) for r in rows] == [
        ("Council Member (Ward 2)", 1, 0, 34),
        ("Council Member (Ward 4)", 0, 1, 34),
        ("Mayor", 2, 0, 34),
    ]


def test_days_remaining_count_from_the_jurisdictions_date_not_utcs(stored):
    """Testville is in Chicago: at 04:30 UTC on Nov 26 it is still the evening of Nov 25."""

    def days(now: str, *args: str) -> list[int]:
        rows = json.loads(candidates(stored, "--calendar", "--format", "json", *args, now=now))
        return sorted({r["days_remaining"] for r in rows})

    assert days("2026-11-26T04:30:00Z") == [132]
    assert days("2026-11-26T06:30:00Z") == [131]  # 00:30 in Chicago: the next day
    # Election evening in Chicago is already the next day in UTC: still upcoming, 0 days.
    assert days("2027-04-07T03:00:00Z") == [0]
    assert days("2027-04-07T05:30:00Z") == []
    rows = json.loads(candidates(stored, "--format", "json", now="2027-04-07T03:00:00Z"))
    assert len(rows) == 5 and {r["days_remaining"] for r in rows} == {0}
