"""Days answered ``304 Not Modified`` are the last healthy list served again: the people and
candidates on it were seen that day, and those already missing stay missing one run longer,
so departures and withdrawals are confirmed on schedule and dated by the last day seen."""

from __future__ import annotations

from tests.crawlers.list_days import ListDays, kinds, seen_on
from tests.fixtures.candidates.lists import ELECTION, clerk_csv, slate
from tests.fixtures.staff.pages import Staffer, socrata_csv, team

CSV = "text/csv; charset=utf-8"


def directory(tmp_path, http_server, cli_run, **source) -> ListDays:
    return ListDays(
        tmp_path, http_server, cli_run, "staff_directory", "/staff.csv", platform="csv", **source
    )


def filings(tmp_path, http_server, cli_run, **source) -> ListDays:
    return ListDays(
        tmp_path,
        http_server,
        cli_run,
        "candidate_list",
        "/candidates.csv",
        platform="csv",
        election=ELECTION,
        **source,
    )


def not_modified(days: ListDays) -> list[bool]:
    return [run.unchanged for run in days.runs()]


# --- staff ----------------------------------------------------------------------------


def test_a_departure_is_confirmed_on_304_days_and_dated_by_the_last_day_listed(
    tmp_path, http_server, cli_run, store_url
):
    days = directory(tmp_path, http_server, cli_run, database=store_url, departure_after_runs=3)
    staff = team(10)
    days.serve(socrata_csv(staff), CSV)
    assert days.day("2026-03-02") == []
    days.serve(socrata_csv(staff[1:]), CSV)  # Ana Ruiz is gone from the 3rd on
    assert days.day("2026-03-03") == []
    assert days.day("2026-03-04") == []  # 304: her second absence
    (departure,) = days.day("2026-03-05")  # 304: her third
    assert not_modified(days) == [False, False, True, True]
    assert departure["kind"] == "staff_departure"
    assert departure["data"]["name"] == "Ana Ruiz"
    assert departure["data"]["last_seen"] == "2026-03-02"
    assert days.day("2026-03-06") == []
    ended = [t for t in days.tenures() if t.ended_on]
    assert [(t.ended_on.isoformat(), t.end_reason) for t in ended] == [("2026-03-02", "departed")]
    current = [t for t in days.tenures() if not t.ended_on]
    assert len(current) == 9 and seen_on(current) == {"2026-03-06"}
    assert all(t.missing_runs == 0 for t in current)


def test_days_answered_304_count_as_seen_for_a_later_departure(tmp_path, http_server, cli_run):
    days = directory(tmp_path, http_server, cli_run)
    staff = team(10)
    days.serve(socrata_csv(staff), CSV)
    days.day("2026-03-02")
    assert days.day("2026-03-03") == []  # 304
    hire = Staffer("Nora", "Quist", "Planner II", "Planning")
    days.serve(socrata_csv([*staff[1:], hire]), CSV)
    assert kinds(days.day("2026-03-04")) == [("staff_arrival", "Nora Quist")]
    (departure,) = days.day("2026-03-05")  # 304 with Ana missing: the second absence
    assert not_modified(days) == [False, True, False, True]
    assert (departure["kind"], departure["data"]["name"]) == ("staff_departure", "Ana Ruiz")
    assert departure["data"]["last_seen"] == "2026-03-03"  # listed, by a 304, on the 3rd
    nora = next(t for t in days.tenures() if t.title == "Planner II")
    assert seen_on([nora]) == {"2026-03-05"} and nora.started_on.isoformat() == "2026-03-04"


def test_a_role_change_then_304_days_is_quiet_and_keeps_the_new_post_current(
    tmp_path, http_server, cli_run
):
    days = directory(tmp_path, http_server, cli_run)
    staff = team(10)
    days.serve(socrata_csv(staff), CSV)
    days.day("2026-03-02")
    promoted = staff[2].moved(title="Planning Manager")
    days.serve(socrata_csv([*staff[:2], promoted, *staff[3:]]), CSV)
    assert kinds(days.day("2026-03-03")) == [("staff_role_change", promoted.name())]
    assert days.day("2026-03-04") == []
    assert days.day("2026-03-05") == []
    assert not_modified(days) == [False, False, True, True]
    (old,) = [t for t in days.tenures() if t.ended_on]
    assert (old.end_reason, old.ended_on.isoformat()) == ("role_change", "2026-03-03")
    current = [t for t in days.tenures() if not t.ended_on]
    assert len(current) == 10 and seen_on(current) == {"2026-03-05"}


def test_a_person_back_after_one_absence_is_not_departed_by_later_304s(
    tmp_path, http_server, cli_run
):
    days = directory(tmp_path, http_server, cli_run)
    staff = team(10)
    days.serve(socrata_csv(staff), CSV)
    days.day("2026-03-02")
    days.serve(socrata_csv(staff[1:]), CSV)
    assert days.day("2026-03-03") == []
    days.serve(socrata_csv(staff), CSV)  # back (the same bytes as day 1)
    assert days.day("2026-03-04") == []
    assert days.day("2026-03-05") == []
    assert days.day("2026-03-06") == []
    assert not_modified(days) == [False, False, False, True, True]
    assert not any(t.ended_on for t in days.tenures())
    assert seen_on(days.tenures()) == {"2026-03-06"}


# --- candidates -----------------------------------------------------------------------


def test_a_candidate_left_off_the_list_withdraws_on_a_304_day(
    tmp_path, http_server, cli_run, store_url
):
    days = filings(tmp_path, http_server, cli_run, database=store_url)
    field = slate(10)
    days.serve(clerk_csv(field), CSV)
    assert days.day("2026-11-25") == []
    days.serve(clerk_csv(field[1:]), CSV)
    assert days.day("2026-11-26") == []
    (withdrawal,) = days.day("2026-11-27")  # 304: the second run without her
    assert not_modified(days) == [False, False, True]
    data = withdrawal["data"]
    assert (withdrawal["kind"], data["name"], data["what"]) == (
        "candidate_update",
        field[0].name(),
        "withdrew",
    )
    assert (data["reason"], data["last_seen"], data["previous_status"]) == (
        "no longer listed",
        "2026-11-25",
        "filed",
    )
    assert days.day("2026-11-28") == []  # 304: no second withdrawal
    listed = [c for c in days.candidacies() if c.status_kind == "filed"]
    assert len(listed) == 9 and seen_on(listed) == {"2026-11-28"}
    days.serve(clerk_csv(field), CSV)
    (back,) = days.day("2026-11-29")
    assert (back["data"]["name"], back["data"]["what"]) == (field[0].name(), "listed again")


def test_304_days_keep_counting_absences_at_the_configured_pace(tmp_path, http_server, cli_run):
    days = filings(tmp_path, http_server, cli_run, departure_after_runs=3)
    field = slate(10)
    days.serve(clerk_csv(field), CSV)
    days.day("2026-11-25")
    assert days.day("2026-11-26") == []  # 304, nobody missing
    days.serve(clerk_csv(field[:9]), CSV)
    assert days.day("2026-11-27") == []
    assert days.day("2026-11-28") == []  # 304
    assert kinds(days.day("2026-11-29")) == [("candidate_update", field[9].name())]  # 304
    assert not_modified(days) == [False, True, False, True, True]
    (gone,) = [c for c in days.candidacies() if c.status_kind == "withdrawn"]
    assert gone.missing_runs == 3 and seen_on([gone]) == {"2026-11-26"}


def test_a_candidate_marked_withdrawn_who_drops_off_is_not_news_on_304_days(
    tmp_path, http_server, cli_run
):
    days = filings(tmp_path, http_server, cli_run)
    field = slate(10)
    days.serve(clerk_csv(field), CSV)
    days.day("2026-11-25")
    withdrawn = [field[0].but(status="Withdrawn"), *field[1:]]
    days.serve(clerk_csv(withdrawn), CSV)
    assert kinds(days.day("2026-11-26")) == [("candidate_update", field[0].name())]
    days.serve(clerk_csv(field[1:]), CSV)  # then taken off the list
    assert days.day("2026-11-27") == []
    assert days.day("2026-11-28") == []  # 304
    assert days.day("2026-11-29") == []  # 304
    assert not_modified(days) == [False, False, False, True, True]
    first = days.candidacies()[0]
    assert (first.status_kind, first.missing_runs) == ("withdrawn", 3)
    assert seen_on([first]) == {"2026-11-26"}
    assert seen_on(days.candidacies()[1:]) == {"2026-11-29"}
