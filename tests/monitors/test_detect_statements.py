"""Detection is set-based: the SQL statements one run costs do not grow with the list.

Each scenario is detected for a small and a large list (same changes in both), counting
every statement the engine sends (an executemany counts once: one call of the driver),
on SQLite and on PostgreSQL when it is reachable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from civicradar.config import load_config
from civicradar.config.schema import Config
from civicradar.models.records import (
    AgendaItemRecord,
    BodyRecord,
    CandidateRecord,
    DocumentRecord,
    MeetingRecord,
    PersonRecord,
    Record,
)
from civicradar.models.store import Store, sync_sources
from civicradar.models.tables import CrawlRun
from civicradar.monitors.detect import detect, records_payload
from tests.conftest import write_config

SMALL, LARGE = 50, 2000


@contextmanager
def counting(store: Store) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def _world(tmp_path, store_url: str, source: dict, size: int) -> tuple[Config, Store]:
    """One store for both sizes, a jurisdiction of its own for each."""
    place = {"id": f"metro{size}", "name": "Metro", "timezone": "America/Chicago"}
    data = {"database": store_url, "jurisdictions": [{**place, "sources": [source]}]}
    config = load_config(str(write_config(tmp_path, data, name=f"metro{size}.yaml")))
    return config, Store(config.database)


def _detect_day(
    config: Config, store: Store, day: str, records: list[Record] | None, status: str = "ok"
) -> tuple[int, dict[str, int]]:
    """Store one run of the only source as the crawl step would, then count what detecting
    it costs. ``records`` None is a 304: the last healthy list again. Returns the count
    and the changes found, by kind."""
    now = dt.datetime.fromisoformat(f"{day}T15:00:00+00:00")
    with store.session() as session:
        (source,) = sync_sources(session, config).values()
        session.add(
            CrawlRun(
                source_id=source.id,
                started_at=now,
                finished_at=now,
                status=status,
                records=len(records or []),
                payload=records_payload(records or []),
                unchanged=records is None,
            )
        )
    with counting(store) as statements:
        found = detect(store, config, now)
    return len(statements), found.by_kind


def _costs(
    tmp_path, store_url, source, plan: Callable[[int], list[tuple]], sizes=(SMALL, LARGE)
) -> dict[int, list]:
    """Per size, per day: (statements, changes by kind)."""
    costs = {}
    for size in sizes:
        config, store = _world(tmp_path, store_url, source, size)
        try:
            costs[size] = [
                _detect_day(config, store, day, records, status)
                for day, records, status in plan(size)
            ]
        finally:
            store.close()
    return costs


# --- staff ------------------------------------------------------------------------------


def _staff(size: int, *, skip: int = -1, hires: int = 0, promote: int = -1) -> list[Record]:
    people: list[Record] = []
    for n in range(size):
        if n == skip:
            continue
        title = "Director" if n == promote else f"Analyst {n % 5}"
        people.append(
            PersonRecord(
                name=f"Person{n:05d}, Pat Q.",
                title=title,
                department=("Planning", "Parks", "Finance")[n % 3],
                email=f"p{n}@metro.test",
                phone=f"555-{n:04d}",
            )
        )
    for n in range(hires):
        people.append(PersonRecord(name=f"Newhire{n}, Alex", title="Clerk", department="Parks"))
    return people


def _staff_plan(size: int) -> list[tuple[str, list[Record] | None, str]]:
    changed = _staff(size, skip=3, hires=2, promote=7)
    return [
        ("2026-03-02", _staff(size), "ok"),  # baseline
        ("2026-03-03", changed, "ok"),  # 2 arrivals, 1 role change, 1 absence
        ("2026-03-04", None, "ok"),  # 304: the absent one departs
        ("2026-03-05", changed[: size // 2], "suspicious"),
        ("2026-03-06", changed, "ok"),
    ]


def test_detecting_a_staff_run_costs_the_same_statements_for_50_and_2000_people(
    tmp_path, store_url
):
    source = {"id": "staff", "type": "staff_directory", "platform": "csv", "url": "http://x/s"}
    costs = _costs(tmp_path, store_url, source, _staff_plan)
    assert [kinds for _, kinds in costs[LARGE]] == [
        {},
        {"staff_arrival": 2, "staff_role_change": 1},
        {"staff_departure": 1},
        {"source_problem": 1},
        {},
    ]
    assert costs[SMALL] == costs[LARGE]


# --- candidates -------------------------------------------------------------------------


def _slate(size: int, *, skip: int = -1, new: int = 0, withdrawn: int = -1) -> list[Record]:
    rows: list[Record] = []
    for n in range(size):
        if n == skip:
            continue
        rows.append(
            CandidateRecord(
                name=f"Runner{n:05d}, Sam",
                office=f"Council District {n % 40 + 1}",
                status="Withdrawn" if n == withdrawn else "Filed",
                email=f"r{n}@vote.test",
            )
        )
    for n in range(new):
        rows.append(CandidateRecord(name=f"Fresh{n}, Kim", office="Mayor", status="Filed"))
    return rows


def _candidate_plan(size: int) -> list[tuple[str, list[Record] | None, str]]:
    changed = _slate(size, skip=3, new=2, withdrawn=5)
    return [
        ("2026-03-02", _slate(size), "ok"),  # baseline
        ("2026-03-03", changed, "ok"),  # 2 new, 1 withdrew, 1 absence
        ("2026-03-04", None, "ok"),  # 304: the absent one is taken for withdrawn
        ("2026-03-05", changed[: size // 2], "suspicious"),
        ("2026-03-06", changed, "ok"),
    ]


def test_detecting_a_candidate_run_costs_the_same_statements_for_50_and_2000_filings(
    tmp_path, store_url
):
    source = {
        "id": "filings",
        "type": "candidate_list",
        "platform": "csv",
        "url": "http://x/c",
        "election": {"name": "2026 General", "date": "2026-11-03"},
    }
    costs = _costs(tmp_path, store_url, source, _candidate_plan)
    assert [kinds for _, kinds in costs[LARGE]] == [
        {},
        {"new_candidate": 2, "candidate_update": 1},
        {"candidate_update": 1},
        {"source_problem": 1},
        {},
    ]
    assert costs[SMALL] == costs[LARGE]


# --- agendas ----------------------------------------------------------------------------


def _agenda(size: int, *, added: bool = False, cancelled: bool = False) -> list[Record]:
    """``size`` meetings of five items each, one about child care, and their agenda PDF."""
    records: list[Record] = [BodyRecord(external_id="b1", name="City Council")]
    for n in range(size):
        titles = ["Child care grant", *(f"Resurfacing of street {i}" for i in range(1, 5))]
        if added and n == 1:
            titles.append("Child care centers lease")
        records.append(
            MeetingRecord(
                external_id=f"m{n}",
                body_external_id="b1",
                body_name="City Council",
                meeting_date=dt.date(2026, 4, 1) + dt.timedelta(days=n),
                status="cancelled" if cancelled and n == 2 else "scheduled",
                items=[
                    AgendaItemRecord(external_id=f"{n}-{i}", sequence=i, title=title)
                    for i, title in enumerate(titles)
                ],
                documents=[
                    DocumentRecord(
                        url=f"https://city.test/{n}.pdf",
                        sha256=f"{n:064d}",
                        status="ok",
                        pages=["1. Child care grant", "2. Resurfacing of street 1"],
                    )
                ],
            )
        )
    return records


def test_detecting_an_agendas_run_costs_the_same_statements_for_10_and_200_meetings(
    tmp_path, store_url
):
    source = {"id": "council", "type": "agendas", "platform": "legistar", "client": "metro"}

    def plan(size: int) -> list[tuple[str, list[Record] | None, str]]:
        return [
            ("2026-03-02", _agenda(size), "ok"),  # baseline: a match per meeting
            ("2026-03-03", _agenda(size, added=True, cancelled=True), "ok"),
            ("2026-03-04", _agenda(size)[: size // 2], "suspicious"),
        ]

    costs = _costs(tmp_path, store_url, source, plan, sizes=(10, 200))
    assert [kinds for _, kinds in costs[200]] == [
        {"agenda_match": 200},
        {"agenda_match": 1, "meeting_change": 2},
        {"source_problem": 1},
    ]
    assert [statements for statements, _ in costs[10]] == [n for n, _ in costs[200]]
