"""The store migrates itself, keeps times zoned and logs each change once (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from civicradar.config import parse_config
from civicradar.models.store import ChangeDraft, Store, record_change, sync_sources, table_names
from civicradar.models.tables import Base, Change, CrawlRun, Jurisdiction, Meeting, Source

CONFIG = parse_config(
    """
initiative: {name: Early Learning, terms: ["child care"]}
jurisdictions:
  - id: springfield
    name: City of Springfield
    timezone: America/Chicago
    sources:
      - {id: council, type: agendas, platform: legistar, client: springfield}
      - {id: staff, type: staff_directory, platform: csv, url: "http://127.0.0.1/s.csv"}
"""
)
NOW = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


def test_a_new_database_is_migrated_on_first_use(store_url):
    store = Store(store_url)
    names = set(table_names(store.engine))
    expected = {
        "jurisdictions",
        "sources",
        "crawl_runs",
        "bodies",
        "meetings",
        "agenda_items",
        "documents",
        "people",
        "tenures",
        "elections",
        "candidacies",
        "changes",
        "deliveries",
        "alembic_version",
    }
    assert expected <= names
    store.close()
    Store(store_url).close()  # opening again is harmless


def test_migrations_match_the_models(store_url):
    store = Store(store_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_sources_are_mirrored_from_config_idempotently(store_url):
    store = Store(store_url)
    for _ in range(2):
        with store.session() as session:
            rows = sync_sources(session, CONFIG)
    assert set(rows) == {("springfield", "council"), ("springfield", "staff")}
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Source)) == 2
        assert session.get(Jurisdiction, "springfield").timezone == "America/Chicago"


def test_times_come_back_zoned_and_meetings_show_local_time(store_url):
    store = Store(store_url)
    local = dt.datetime(2026, 3, 10, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    with store.session() as session:
        source = sync_sources(session, CONFIG)[("springfield", "council")]
        session.add(
            Meeting(
                source_id=source.id,
                jurisdiction_id="springfield",
                external_id="e1",
                body_name="City Council",
                start_utc=local,
                meeting_date=local.date(),
                time_known=True,
                timezone="America/Chicago",
                first_seen=NOW,
                last_seen=NOW,
            )
        )
    with store.session() as session:
        meeting = session.scalar(select(Meeting))
        assert meeting.start_utc == local
        assert meeting.start_utc.tzinfo is not None
        assert meeting.start.isoformat() == "2026-03-10T18:30:00-05:00"
        assert meeting.first_seen == NOW


def test_a_change_is_logged_once_per_dedupe_key(store_url):
    store = Store(store_url)
    draft = ChangeDraft(
        kind="agenda_match",
        jurisdiction_id="springfield",
        dedupe_key="agenda_match:1:e1:i1",
        summary="Child care item",
        data={"matched_terms": ["child care"]},
    )
    with store.session() as session:
        sync_sources(session, CONFIG)
        first = record_change(session, draft, detected_at=NOW)
        again = record_change(session, draft, detected_at=NOW)
    assert first is not None and again is None
    with store.session() as session:
        (change,) = session.scalars(select(Change)).all()
        assert change.data == {"matched_terms": ["child care"]}
        assert change.detected_at == NOW


def test_home_addresses_never_enter_the_change_log(store_url):
    store = Store(store_url)
    draft = ChangeDraft(
        kind="new_candidate",
        jurisdiction_id="springfield",
        dedupe_key="new_candidate:1:jane",
        summary="Jane Roe filed for Mayor",
        data={
            "name": "Jane Roe",
            "email": "jane@example.org",
            "address": "12 Elm St",
            "filing": {"home_address": "12 Elm St", "zip": "62701", "website": "https://x.org"},
        },
    )
    with store.session() as session:
        sync_sources(session, CONFIG)
        record_change(session, draft, detected_at=NOW)
    with store.session() as session:
        change = session.scalars(select(Change)).one()
        assert change.data == {
            "name": "Jane Roe",
            "email": "jane@example.org",
            "filing": {"website": "https://x.org"},
        }


def test_crawl_runs_keep_their_records_payload(store_url):
    store = Store(store_url)
    with store.session() as session:
        source = sync_sources(session, CONFIG)[("springfield", "staff")]
        session.add(
            CrawlRun(
                source_id=source.id,
                started_at=NOW,
                status="ok",
                records=1,
                payload=[{"record_type": "person", "name": "Ana Ruiz"}],
            )
        )
    with store.session() as session:
        run = session.scalar(select(CrawlRun))
        assert run.payload[0]["name"] == "Ana Ruiz"
        assert run.detected_at is None
