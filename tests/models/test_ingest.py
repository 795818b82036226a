"""Ingest writes a run's records and returns what changed, with the values before the run.

Runs are made by hand (``RunFacts``) and ingested straight into a store, on SQLite and on
PostgreSQL when it is reachable; the detectors that judge these diffs are tested in
``tests/monitors/unit``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from civicradar.config import parse_config
from civicradar.models.ingest.agendas import ingest_agendas
from civicradar.models.ingest.candidates import ingest_candidates
from civicradar.models.ingest.effects import TenureAbsent, TenureEnded, apply_effects
from civicradar.models.ingest.run import ElectionRef, RunFacts
from civicradar.models.ingest.staff import ingest_staff
from civicradar.models.records import (
    AgendaItemRecord,
    CandidateRecord,
    MeetingRecord,
    PersonRecord,
)
from civicradar.models.store import Store, sync_sources
from civicradar.models.tables import AgendaItem, CrawlRun, Person, Tenure

CONFIG = parse_config(
    """
initiative: {name: Early Learning, terms: ["child care"]}
jurisdictions:
  - id: springfield
    name: City of Springfield
    timezone: America/Chicago
    sources:
      - {id: staff, type: staff_directory, platform: csv, url: "http://127.0.0.1/s.csv"}
      - {id: filings, type: candidate_list, platform: csv, url: "http://127.0.0.1/c.csv"}
      - {id: council, type: agendas, platform: legistar, client: springfield}
"""
)
GENERAL = ElectionRef("2026 General", dt.date(2026, 11, 3))


@pytest.fixture
def store(store_url):
    store = Store(store_url)
    yield store
    store.close()


def ingest(store, source_key, ingester, records, day, **facts):
    """Record a run of ``source_key`` on ``day`` and ingest ``records`` in one transaction."""
    now = dt.datetime.fromisoformat(f"{day}T15:00:00+00:00")
    with store.session() as session:
        source = sync_sources(session, CONFIG)[("springfield", source_key)]
        run = CrawlRun(source_id=source.id, started_at=now, status=facts.get("status", "ok"))
        session.add(run)
        session.flush()
        run_facts = RunFacts(
            run_id=run.id,
            source_id=source.id,
            source_key=source_key,
            source_type=source.type,
            jurisdiction_id="springfield",
            timezone="America/Chicago",
            status="ok",
            now=now,
            election=GENERAL,
        )
        return ingester(session, replace(run_facts, **facts), records)


def person(name, title="Planner", department="Planning", **values):
    return PersonRecord(name=name, title=title, department=department, **values)


def test_staff_diff_names_new_posts_role_changes_and_the_missing(store):
    first = [person("Ruiz, Ana"), person("Chen, Bo"), person("Diaz, Cy", email="cy@x.test")]
    baseline = ingest(store, "staff", ingest_staff, first, "2026-03-02", baseline=True)
    assert [t.name for t in baseline.inserted] == ["Ana Ruiz", "Bo Chen", "Cy Diaz"]
    assert baseline.updated == () and baseline.missing == ()
    second = [person("Bo Chen", title="Director"), person("DIAZ, CY"), person("Eve Fox")]
    diff = ingest(store, "staff", ingest_staff, second, "2026-03-03")
    assert [t.name for t in diff.inserted] == ["Eve Fox"]
    (promoted,) = diff.updated
    assert (promoted.before.title, promoted.after.title) == ("Planner", "Director")
    assert promoted.before.person_id == promoted.after.person_id
    assert diff.unchanged == 1  # Cy Diaz, however the list spells her
    (missing,) = diff.missing
    assert (missing.name, missing.missing_runs) == ("Ana Ruiz", 0)
    with store.session() as session:
        ended = session.get(Tenure, promoted.before.tenure_id)
        assert (ended.ended_on, ended.end_reason) == (dt.date(2026, 3, 3), "role_change")
        assert session.scalar(select(Person.email).where(Person.name == "Cy Diaz")) == "cy@x.test"


def test_effects_end_a_tenure_and_a_304_reports_it_no_longer(store):
    ingest(store, "staff", ingest_staff, [person("Ana Ruiz"), person("Bo Chen")], "2026-03-02")
    diff = ingest(store, "staff", ingest_staff, [person("Bo Chen")], "2026-03-03")
    (ana,) = diff.missing
    with store.session() as session:
        apply_effects(session, [TenureAbsent(ana.tenure_id, 1, dt.date(2026, 3, 3))])
    again = ingest(store, "staff", ingest_staff, [], "2026-03-04", unchanged=True)
    assert again.unchanged == 1
    assert [(t.name, t.missing_runs) for t in again.missing] == [("Ana Ruiz", 1)]
    with store.session() as session:
        apply_effects(session, [TenureEnded(ana.tenure_id, dt.date(2026, 3, 2))])
    assert ingest(store, "staff", ingest_staff, [], "2026-03-05", unchanged=True).missing == ()


def test_a_suspicious_staff_run_opens_no_post(store):
    ingest(store, "staff", ingest_staff, [person("Ana Ruiz")], "2026-03-02")
    runs = [person("Ana Ruiz", title="Director"), person("Eve Fox")]
    diff = ingest(store, "staff", ingest_staff, runs, "2026-03-03", status="suspicious")
    assert diff.inserted == () and diff.updated == ()
    with store.session() as session:
        assert session.scalar(select(Tenure.title)) == "Planner"


def test_candidate_diff_carries_status_and_office_before_the_run(store):
    slate = [
        CandidateRecord(name="Maria Lopez", office="City Council District 3", status="Filed"),
        CandidateRecord(name="Dan Wu", office="City Council District 4", status="Filed"),
    ]
    first = ingest(store, "filings", ingest_candidates, slate, "2026-03-02", baseline=True)
    assert [(c.name, c.election) for c in first.inserted] == [
        ("Maria Lopez", GENERAL),
        ("Dan Wu", GENERAL),
    ]
    moved = [
        CandidateRecord(name="Maria Lopez", office="Mayor", status="Filed"),
        CandidateRecord(name="Dan Wu", office="Ward 4 Alderman", status="Withdrawn"),
        CandidateRecord(name="Kim Park", office="Mayor"),
    ]
    diff = ingest(store, "filings", ingest_candidates, moved, "2026-03-03")
    assert [c.name for c in diff.inserted] == ["Kim Park"]
    changes = {u.after.name: u for u in diff.updated}
    assert (changes["Maria Lopez"].before.office, changes["Maria Lopez"].after.office) == (
        "City Council District 3",
        "Mayor",
    )
    wu = changes["Dan Wu"]  # "Ward 4 Alderman" is the same seat: only the status changed
    assert (wu.before.office_key, wu.before.status_kind) == (wu.after.office_key, "filed")
    assert wu.after.status_kind == "withdrawn"
    assert diff.earlier == {}  # Kim Park has no earlier campaign


def test_agenda_diff_has_each_meeting_before_and_after(store):
    def meeting(*titles, status="scheduled"):
        items = [AgendaItemRecord(external_id=f"i{n}", title=t) for n, t in enumerate(titles)]
        return MeetingRecord(
            external_id="m1",
            body_name="City Council",
            meeting_date=dt.date(2026, 3, 17),
            status=status,
            items=items,
        )

    first = ingest(store, "council", ingest_agendas, [meeting("Roads")], "2026-03-02")
    (new,) = first.meetings
    assert new.before is None and [i.title for i in new.after.items] == ["Roads"]
    records = [meeting("Roads", "Child care grant", status="cancelled")]
    (changed,) = ingest(store, "council", ingest_agendas, records, "2026-03-03").meetings
    assert changed.before == new.after
    assert changed.after.status == "cancelled"
    assert [i.title for i in changed.after.items] == ["Roads", "Child care grant"]
    (gone,) = ingest(store, "council", ingest_agendas, [meeting("Roads")], "2026-03-04").meetings
    assert [i.title for i in gone.after.items] == ["Roads"]
    with store.session() as session:
        assert session.scalars(select(AgendaItem.title)).all() == ["Roads"]
