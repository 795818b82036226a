"""Scripted days on a county clerk's CSV candidate list: filings, status changes, office
moves, corrections, and absences. The CLI crawls and detects with CIVICRADAR_NOW set and
each test asserts exactly the changes recorded that day.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import Candidacy, Election
from tests.conftest import Reply, run_day, write_config
from tests.fixtures.candidates.lists import ELECTION, Filer, candidate_sources, clerk_csv, slate


class FilingList:
    """One candidate list on the local server, advanced a day at a time."""

    def __init__(self, tmp_path, server, cli_run, database=None, extra_sources=(), **source):
        self.server, self.cli_run = server, cli_run
        source = {
            "id": "filings",
            "platform": "csv",
            "url": f"{server.url}/candidates.csv",
            "election": ELECTION,
            **source,
        }
        config = candidate_sources(source)
        config["jurisdictions"][0]["sources"].extend(extra_sources)
        self.database = database or f"sqlite:///{tmp_path / 'civicradar.db'}"
        config["database"] = self.database
        self.config = write_config(tmp_path, config)
        self.seen_ids: set[int] = set()

    def serve(self, filers: list[Filer]) -> None:
        self.server.routes["/candidates.csv"] = Reply(
            body=clerk_csv(filers), content_type="text/csv; charset=utf-8"
        )

    def fail(self, reply: Reply) -> None:
        self.server.routes["/candidates.csv"] = reply

    def day(self, date: str) -> list[dict]:
        """Crawl and detect on ``date``; the changes recorded that day."""
        return run_day(self.cli_run, self.config, date, self.seen_ids)

    def candidacies(self) -> list[Candidacy]:
        with Store(self.database).session() as session:
            return list(session.scalars(select(Candidacy).order_by(Candidacy.id)))

    def elections(self) -> list[Election]:
        with Store(self.database).session() as session:
            return list(session.scalars(select(Election).order_by(Election.id)))


def kinds(changes: list[dict]) -> list[tuple[str, str]]:
    return sorted((c["kind"], c["data"].get("name", c["data"].get("status", ""))) for c in changes)


@pytest.fixture
def filings(tmp_path, http_server, cli_run) -> FilingList:
    return FilingList(tmp_path, http_server, cli_run)


NEW = Filer(
    "Nora",
    "Quist",
    "Alderman",
    district="Ward 3",
    party="Independent",
    filed="11/24/2026",
    email="Nora@QuistForWard3.org",
    phone="555-0142",
    website="https://quistforward3.org",
    address="42 Private Lane",
)


def test_first_crawl_is_a_baseline_with_no_new_candidates(filings):
    filings.serve(slate(10))
    assert filings.day("2026-11-25") == []
    stored = filings.candidacies()
    assert len(stored) == 10 and all(c.baseline for c in stored)
    (election,) = filings.elections()
    assert (election.name, election.date.isoformat()) == (ELECTION["name"], ELECTION["date"])


def test_a_new_filing_is_a_new_candidate_with_contact_details_and_no_address(filings):
    field = slate(10)
    filings.serve(field)
    filings.day("2026-11-25")
    filings.serve([*field, NEW])
    (change,) = filings.day("2026-11-26")
    assert change["kind"] == "new_candidate"
    assert change["data"] == {
        "name": "Nora Quist",
        "office": "Alderman",
        "district": "Ward 3",
        "office_key": "council 3",
        "election": "2027 Municipal General",
        "election_date": "2027-04-06",
        "filed_on": "2026-11-24",
        "party": "Independent",
        "status": "filed",
        "status_text": "Filed",
        "email": "nora@quistforward3.org",
        "phone": "555-0142",
        "website": "https://quistforward3.org",
        "committee": None,
        "incumbent": False,
        "insider": None,
        "insider_role": None,
        "candidacy_id": change["data"]["candidacy_id"],
    }
    assert "Private Lane" not in json.dumps(change)
    assert change["summary"] == (
        "New candidate: Nora Quist for Alderman (Ward 3) (2027 Municipal General, 2027-04-06)"
    )
    assert filings.day("2026-11-27") == []  # idempotent: nothing new the next day
    (stored,) = [c for c in filings.candidacies() if c.name == "Nora Quist"]
    assert stored.address == "42 Private Lane" and not stored.baseline


def test_withdrawal_qualification_and_disqualification_are_candidate_updates(filings):
    field = slate(10)
    filings.serve(field)
    filings.day("2026-11-25")
    field[0], field[1], field[2] = (
        field[0].but(status="Withdrawn"),
        field[1].but(status="Qualified"),
        field[2].but(status="Not Qualified - insufficient signatures"),
    )
    filings.serve(field)
    changes = {c["data"]["name"]: c for c in filings.day("2026-11-26")}
    assert {n: (c["kind"], c["data"]["what"]) for n, c in changes.items()} == {
        field[0].name(): ("candidate_update", "withdrew"),
        field[1].name(): ("candidate_update", "qualified"),
        field[2].name(): ("candidate_update", "disqualified"),
    }
    withdrew = changes[field[0].name()]["data"]
    assert withdrew["status"] == "withdrawn" and withdrew["previous_status"] == "filed"
    assert withdrew["office"] == "City Council" and withdrew["status_text"] == "Withdrawn"
    assert filings.day("2026-11-27") == []


def test_same_person_filing_for_another_office_is_an_office_change_not_a_new_candidate(filings):
    field = slate(10)
    filings.serve(field)
    filings.day("2026-11-25")
    field[4] = field[4].but(office="Mayor", district="")
    filings.serve(field)
    (change,) = filings.day("2026-11-26")
    assert change["kind"] == "candidate_update"
    assert change["data"]["what"] == "office_changed"
    assert change["data"]["office"] == "Mayor"
    assert change["data"]["previous_office"] == "City Council"
    assert change["data"]["previous_status"] == "filed" and change["data"]["status"] == "filed"
    assert len(filings.candidacies()) == 10


def test_corrections_of_spelling_and_office_wording_are_not_news(filings):
    field = [NEW, *slate(9)]
    filings.serve(field)
    filings.day("2026-11-25")
    field[0] = NEW.but(first="Norah", office="Ward 03 Alderperson", district="")
    field[1] = field[1].but(office="City Council District " + field[1].district[-1], district="")
    filings.serve(field)
    assert filings.day("2026-11-26") == []
    assert filings.day("2026-11-27") == []  # the old spellings are not absent either
    names = {c.name for c in filings.candidacies()}
    assert "Norah Quist" in names and len(names) == 10


def test_absence_from_two_healthy_runs_is_a_withdrawal_and_a_return_is_noted(filings):
    field = slate(10)
    filings.serve(field)
    filings.day("2026-11-25")
    filings.serve(field[1:])
    assert filings.day("2026-11-26") == []
    (gone,) = filings.day("2026-11-27")
    assert gone["kind"] == "candidate_update"
    assert gone["data"]["what"] == "withdrew"
    assert gone["data"]["reason"] == "no longer listed"
    assert gone["data"]["last_seen"] == "2026-11-25"
    assert gone["data"]["previous_status"] == "filed"
    assert filings.day("2026-11-28") == []
    filings.serve(field)
    (back,) = filings.day("2026-11-29")
    assert back["data"]["what"] == "listed again" and back["data"]["status"] == "filed"


def test_absence_after_the_election_is_not_a_withdrawal(filings):
    field = slate(10)
    filings.serve(field)
    filings.day("2027-04-01")
    filings.serve(field[1:])
    filings.day("2027-04-07")
    assert filings.day("2027-04-08") == []


@pytest.mark.parametrize(
    "fault",
    [
        Reply(status=500, body="Internal Server Error", content_type="text/plain"),
        Reply(status=200, body="", content_type="text/csv"),
        Reply(status=200, body="<html><body>Please log in</body></html>"),
    ],
    ids=["http-500", "empty", "login-page"],
)
def test_a_failing_list_is_one_source_problem_and_never_withdrawals(filings, fault):
    field = slate(10)
    filings.serve(field)
    filings.day("2026-11-25")
    filings.fail(fault)
    (problem,) = filings.day("2026-11-26")
    assert problem["kind"] == "source_problem"
    assert filings.day("2026-11-27") == []  # one report per episode
    assert filings.day("2026-11-28") == []
    filings.serve(field)
    assert [c["kind"] for c in filings.day("2026-11-29")] in ([], ["source_problem"])
    assert all(c.status_kind == "filed" for c in filings.candidacies())


def test_a_truncated_download_is_a_failure_not_withdrawals(filings, http_server):
    field = slate(20)
    filings.serve(field)
    filings.day("2026-11-25")
    http_server.routes["/candidates.csv"] = Reply(
        body=clerk_csv(field), content_type="text/csv", truncate=True
    )
    assert kinds(filings.day("2026-11-26")) == [("source_problem", "failed")]
    assert kinds(filings.day("2026-11-27")) == []
    assert all(c.missing_runs == 0 for c in filings.candidacies())


def test_a_sudden_drop_is_suspicious_and_its_absences_are_not_withdrawals(filings):
    field = slate(20)
    filings.serve(field)
    filings.day("2026-11-25")
    filings.serve(field[:8])  # 60% of the list gone overnight
    (problem,) = filings.day("2026-11-26")
    assert (problem["kind"], problem["data"]["status"]) == ("source_problem", "suspicious")
    assert filings.day("2026-11-27") == []
    filings.serve([*field, NEW])
    changes = filings.day("2026-11-28")
    assert ("new_candidate", "Nora Quist") in kinds(changes)
    assert all(c.missing_runs == 0 for c in filings.candidacies())


def test_new_filings_on_a_suspicious_day_are_announced_once_the_list_is_healthy(filings):
    field = slate(20)
    filings.serve(field)
    filings.day("2026-11-25")
    filings.serve([*field[:5], NEW])
    assert kinds(filings.day("2026-11-26")) == [("source_problem", "suspicious")]
    filings.serve([*field, NEW])
    assert ("new_candidate", "Nora Quist") in kinds(filings.day("2026-11-27"))


def test_a_reworded_status_of_the_same_kind_is_not_news(filings):
    field = slate(10)
    field[0] = field[0].but(status="Qualified")
    filings.serve(field)
    filings.day("2026-11-25")
    field[0] = field[0].but(status="Certified to ballot")
    field[1] = field[1].but(status="Pending review")
    filings.serve(field)
    assert filings.day("2026-11-26") == []
    (stored,) = [c for c in filings.candidacies() if c.name == field[0].name()]
    assert (stored.status, stored.status_kind) == ("Certified to ballot", "qualified")
