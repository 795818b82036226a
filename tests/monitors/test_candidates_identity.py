"""Who a candidate is: repeated rows collapse, a primary and its general are one campaign,
and officials or staff who file are flagged. The detector is a function of (stored state,
this run), so these tests store crawl runs directly and run the detect step, on SQLite
and on PostgreSQL when it is reachable.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from civicradar.config import load_config
from civicradar.models.records import CandidateRecord, PersonRecord
from civicradar.models.store import Store, sync_sources
from civicradar.models.tables import Candidacy, Change, CrawlRun, Election
from civicradar.monitors.detect import detect, records_payload
from tests.conftest import write_config

D = dt.date


@pytest.fixture
def world(tmp_path, store_url):
    config = {
        "database": store_url,
        "jurisdictions": [
            {
                "id": "hickory",
                "name": "City of Hickory",
                "timezone": "America/New_York",
                "sources": [
                    {
                        "id": "council",
                        "type": "staff_directory",
                        "platform": "legistar",
                        "client": "hickory",
                    },
                    {
                        "id": "staff",
                        "type": "staff_directory",
                        "platform": "csv",
                        "url": "http://127.0.0.1:9/staff.csv",
                    },
                    {
                        "id": "filings",
                        "type": "candidate_list",
                        "platform": "csv",
                        "url": "http://127.0.0.1:9/candidates.csv",
                    },
                ],
            }
        ],
    }
    loaded = load_config(str(write_config(tmp_path, config)))
    store = Store(loaded.database)
    yield loaded, store
    store.close()


def run(world, source, records, day, status="ok"):
    config, store = world
    now = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    with store.session() as session:
        row = sync_sources(session, config)[("hickory", source)]
        session.add(
            CrawlRun(
                source_id=row.id,
                started_at=now,
                finished_at=now,
                status=status,
                records=len(records),
                payload=records_payload(records),
            )
        )
    detect(store, config, now)
    with store.session() as session:
        changes = session.scalars(
            select(Change).where(Change.detected_at == now).order_by(Change.id)
        )
        return [(c.kind, c.data) for c in changes]


GENERAL = D(2025, 11, 4)


def cand(name, office, election=GENERAL, **fields):
    return CandidateRecord(name=name, office=office, election_date=election, **fields)


def test_rows_per_county_and_election_make_one_candidacy_per_election(world):
    rows = [
        cand("Arnita M. Dula", "CITY OF HICKORY ALDERMAN WARD 05", D(2025, 10, 7), phone="1"),
        cand("Arnita M. Dula", "CITY OF HICKORY ALDERMAN WARD 05", D(2025, 11, 4)),
        cand("Arnita M. Dula", "CITY OF HICKORY ALDERMAN WARD 05", D(2025, 10, 7)),
        cand("Arnita M. Dula", "CITY OF HICKORY ALDERMAN WARD 05", D(2025, 11, 4), phone="2"),
        cand("Don Tichy", "CITY OF HICKORY MAYOR"),
    ]
    assert run(world, "filings", rows, "2025-08-01") == []
    _, store = world
    with store.session() as session:
        dula = session.scalars(select(Candidacy).where(Candidacy.name == "Arnita M. Dula")).all()
        elections = session.scalars(select(Election).order_by(Election.date)).all()
    assert len(dula) == 2 and {c.office_key for c in dula} == {"hickory council 5"}
    assert {c.phone for c in dula} == {"1", "2"}  # blanks filled from the repeated rows
    assert [(e.name, e.date) for e in elections] == [
        ("2025-10-07 election", D(2025, 10, 7)),
        ("2025-11-04 election", D(2025, 11, 4)),
    ]


def test_a_primary_and_its_general_filed_together_are_one_new_candidate(world):
    run(world, "filings", [cand("Don Tichy", "CITY OF HICKORY MAYOR")], "2025-07-20")
    lyles = [
        cand("Vi Lyles", "CITY OF HICKORY MAYOR", D(2025, 9, 9), party="DEM"),
        cand("Vi Lyles", "CITY OF HICKORY MAYOR", D(2025, 11, 4), party="DEM"),
    ]
    changes = run(
        world, "filings", [cand("Don Tichy", "CITY OF HICKORY MAYOR"), *lyles], "2025-07-21"
    )
    ((kind, data),) = changes
    assert kind == "new_candidate"
    assert data["election_date"] == "2025-09-09"  # the nearest election ahead
    assert data["other_elections"] == ["2025-11-04"]


def test_advancing_to_the_general_later_is_not_a_new_candidate(world):
    mayor = "CITY OF HICKORY MAYOR"
    run(
        world,
        "filings",
        [cand("Don Tichy", mayor), cand("Vi Lyles", mayor, D(2025, 9, 9))],
        "2025-07-20",
    )
    later = [cand("Don Tichy", mayor), cand("Vi Lyles", mayor, D(2025, 11, 4))]
    assert run(world, "filings", later, "2025-09-20") == []


def test_officials_and_staff_who_file_are_flagged(world):
    council = [
        PersonRecord(
            name="Dula, Arnita",
            title="Alderman, Ward 5",
            department="City Council",
            role="official",
        ),
        PersonRecord(
            name="Tony Wood", title="Alderman, Ward 2", department="City Council", role="official"
        ),
    ]
    staff = [
        PersonRecord(
            name="BERG, DIANA",
            title="Planner II",
            department="Planning",
            email="dberg@hickorync.gov",
        ),
        PersonRecord(name="Ed Ruiz", title="Clerk", department="City Clerk"),
    ]
    run(world, "council", council, "2025-07-01")
    run(world, "staff", staff, "2025-07-01")
    run(world, "filings", [cand("Zed Zulu", "CITY OF HICKORY MAYOR")], "2025-07-02")
    filed = [
        cand("Zed Zulu", "CITY OF HICKORY MAYOR"),
        cand("Arnita M. Dula", "CITY OF HICKORY ALDERMAN WARD 05"),
        cand("Diana Berg", "CITY OF HICKORY ALDERMAN WARD 02", email="DBerg@HickoryNC.gov"),
        cand("Sam Newman", "CITY OF HICKORY ALDERMAN WARD 02"),
    ]
    changes = {data["name"]: data for kind, data in run(world, "filings", filed, "2025-07-03")}
    assert set(changes) == {"Arnita M. Dula", "Diana Berg", "Sam Newman"}
    assert changes["Arnita M. Dula"]["incumbent"] is True
    assert changes["Arnita M. Dula"]["insider"] == "Alderman, Ward 5, City Council"
    assert changes["Arnita M. Dula"]["insider_role"] == "official"
    assert changes["Diana Berg"]["incumbent"] is False
    assert changes["Diana Berg"]["insider"] == "Planner II, Planning"
    assert changes["Diana Berg"]["insider_role"] == "staff"
    assert changes["Sam Newman"]["incumbent"] is False and changes["Sam Newman"]["insider"] is None


def test_a_suspicious_run_adds_nothing_and_counts_no_absence(world):
    field = [cand(f"Person {n} Smith{n}", "City Council District 1") for n in range(5)]
    run(world, "filings", field, "2025-07-01")
    changes = run(
        world, "filings", [*field[:2], cand("New Face", "Mayor")], "2025-07-02", "suspicious"
    )
    assert [kind for kind, _ in changes] == ["source_problem"]
    _, store = world
    with store.session() as session:
        stored = session.scalars(select(Candidacy)).all()
    assert len(stored) == 5 and all(c.missing_runs == 0 for c in stored)
    assert {c.last_seen.date() for c in stored if c.name.startswith(("Person 0", "Person 1"))} == {
        D(2025, 7, 2)
    }
