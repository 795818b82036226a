"""The store's tables (SQLAlchemy 2, typed). Documented for SQL users in docs/store.md.

Times are kept as UTC instants (:class:`UTCDateTime`); a meeting also keeps its
jurisdiction's time zone so its local time can always be shown as the city sees it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as naive UTC, read back aware, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given where a zoned one is required")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Jurisdiction(Base):
    __tablename__ = "jurisdictions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")


class Source(Base):
    """One configured source; ``key`` is its id in the config, unique within a jurisdiction."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"))
    key: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(Text)
    problem_status: Mapped[str | None] = mapped_column(String(16))
    problem_since: Mapped[dt.datetime | None]
    recovered_at: Mapped[dt.datetime | None]
    cursor: Mapped[dict[str, Any]] = mapped_column(default=dict)

    jurisdiction: Mapped[Jurisdiction] = relationship()


class CrawlRun(Base):
    """One crawl of one source: its health, its cost, and (until detected) what it saw."""

    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_source_started", "source_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16))  # ok | failed | suspicious | running
    requests: Mapped[int] = mapped_column(default=0)
    bytes: Mapped[int] = mapped_column(default=0)
    not_modified: Mapped[int] = mapped_column(default=0)
    records: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    detected_at: Mapped[dt.datetime | None]
    payload: Mapped[list[Any] | None] = mapped_column(JSON)
    unchanged: Mapped[bool] = mapped_column(Boolean, default=False)
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # crawlers/reading.py

    source: Mapped[Source] = relationship()


class Body(Base):
    """A council, board or committee that holds meetings."""

    __tablename__ = "bodies"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(100))
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        Index("ix_meetings_date", "jurisdiction_id", "meeting_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"))
    external_id: Mapped[str] = mapped_column(String(300))
    body_name: Mapped[str] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    start_utc: Mapped[dt.datetime | None]
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    time_known: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default="scheduled")
    status_evidence: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    agenda_url: Mapped[str | None] = mapped_column(Text)
    minutes_url: Mapped[str | None] = mapped_column(Text)
    agenda_status: Mapped[str | None] = mapped_column(String(100))
    source_modified: Mapped[dt.datetime | None]
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))

    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.sequence", cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    @property
    def start(self) -> dt.datetime | None:
        """The meeting's start in its jurisdiction's time zone."""
        if self.start_utc is None:
            return None
        return self.start_utc.astimezone(ZoneInfo(self.timezone))


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(300))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    matter_file: Mapped[str | None] = mapped_column(String(100))
    matter_type: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str | None] = mapped_column(Text)
    mover: Mapped[str | None] = mapped_column(String(200))
    seconder: Mapped[str | None] = mapped_column(String(200))
    sponsors: Mapped[list[Any]] = mapped_column(default=list)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    page: Mapped[int | None]
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]

    meeting: Mapped[Meeting] = relationship(back_populates="items")


class Document(Base):
    """An agenda, minutes or other file linked from a meeting, with its extracted text."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("meeting_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # agenda | minutes | packet | other
    url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    page_count: Mapped[int | None]
    pages: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str | None] = mapped_column(Text)
    items: Mapped[list[Any]] = mapped_column(default=list)  # {number, title, page, section, text}
    status: Mapped[str] = mapped_column(String(16), default="pending")  # ok | no_text | failed
    error: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[dt.datetime | None]  # last download of a body (not a 304)
    changed_at: Mapped[dt.datetime | None]  # when the content (sha256) last changed
    replaced_at: Mapped[dt.datetime | None]  # the meeting no longer links it (superseded)
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]

    meeting: Mapped[Meeting] = relationship(back_populates="documents")


class Person(Base):
    """One human across spellings and sources within a jurisdiction."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_name_key", "jurisdiction_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"))
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(300), index=True)
    phone: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(200))
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]

    tenures: Mapped[list[Tenure]] = relationship(back_populates="person")


class Tenure(Base):
    """A person's stint in one (title, department) as seen by one source."""

    __tablename__ = "tenures"
    __table_args__ = (
        Index("ix_tenures_source_open", "source_id", "ended_on"),
        Index("ix_tenures_person", "person_id", "started_on"),
        Index("ix_tenures_jurisdiction_span", "jurisdiction_id", "started_on", "ended_on"),
        Index("ix_tenures_department", "department"),
        Index("ix_tenures_started", "started_on"),
        Index("ix_tenures_ended", "ended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"))
    role: Mapped[str] = mapped_column(String(16), default="staff")  # staff | official
    title: Mapped[str | None] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(300))
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    last_seen: Mapped[dt.datetime]
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    missing_runs: Mapped[int] = mapped_column(default=0)
    # the local day of the first absence in a row: a departure needs absences on different days
    missing_since: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(32))  # departed | role_change
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))

    person: Mapped[Person] = relationship(back_populates="tenures")


class Election(Base):
    __tablename__ = "elections"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "name", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"))
    name: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date | None] = mapped_column(Date)  # None: the filing list names no date


class Candidacy(Base):
    """One person running for one office in one election, as the filing lists it."""

    __tablename__ = "candidacies"
    __table_args__ = (
        UniqueConstraint("source_id", "election_id", "candidate_key"),
        Index("ix_candidacies_office", "office_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"))
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    candidate_key: Mapped[str] = mapped_column(String(400))
    external_id: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300))
    office: Mapped[str] = mapped_column(String(300))
    office_key: Mapped[str] = mapped_column(String(300))
    district: Mapped[str | None] = mapped_column(String(100))
    party: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(50))
    status_kind: Mapped[str] = mapped_column(String(32), default="filed")  # filed|qualified|...
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(Text)
    committee: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(Text)  # personal data: never shown in outputs
    insider: Mapped[str | None] = mapped_column(String(32))  # incumbent | official | staff
    insider_title: Mapped[str | None] = mapped_column(String(300))
    incumbent: Mapped[bool] = mapped_column(Boolean, default=False)
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    missing_runs: Mapped[int] = mapped_column(default=0)
    # the local day of the first absence in a row: a departure needs absences on different days
    missing_since: Mapped[dt.date | None] = mapped_column(Date)
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))

    election: Mapped[Election] = relationship()


class Change(Base):
    """One detected change; ``dedupe_key`` makes recording it twice impossible."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_detected", "detected_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    jurisdiction_id: Mapped[str] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    source_key: Mapped[str | None] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    detected_at: Mapped[dt.datetime]
    summary: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    importance: Mapped[int] = mapped_column(default=50)


class Delivery(Base):
    """That a change went (or failed to go) to one recipient over one channel."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("change_id", "channel", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None marks a "nothing new" digest, so it goes out once a day, not once a run
    change_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"))
    channel: Mapped[str] = mapped_column(String(16))  # email | webhook
    recipient: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    batch: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
