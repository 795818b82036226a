"""Candidate detection as a function of a filing list run's diff: no store, no crawl."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from civicradar.models.ingest.candidacies import CandidacySnapshot, CandidacyUpdate, CandidateDiff
from civicradar.models.ingest.effects import CandidacyAbsent, CandidacyWithdrawn
from civicradar.models.ingest.run import ElectionRef
from civicradar.monitors.candidates import detect_candidates
from tests.monitors.unit.plain import GENERAL, kinds, moment, run, settings

PRIMARY = ElectionRef("2026 Primary", dt.date(2026, 6, 2))


def candidacy(candidacy_id: int, name: str, **values) -> CandidacySnapshot:
    key = name.lower().replace(",", "")
    defaults = {
        "name_key": key,
        "office": "City Council District 3",
        "office_key": "council 3",
        "district": None,
        "party": None,
        "status": "Filed",
        "status_kind": "filed",
        "filed_on": None,
        "email": None,
        "phone": None,
        "website": None,
        "committee": None,
        "incumbent": False,
        "insider": None,
        "insider_title": None,
        "election": GENERAL,
        "last_seen": moment("2026-03-09"),
    }
    return CandidacySnapshot(id=candidacy_id, name=name, **{**defaults, **values})


def facts(day: str = "2026-03-10", **values):
    return run(day, source_key="filings", source_type="candidate_list", **values)


def test_a_new_candidacy_is_a_new_candidate():
    new = candidacy(21, "Maria Lopez", email="maria@vote.test")
    (change,) = detect_candidates(facts(), CandidateDiff(inserted=(new,)), settings()).changes
    assert (change.kind, change.dedupe_key) == ("new_candidate", "new_candidate:21")
    assert change.summary == (
        "New candidate: Maria Lopez for City Council District 3 (2026 General, 2026-11-03)"
    )
    assert change.data["email"] == "maria@vote.test"
    assert change.data["election_date"] == "2026-11-03"


def test_the_baseline_announces_nobody():
    diff = CandidateDiff(inserted=(candidacy(1, "Maria Lopez"), candidacy(2, "Dan Wu")))
    assert detect_candidates(facts(baseline=True), diff, settings()).changes == []


def test_a_known_campaign_within_a_year_is_quiet():
    new = candidacy(30, "Maria Lopez")
    earlier = {("maria lopez", "council 3"): (dt.date(2026, 6, 2),)}
    diff = CandidateDiff(inserted=(new,), earlier=earlier)
    assert detect_candidates(facts(), diff, settings()).changes == []
    long_ago = {("maria lopez", "council 3"): (dt.date(2022, 11, 8),)}
    diff = CandidateDiff(inserted=(new,), earlier=long_ago)
    assert kinds(detect_candidates(facts(), diff, settings())) == [("new_candidate", "Maria Lopez")]


def test_one_person_and_office_in_two_elections_is_one_change_for_the_nearest():
    general = candidacy(31, "Maria Lopez")
    primary = candidacy(32, "Maria Lopez", election=PRIMARY)
    found = detect_candidates(facts(), CandidateDiff(inserted=(general, primary)), settings())
    (change,) = found.changes
    assert change.dedupe_key == "new_candidate:32"
    assert change.data["other_elections"] == ["2026-11-03"]


def test_an_insider_running_is_flagged_and_ranks_higher():
    staffer = candidacy(40, "Ana Ruiz", insider="staff", insider_title="Planner, Planning")
    (change,) = detect_candidates(facts(), CandidateDiff(inserted=(staffer,)), settings()).changes
    assert "(on staff: Planner, Planning)" in change.summary
    assert change.importance == 80


def test_a_status_turning_withdrawn_or_qualified_is_an_update():
    before = candidacy(5, "Dan Wu")
    withdrew = replace(before, status="WD", status_kind="withdrawn")
    qualified = replace(before, status="Certified", status_kind="qualified")
    diff = CandidateDiff(
        updated=(CandidacyUpdate(before, withdrew), CandidacyUpdate(before, qualified))
    )
    changes = detect_candidates(facts(), diff, settings()).changes
    assert [(c.data["what"], c.data["previous_status"]) for c in changes] == [
        ("withdrew", "filed"),
        ("qualified", "filed"),
    ]
    assert changes[0].dedupe_key == "candidate_update:5:withdrew:7"
    assert changes[0].summary == "Dan Wu withdrew (City Council District 3; was filed)"


def test_a_status_reworded_or_cleared_is_not_news():
    before = candidacy(5, "Dan Wu", status="Certified", status_kind="qualified")
    reworded = replace(before, status="On ballot")
    cleared = replace(before, status=None, status_kind="filed")
    new_phone = replace(before, phone="555-0100")
    diff = CandidateDiff(
        updated=tuple(CandidacyUpdate(before, a) for a in (reworded, cleared, new_phone))
    )
    assert detect_candidates(facts(), diff, settings()).changes == []


def test_listed_again_after_being_taken_for_withdrawn():
    gone = candidacy(5, "Dan Wu", status="no longer listed", status_kind="withdrawn")
    back = replace(gone, status="Filed", status_kind="filed")
    diff = CandidateDiff(updated=(CandidacyUpdate(gone, back),))
    (change,) = detect_candidates(facts(), diff, settings()).changes
    assert (change.data["what"], change.data["previous_status"]) == ("listed again", "withdrawn")


def test_a_new_office_in_the_same_election_is_an_office_change():
    before = candidacy(5, "Dan Wu")
    after = replace(before, office="Mayor", office_key="mayor")
    diff = CandidateDiff(updated=(CandidacyUpdate(before, after),))
    (change,) = detect_candidates(facts(), diff, settings()).changes
    assert change.data["what"] == "office_changed"
    assert change.data["previous_office"] == "City Council District 3"
    assert change.summary == "Dan Wu now runs for Mayor (was City Council District 3)"


def test_absent_on_two_days_before_the_election_is_a_withdrawal():
    missing = candidacy(
        6,
        "Lee Park",
        missing_runs=1,
        missing_since=dt.date(2026, 3, 10),
        last_seen=moment("2026-03-09"),
    )
    found = detect_candidates(facts("2026-03-11"), CandidateDiff(missing=(missing,)), settings())
    (change,) = found.changes
    assert change.data["what"] == "withdrew"
    assert change.data["reason"] == "no longer listed"
    assert change.data["last_seen"] == "2026-03-09"
    assert (change.data["status"], change.data["status_text"]) == ("withdrawn", "no longer listed")
    assert found.effects == [
        CandidacyAbsent(6, 2, dt.date(2026, 3, 10)),
        CandidacyWithdrawn(6, "no longer listed", "withdrawn"),
    ]


def test_absences_are_counted_but_not_news_after_the_election_or_once_withdrawn():
    past = candidacy(7, "Old Race", election=ElectionRef("2025 General", dt.date(2025, 11, 4)))
    withdrawn = candidacy(8, "Quit Early", status_kind="withdrawn", status="WD")
    missing = tuple(
        replace(c, missing_runs=3, missing_since=dt.date(2026, 3, 1)) for c in (past, withdrawn)
    )
    found = detect_candidates(facts(), CandidateDiff(missing=missing), settings())
    assert found.changes == []
    assert [e.candidacy_id for e in found.effects] == [7, 8]


def test_a_suspicious_run_is_no_news():
    diff = CandidateDiff(
        inserted=(candidacy(1, "Maria Lopez"),),
        missing=(candidacy(2, "Dan Wu", missing_runs=4, missing_since=dt.date(2026, 3, 1)),),
    )
    found = detect_candidates(facts(status="suspicious"), diff, settings())
    assert found.changes == [] and found.effects == []


def test_a_304_run_counts_the_absences_its_list_already_had():
    missing = candidacy(6, "Lee Park", missing_runs=1, missing_since=dt.date(2026, 3, 3))
    diff = CandidateDiff(unchanged=40, missing=(missing,))
    found = detect_candidates(facts("2026-03-04", unchanged=True), diff, settings())
    assert kinds(found) == [("candidate_update", "Lee Park")]
