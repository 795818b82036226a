"""Staff detection as a function of a directory run's diff: no store, no crawl."""

from __future__ import annotations

import datetime as dt

from civicradar.models.ingest.effects import TenureAbsent, TenureEnded
from civicradar.models.ingest.staff import RoleChange, StaffDiff, TenureSnapshot
from civicradar.monitors.staff import detect_staff
from tests.monitors.unit.plain import kinds, moment, run, settings


def tenure(tenure_id: int, name: str, **values) -> TenureSnapshot:
    defaults = {
        "person_id": tenure_id * 10,
        "email": None,
        "role": "staff",
        "title": "Planner",
        "department": "Planning",
        "started_on": dt.date(2026, 1, 5),
        "last_seen": moment("2026-03-09"),
    }
    return TenureSnapshot(tenure_id=tenure_id, name=name, **{**defaults, **values})


def test_new_posts_are_arrivals_with_a_dedupe_key_per_tenure():
    hire = tenure(41, "Nora Quist", title="Planner II", started_on=dt.date(2026, 3, 10))
    found = detect_staff(run(), StaffDiff(inserted=(hire,)), settings())
    (change,) = found.changes
    assert (change.kind, change.dedupe_key) == ("staff_arrival", "staff_arrival:41")
    assert change.summary == "New staff: Nora Quist (Planner II, Planning)"
    assert change.data["tenure_id"] == 41 and change.data["person_id"] == 410
    assert found.effects == []


def test_an_official_arrives_as_an_official():
    seated = tenure(5, "Jim Gardiner", role="official", title="Ward 45", department=None)
    (change,) = detect_staff(run(), StaffDiff(inserted=(seated,)), settings()).changes
    assert change.summary == "New official: Jim Gardiner (Ward 45)"
    assert change.data["role"] == "official"


def test_the_baseline_reports_no_arrivals():
    diff = StaffDiff(inserted=(tenure(1, "Ana Ruiz"), tenure(2, "Bo Chen")))
    assert detect_staff(run(baseline=True), diff, settings()).changes == []


def test_a_new_post_for_a_known_person_is_a_role_change_naming_the_old_post():
    before = tenure(8, "Anthony Beale", title="Ward 9", department="City Council")
    after = tenure(
        12, "Anthony Beale", title="Ward 9 (President Pro Tem)", department="City Council"
    )
    (change,) = detect_staff(
        run(), StaffDiff(updated=(RoleChange(before, after),)), settings()
    ).changes
    assert (change.kind, change.dedupe_key) == ("staff_role_change", "staff_role_change:12")
    assert change.data["previous_title"] == "Ward 9"
    assert change.data["title"] == "Ward 9 (President Pro Tem)"
    assert change.summary == (
        "Anthony Beale: Ward 9, City Council -> Ward 9 (President Pro Tem), City Council"
    )


def test_a_first_absence_is_counted_but_is_no_departure():
    missing = tenure(3, "Ana Ruiz")
    found = detect_staff(run("2026-03-10"), StaffDiff(missing=(missing,)), settings())
    assert found.changes == []
    assert found.effects == [TenureAbsent(3, 1, dt.date(2026, 3, 10))]


def test_a_second_absence_on_another_day_is_a_departure_dated_by_the_last_day_seen():
    missing = tenure(
        3,
        "Ana Ruiz",
        missing_runs=1,
        missing_since=dt.date(2026, 3, 10),
        last_seen=moment("2026-03-09", hour=3),  # 9 p.m. on the 8th in Chicago
    )
    found = detect_staff(run("2026-03-11"), StaffDiff(missing=(missing,)), settings())
    (change,) = found.changes
    assert (change.kind, change.dedupe_key) == ("staff_departure", "staff_departure:3")
    assert change.data["last_seen"] == "2026-03-08"
    assert change.summary == "Ana Ruiz left (Planner, Planning); last seen 2026-03-08"
    assert found.effects == [
        TenureAbsent(3, 2, dt.date(2026, 3, 10)),
        TenureEnded(3, dt.date(2026, 3, 8), "departed"),
    ]


def test_two_absences_on_one_day_are_not_a_departure():
    missing = tenure(3, "Ana Ruiz", missing_runs=1, missing_since=dt.date(2026, 3, 10))
    found = detect_staff(run("2026-03-10"), StaffDiff(missing=(missing,)), settings())
    assert found.changes == []
    assert found.effects == [TenureAbsent(3, 2, dt.date(2026, 3, 10))]


def test_departure_after_runs_is_the_sources_threshold():
    missing = tenure(3, "Ana Ruiz", missing_runs=2, missing_since=dt.date(2026, 3, 9))
    three = settings(departure_after_runs=3)
    assert kinds(detect_staff(run("2026-03-11"), StaffDiff(missing=(missing,)), three)) == [
        ("staff_departure", "Ana Ruiz")
    ]
    four = settings(departure_after_runs=4)
    assert detect_staff(run("2026-03-11"), StaffDiff(missing=(missing,)), four).changes == []


def test_a_suspicious_run_is_no_news_and_counts_no_absence():
    diff = StaffDiff(
        inserted=(tenure(9, "Nora Quist"),),
        missing=(tenure(3, "Ana Ruiz", missing_runs=5, missing_since=dt.date(2026, 3, 1)),),
    )
    found = detect_staff(run(status="suspicious"), diff, settings())
    assert found.changes == [] and found.effects == []


def test_a_304_run_counts_the_absences_its_list_already_had():
    # what ingest reports for a 304: nothing new, the tenures already missing stay missing
    missing = tenure(3, "Ana Ruiz", missing_runs=1, missing_since=dt.date(2026, 3, 3))
    diff = StaffDiff(unchanged=9, missing=(missing,))
    found = detect_staff(run("2026-03-04", unchanged=True), diff, settings())
    assert kinds(found) == [("staff_departure", "Ana Ruiz")]
