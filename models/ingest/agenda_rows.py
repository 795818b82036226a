"""The rows an agendas run touches, as plain objects ingest reads and writes set-based.

Field names are the columns of ``bodies``, ``meetings``, ``agenda_items`` and
``documents`` (``models/tables.py``); a meeting also carries its items and documents.
Objects compare by identity, as rows do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from civicradar.models.ingest.rows import NOT_A_COLUMN


@dataclass(slots=True, eq=False)
class StoredBody:
    id: int
    source_id: int
    jurisdiction_id: str
    external_id: str
    name: str
    kind: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    last_run_id: int | None


@dataclass(slots=True, eq=False)
class StoredItem:
    id: int
    meeting_id: int
    external_id: str
    title: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    sequence: int = 0
    number: str | None = None
    text: str | None = None
    matter_file: str | None = None
    matter_type: str | None = None
    action: str | None = None
    mover: str | None = None
    seconder: str | None = None
    sponsors: list[Any] = field(default_factory=list)
    document_id: int | None = None
    page: int | None = None


@dataclass(slots=True, eq=False)
class StoredDocument:
    id: int
    meeting_id: int
    kind: str
    url: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    size: int | None = None
    page_count: int | None = None
    pages: list[Any] = field(default_factory=list)
    text: str | None = None
    items: list[Any] = field(default_factory=list)
    status: str = "pending"
    error: str | None = None
    fetched_at: dt.datetime | None = None
    changed_at: dt.datetime | None = None
    replaced_at: dt.datetime | None = None


@dataclass(slots=True, eq=False)
class StoredMeeting:
    id: int
    source_id: int
    jurisdiction_id: str
    external_id: str
    body_name: str
    meeting_date: dt.date
    timezone: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    body_id: int | None = None
    title: str | None = None
    start_utc: dt.datetime | None = None
    time_known: bool = False
    location: str | None = None
    status: str = "scheduled"
    status_evidence: str | None = None
    url: str | None = None
    agenda_url: str | None = None
    minutes_url: str | None = None
    agenda_status: str | None = None
    source_modified: dt.datetime | None = None
    last_run_id: int | None = None
    items: list[StoredItem] = field(default_factory=list, metadata=NOT_A_COLUMN)
    documents: list[StoredDocument] = field(default_factory=list, metadata=NOT_A_COLUMN)

    @property
    def start(self) -> dt.datetime | None:
        """The local start, when the time is known."""
        if not self.time_known or self.start_utc is None:
            return None
        return self.start_utc.astimezone(ZoneInfo(self.timezone))
