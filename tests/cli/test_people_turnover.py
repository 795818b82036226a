"""``people`` and ``turnover`` on SQLite and PostgreSQL, and the same answers from the views.

A scripted history: a baseline on 2026-03-02 (Planning 6, Parks 4); on 2026-03-10 a hire
in Parks and a promotion in Planning; Bo Ruiz leaves Planning after 2026-03-10 (confirmed
on 2026-03-12, dated 2026-03-10, the last day seen).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import text

from civicradar.models.store import Store
from tests.conftest import Reply, write_config
from tests.fixtures.staff.pages import Staffer, socrata_csv, staff_sources, team


@pytest.fixture
def history(tmp_path, http_server, cli_run, store_url):
    staff = [s if n < 6 else s.moved(department="Parks") for n, s in enumerate(team(10))]
    hired = Staffer("Nora", "Quist", "Ranger", "Parks")
    promoted = staff[0].moved(title="Planning Manager")
    days = {
        "2026-03-02": staff,
        "2026-03-10": [promoted, *staff[1:], hired],
        "2026-03-11": [promoted, staff[2], *staff[3:], hired],
        "2026-03-12": [promoted, staff[2], *staff[3:], hired],
    }
    source = {"id": "staff", "platform": "csv", "url": f"{http_server.url}/staff.csv"}
    config = write_config(tmp_path, staff_sources(source, database=store_url))
    for day, people in days.items():
        http_server.routes["/staff.csv"] = Reply(body=socrata_csv(people, style="upper"))
        for command in ("crawl", "detect"):
            assert cli_run("--config", config, command, now=day).exit_code == 0

    def run(*args: str) -> str:
        result = cli_run("--config", config, *args, now="2026-03-12")
        assert result.exit_code == 0, result.output
        return result.output

    run.store_url = store_url
    run.staff = staff
    return run


def _json(output: str) -> list[dict]:
    rows = json.loads(output)
    assert all(not isinstance(v, dict | list) for row in rows for v in row.values())
    return rows


def test_people_lists_current_people_with_filters(history):
    rows = _json(history("people", "--format", "json"))
    assert len(rows) == 10
    assert "Bo Ruiz" not in {r["name"] for r in rows}
    parks = _json(history("people", "--department", "parks", "--format", "json"))
    assert sorted(r["name"] for r in parks) == sorted(
        [*(s.name() for s in history.staff[6:]), "Nora Quist"]
    )
    managers = _json(history("people", "--title", "manager", "--format", "json"))
    assert [(r["name"], r["title"], r["department"]) for r in managers] == [
        ("Ana Ruiz", "Planning Manager", "Planning")
    ]
    assert _json(history("people", "--role", "official", "--format", "json")) == []
    assert [
        r["name"] for r in _json(history("people", "--since", "2026-03-05", "--format", "json"))
    ] == ["Nora Quist"]
    assert "Planning Manager" in history("people")
    table = list(csv.DictReader(io.StringIO(history("people", "--format", "csv"))))
    assert len(table) == 10 and {"name", "title", "department", "email"} <= table[0].keys()


def test_turnover_lists_tenures_that_started_or_ended_in_the_window(history):
    rows = _json(history("turnover", "--since", "2026-03-05", "--format", "json"))
    events = sorted(
        (r["name"], r["event"], r["title"], r["started_on"], r["ended_on"]) for r in rows
    )
    assert events == [
        ("Ana Ruiz", "role_change", "Analyst 1", "2026-03-02", "2026-03-10"),
        ("Ana Ruiz", "started", "Planning Manager", "2026-03-10", None),
        ("Bo Ruiz", "departed", "Analyst 2", "2026-03-02", "2026-03-10"),
        ("Nora Quist", "started", "Ranger", "2026-03-10", None),
    ]
    assert _json(history("turnover", "--until", "2026-03-09", "--format", "json")) == []
    parks = _json(history("turnover", "--department", "Parks", "--format", "json"))
    assert [r["name"] for r in parks] == ["Nora Quist"]


def test_stayed_through_a_date(history):
    before = _json(history("turnover", "--stayed-through", "2026-03-05", "--format", "json"))
    assert len(before) == 10  # everyone from the baseline, Bo included (he left later)
    assert {r["name"]: r["left_on"] for r in before}["Bo Ruiz"] == "2026-03-10"
    after = _json(history("turnover", "--stayed-through", "2026-03-11", "--format", "json"))
    assert "Bo Ruiz" not in {r["name"] for r in after}
    assert "Nora Quist" in {r["name"] for r in after}
    assert {r["name"]: r["title"] for r in after}["Ana Ruiz"] == "Planning Manager"


def test_turnover_rate_per_department_per_year(history):
    rows = _json(history("turnover", "--rate", "--format", "json"))
    found = {(r["department"], r["year"]): r for r in rows}
    planning = found[("Planning", 2026)]
    assert (planning["headcount_start"], planning["headcount_end"], planning["departures"]) == (
        6,
        5,
        1,
    )
    assert planning["turnover_rate"] == round(1 / 5.5, 4)
    assert found[("Parks", 2026)]["departures"] == 0


def test_views_give_the_same_answers_in_plain_sql(history):
    store = Store(history.store_url)
    with store.engine.connect() as connection:
        current = connection.execute(
            text("SELECT name FROM current_people WHERE department = :d ORDER BY name"),
            {"d": "Parks"},
        ).scalars()
        departed = connection.execute(
            text(
                "SELECT name, ended_on FROM tenure_history "
                "WHERE end_reason = 'departed' AND ended_on >= :since"
            ),
            {"since": "2026-03-01"},
        ).all()
    cli = _json(history("people", "--department", "Parks", "--format", "json"))
    assert list(current) == sorted(r["name"] for r in cli)
    assert [(name, str(ended)) for name, ended in departed] == [("Bo Ruiz", "2026-03-10")]


def test_web_api_gives_the_cli_answers(history, tmp_path):
    from starlette.testclient import TestClient

    from civicradar.config import load_config
    from civicradar.web import create_app

    config = load_config(tmp_path / "civicradar.yaml")
    client = TestClient(create_app(config, Store(config.database)))
    cli = {
        "people": _json(history("people", "--department", "Planning", "--format", "json")),
        "turnover": _json(history("turnover", "--since", "2026-03-05", "--format", "json")),
        "stayed": _json(history("turnover", "--stayed-through", "2026-03-11", "--format", "json")),
    }
    web = {
        "people": client.get("/api/people", params={"department": "Planning"}).json(),
        "turnover": client.get("/api/turnover", params={"since": "2026-03-05"}).json(),
        "stayed": client.get("/api/turnover", params={"stayed_through": "2026-03-11"}).json(),
    }
    assert web == cli and cli["people"] and cli["turnover"] and cli["stayed"]
    rate = client.get("/api/turnover", params={"rate": "1", "department": "Planning"}).json()
    assert [(r["year"], r["departures"]) for r in rate] == [(2026, 1)]
    refused = client.get("/api/turnover", params={"role": "mayor"})
    assert refused.status_code == 400 and "role" in refused.json()["error"]
