"""Scripted days on one CSV staff directory: hires, promotions, moves, departures, renames.

Each day the local server serves the directory as it stands that day; the CLI crawls and
detects with CIVICRADAR_NOW set, and the test asserts exactly the changes recorded.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import Person, Tenure
from tests.conftest import Reply, run_day, write_config
from tests.fixtures.staff.pages import Staffer, socrata_csv, staff_sources, team


class Directory:
    """One city's CSV directory on the local server, advanced a day at a time."""

    def __init__(self, tmp_path, server, cli_run, **source):
        self.server, self.cli_run = server, cli_run
        source = {"id": "staff", "platform": "csv", "url": f"{server.url}/staff.csv", **source}
        self.config = write_config(tmp_path, staff_sources(source))
        self.database = f"sqlite:///{tmp_path / 'civicradar.db'}"
        self.seen_ids: set[int] = set()

    def serve(self, people: list[Staffer], style: str = "upper") -> None:
        self.server.routes["/staff.csv"] = Reply(
            body=socrata_csv(people, style=style), content_type="text/csv"
        )

    def day(self, date: str) -> list[dict]:
        """Crawl and detect on ``date``; the changes recorded that day."""
        return run_day(self.cli_run, self.config, date, self.seen_ids)

    def tenures(self) -> list[Tenure]:
        with Store(self.database).session() as session:
            return list(session.scalars(select(Tenure).order_by(Tenure.id)))

    def people(self) -> list[Person]:
        with Store(self.database).session() as session:
            return list(session.scalars(select(Person).order_by(Person.id)))


def kinds(changes: list[dict]) -> list[tuple[str, str]]:
    return sorted((c["kind"], c["data"].get("name", "")) for c in changes)


@pytest.fixture
def directory(tmp_path, http_server, cli_run) -> Directory:
    return Directory(tmp_path, http_server, cli_run)


def test_first_crawl_is_a_baseline_with_no_arrivals(directory):
    directory.serve(team(10))
    assert directory.day("2026-03-02") == []
    assert len(directory.people()) == 10
    assert all(t.baseline for t in directory.tenures())


def test_a_hire_is_an_arrival_with_name_title_and_department(directory):
    staff = team(10)
    directory.serve(staff)
    directory.day("2026-03-02")
    directory.serve([*staff, Staffer("Nora", "Quist", "Planner II", "Planning")])
    (arrival,) = directory.day("2026-03-03")
    assert arrival["kind"] == "staff_arrival"
    assert arrival["data"]["name"] == "Nora Quist"
    assert arrival["data"]["title"] == "Planner II"
    assert arrival["data"]["department"] == "Planning"
    assert arrival["data"]["role"] == "staff"


def test_departure_needs_two_healthy_absences_and_is_dated_by_the_last_day_seen(directory):
    staff = team(10)
    directory.serve(staff)
    directory.day("2026-03-02")
    directory.day("2026-03-03")
    directory.serve(staff[1:])
    assert directory.day("2026-03-04") == []
    (departure,) = directory.day("2026-03-05")
    assert departure["kind"] == "staff_departure"
    assert departure["data"]["name"] == staff[0].name()
    assert departure["data"]["last_seen"] == "2026-03-03"
    assert departure["data"]["title"] == staff[0].title
    assert directory.day("2026-03-06") == []
    (ended,) = [t for t in directory.tenures() if t.ended_on]
    assert ended.end_reason == "departed" and ended.ended_on.isoformat() == "2026-03-03"


def test_reappearing_before_confirmation_is_not_a_departure(directory):
    staff = team(10)
    directory.serve(staff)
    directory.day("2026-03-02")
    directory.serve(staff[1:])
    assert directory.day("2026-03-03") == []
    directory.serve(staff)
    assert directory.day("2026-03-04") == []
    directory.serve(staff[1:])
    assert directory.day("2026-03-05") == []  # the count started again
    assert kinds(directory.day("2026-03-06")) == [("staff_departure", staff[0].name())]


def test_departure_after_runs_is_configurable_per_source(tmp_path, http_server, cli_run):
    directory = Directory(tmp_path, http_server, cli_run, departure_after_runs=3)
    staff = team(10)
    directory.serve(staff)
    directory.day("2026-03-02")
    directory.serve(staff[1:])
    assert directory.day("2026-03-03") == []
    assert directory.day("2026-03-04") == []
    assert kinds(directory.day("2026-03-05")) == [("staff_departure", staff[0].name())]


def test_promotion_and_department_move_are_role_changes_not_departures(directory):
    staff = team(10)
    directory.serve(staff)
    directory.day("2026-03-02")
    promoted = staff[2].moved(title="Planning Manager")
    moved = staff[3].moved(department="Parks")
    directory.serve([*staff[:2], promoted, moved, *staff[4:]])
    changes = {c["data"]["name"]: c for c in directory.day("2026-03-03")}
    assert set(changes) == {staff[2].name(), staff[3].name()}
    assert {c["kind"] for c in changes.values()} == {"staff_role_change"}
    promotion = changes[staff[2].name()]["data"]
    assert promotion["title"] == "Planning Manager"
    assert promotion["previous_title"] == staff[2].title
    assert promotion["department"] == promotion["previous_department"] == "Planning"
    move = changes[staff[3].name()]["data"]
    assert (move["previous_department"], move["department"]) == ("Planning", "Parks")
    assert directory.day("2026-03-04") == []
    assert directory.day("2026-03-05") == []  # the closed posts never turn into departures
    assert len(directory.people()) == 10


def test_name_format_switches_are_not_changes(directory):
    staff = [s.moved(middle="A") if n % 2 else s for n, s in enumerate(team(10))]
    directory.serve([s.moved(middle="") for s in staff], style="first_last")
    directory.day("2026-03-02")
    directory.serve(staff, style="upper")  # "RUIZ,  ANA A": upper case, Last-First, initial
    assert directory.day("2026-03-03") == []
    directory.serve(staff, style="last_first")
    assert directory.day("2026-03-04") == []
    nicknamed = [staff[0].moved(first='Ana "Annie"'), *staff[1:]]
    directory.serve(nicknamed, style="first_last")
    assert directory.day("2026-03-05") == []
    assert directory.day("2026-03-06") == []
    assert len(directory.people()) == 10
    assert not [t for t in directory.tenures() if t.ended_on]


def test_same_email_with_a_new_name_format_is_one_person(tmp_path, http_server, cli_run):
    url = f"{http_server.url}/staff.json"
    config = write_config(tmp_path, staff_sources({"id": "staff", "platform": "json", "url": url}))
    rows = [
        {"name": "John A. Smith", "title": "Clerk", "department": "Clerk", "email": "js@t.gov"},
        {"name": "Mary Jones", "title": "Planner", "department": "Planning", "email": "mj@t.gov"},
    ]
    http_server.routes["/staff.json"] = Reply(
        body=json.dumps(rows), content_type="application/json"
    )
    for command in ("crawl", "detect"):
        cli_run("--config", config, command, now="2026-03-02")
    rows[0]["name"] = "Smith, Johnny"
    rows[0]["title"] = "City Clerk"
    http_server.routes["/staff.json"] = Reply(
        body=json.dumps(rows), content_type="application/json"
    )
    for command in ("crawl", "detect"):
        cli_run("--config", config, command, now="2026-03-03")
    result = cli_run("--config", config, "changes", "--format", "json", now="2026-03-03")
    (change,) = json.loads(result.output)
    assert change["kind"] == "staff_role_change"
    assert (change["data"]["previous_title"], change["data"]["title"]) == ("Clerk", "City Clerk")


def test_a_shared_role_mailbox_does_not_merge_successors(tmp_path, http_server, cli_run):
    url = f"{http_server.url}/staff.json"
    config = write_config(tmp_path, staff_sources({"id": "staff", "platform": "json", "url": url}))

    def serve(name: str) -> None:
        rows = [
            {"name": name, "title": "Alderman", "department": "Ward 45", "email": "ward45@t.gov"},
            {"name": "Mary Jones", "title": "Clerk", "department": "Clerk", "email": "mj@t.gov"},
            {"name": "Al Green", "title": "Alderman", "department": "Ward 2", "email": "w2@t.gov"},
        ]
        http_server.routes["/staff.json"] = Reply(body=json.dumps(rows))

    days = ["John Arena", "Jim Gardiner", "Jim Gardiner", "Jim Gardiner"]
    for day, name in enumerate(days, start=2):
        serve(name)
        for command in ("crawl", "detect"):
            cli_run("--config", config, command, now=f"2026-03-0{day}")
    result = cli_run("--config", config, "changes", "--format", "json", now="2026-03-05")
    changes = json.loads(result.output)
    assert kinds(changes) == [("staff_arrival", "Jim Gardiner"), ("staff_departure", "John Arena")]


def test_a_department_relabelled_with_generic_words_changes_nothing(directory):
    staff = team(10)
    directory.serve(staff)
    directory.day("2026-03-02")
    baseline = [(t.id, t.person_id) for t in directory.tenures()]
    labels = ["Planning Dept.", "Department of Planning", "Planning Department", "Planning Div."]
    for day, label in enumerate(labels, start=3):
        directory.serve([s.moved(department=label) for s in staff])
        assert directory.day(f"2026-03-{day:02}") == [], label
    tenures = directory.tenures()
    assert [(t.id, t.person_id) for t in tenures] == baseline
    assert {t.department for t in tenures} == {"Planning Div."}  # the label, updated silently
    assert not [t for t in tenures if t.ended_on]
    assert len(directory.people()) == 10


def test_a_real_move_is_a_role_change_on_the_day_the_department_is_relabelled(directory):
    staff = team(10)
    directory.serve(staff)
    directory.day("2026-03-02")
    relabelled = [s.moved(department="Planning Dept.") for s in staff]
    relabelled[3] = staff[3].moved(department="Parks")
    directory.serve(relabelled)
    (move,) = directory.day("2026-03-03")
    assert move["kind"] == "staff_role_change"
    assert move["data"]["name"] == staff[3].name()
    assert (move["data"]["previous_department"], move["data"]["department"]) == (
        "Planning",
        "Parks",
    )
    assert directory.day("2026-03-04") == []
    assert directory.day("2026-03-05") == []
    assert len([t for t in directory.tenures() if t.ended_on]) == 1
