"""Opening the store and the few writes every step shares (sources, crawl runs, changes).

Migrations are applied on first use, so a new SQLite file or an empty PostgreSQL
database is ready without a separate step.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from civicradar.models.privacy import without_private
from civicradar.models.tables import Change, CrawlRun, Jurisdiction, Source

MIGRATIONS = Path(__file__).parent / "migrations"
HEALTHY = "ok"
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


class Store:
    """An engine plus a session factory, migrated to the latest schema."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True, **_engine_options(url))
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate:
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str) -> Store:
    return Store(url)


def alembic_config(engine: Engine | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the latest migration (once per database per process)."""
    key = engine.url.render_as_string(hide_password=False)
    with _migrate_lock:
        if key in _migrated:
            return
        if key.startswith("sqlite") and ":memory:" not in key:
            database = engine.url.database
            if database:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        command.upgrade(alembic_config(engine), "head")
        from civicradar.models.staff_queries import create_views

        create_views(engine)  # views are not alembic-managed: recreated from code each start
        _migrated.add(key)


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# --- configuration mirrored into the store -------------------------------------------


def sync_sources(session: Session, config: Any) -> dict[tuple[str, str], Source]:
    """Make sure every configured jurisdiction and source has a row; return them by ids."""
    rows: dict[tuple[str, str], Source] = {}
    for jurisdiction in config.jurisdictions:
        stored = session.get(Jurisdiction, jurisdiction.id)
        if stored is None:
            stored = Jurisdiction(id=jurisdiction.id)
            session.add(stored)
        stored.name = jurisdiction.name
        stored.timezone = jurisdiction.timezone
        for source in jurisdiction.sources:
            row = session.scalar(
                select(Source).where(
                    Source.jurisdiction_id == jurisdiction.id, Source.key == source.id
                )
            )
            if row is None:
                row = Source(jurisdiction_id=jurisdiction.id, key=source.id, cursor={})
                session.add(row)
            row.type = source.type
            row.platform = source.platform
            row.url = source.url or source.base_url
            rows[(jurisdiction.id, source.id)] = row
    session.flush()
    return rows


# --- crawl runs ------------------------------------------------------------------------


def last_healthy_run(
    session: Session, source_id: int, before_id: int | None = None
) -> CrawlRun | None:
    query = select(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.status == HEALTHY)
    if before_id is not None:
        query = query.where(CrawlRun.id < before_id)
    return session.scalar(query.order_by(CrawlRun.id.desc()).limit(1))


def previous_run(session: Session, run: CrawlRun) -> CrawlRun | None:
    """The detected run just before this one, healthy or not."""
    return session.scalar(
        select(CrawlRun)
        .where(
            CrawlRun.source_id == run.source_id,
            CrawlRun.id < run.id,
            CrawlRun.detected_at.is_not(None),
        )
        .order_by(CrawlRun.id.desc())
        .limit(1)
    )


def undetected_runs(session: Session) -> list[CrawlRun]:
    """Finished runs the monitors have not looked at yet, oldest first."""
    return list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.detected_at.is_(None), CrawlRun.status != "running")
            .order_by(CrawlRun.id)
        )
    )


# --- the change log --------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeDraft:
    """A change a monitor found, before it is in the log."""

    kind: str
    jurisdiction_id: str
    dedupe_key: str
    summary: str
    source_key: str | None = None
    url: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    importance: int = 50


def record_change(
    session: Session, draft: ChangeDraft, *, detected_at: dt.datetime, run_id: int | None = None
) -> Change | None:
    """Add a change unless its dedupe key is already logged; return the new row or None.

    Home addresses never enter the log (``models/privacy.py``)."""
    exists = session.scalar(select(Change.id).where(Change.dedupe_key == draft.dedupe_key))
    if exists is not None:
        return None
    change = Change(
        dedupe_key=draft.dedupe_key,
        kind=draft.kind,
        jurisdiction_id=draft.jurisdiction_id,
        source_key=draft.source_key,
        run_id=run_id,
        detected_at=detected_at,
        summary=draft.summary,
        url=draft.url,
        data=without_private(draft.data),
        importance=draft.importance,
    )
    session.add(change)
    session.flush()
    return change


KEYS_PER_QUERY = 5000  # dedupe keys looked up per query, well under every driver's limit


def record_changes(
    session: Session, drafts: Sequence[ChangeDraft], *, detected_at: dt.datetime, run_id: int
) -> list[int]:
    """Log a run's drafts whose dedupe key is new (the first of repeated keys wins), in
    one executemany; return the new changes' ids in the drafts' order."""
    logged: set[str] = set()
    keys = list(dict.fromkeys(d.dedupe_key for d in drafts))
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        logged.update(
            session.scalars(select(Change.dedupe_key).where(Change.dedupe_key.in_(chunk)))
        )
    rows = []
    for draft in drafts:
        if draft.dedupe_key in logged:
            continue
        logged.add(draft.dedupe_key)
        rows.append(
            {
                "dedupe_key": draft.dedupe_key,
                "kind": draft.kind,
                "jurisdiction_id": draft.jurisdiction_id,
                "source_key": draft.source_key,
                "run_id": run_id,
                "detected_at": detected_at,
                "summary": draft.summary,
                "url": draft.url,
                "data": without_private(draft.data),
                "importance": draft.importance,
            }
        )
    if not rows:
        return []
    session.execute(insert(Change), rows)
    ids = dict(
        session.execute(select(Change.dedupe_key, Change.id).where(Change.run_id == run_id)).all()
    )
    return [ids[row["dedupe_key"]] for row in rows]
