"""Officials are people too: roster runs of role "official" records use the staff kinds.

The monitor is a function of (stored state, this run), so these tests store crawl runs
directly (as the crawl step would) and run the detect step on them.
"""

from __future__ import annotations

import datetime as dt

from civicradar.config import load_config
from civicradar.models.records import PersonRecord
from civicradar.models.store import Store, sync_sources
from civicradar.models.tables import Change, CrawlRun
from civicradar.monitors.detect import detect, records_payload
from tests.conftest import write_config
from tests.fixtures.staff.pages import staff_sources


def _council(*members: tuple[str, str]) -> list[PersonRecord]:
    return [
        PersonRecord(name=name, title=seat, department="City Council", role="official")
        for name, seat in members
    ]


def _store_run(store, config, records, day, status="ok"):
    now = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    with store.session() as session:
        source = sync_sources(session, config)[("testville", "council")]
        session.add(
            CrawlRun(
                source_id=source.id,
                started_at=now,
                finished_at=now,
                status=status,
                records=len(records),
                payload=records_payload(records),
                error=None if status == "ok" else "looks wrong",
            )
        )
    return detect(store, config, now)


def test_roster_changes_of_officials_carry_role_official(tmp_path):
    path = write_config(
        tmp_path,
        staff_sources({"id": "council", "platform": "legistar", "client": "testville"}),
    )
    config = load_config(str(path))
    store = Store(config.database)
    seated = [
        ("Arena, John", "Ward 45"),
        ("Austin, Carrie M.", "Ward 34"),
        ("Beale, Anthony", "Ward 9"),
    ]
    _store_run(store, config, _council(*seated), "2026-03-02")
    after_election = [("Gardiner, Jim", "Ward 45"), ("Austin, Carrie", "Ward 34")]
    after_election.append(("Beale, Anthony", "Ward 9 (President Pro Tem)"))
    for day in ("2026-05-20", "2026-05-21"):
        _store_run(store, config, _council(*after_election), day)
    with store.session() as session:
        changes = {(c.kind, c.data["name"]): c.data for c in session.query(Change)}
    assert set(changes) == {
        ("staff_arrival", "Jim Gardiner"),
        ("staff_role_change", "Anthony Beale"),
        ("staff_departure", "John Arena"),
    }
    assert {data["role"] for data in changes.values()} == {"official"}
    assert changes[("staff_departure", "John Arena")]["last_seen"] == "2026-03-02"
    assert changes[("staff_role_change", "Anthony Beale")]["previous_title"] == "Ward 9"
