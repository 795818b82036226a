"""The typed records that spiders emit: validated once at the boundary, then stored.

A spider yields these and nothing else; the store never sees a raw dict from a page.
Each record serializes to JSON (``model_dump(mode="json")``) so a crawl run can keep
what it saw until the monitors have compared it with the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_type: str

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, values: object) -> object:
        """Empty cells are absent values, not empty strings."""
        if isinstance(values, dict):
            return {
                key: None if isinstance(value, str) and not value.strip() else value
                for key, value in values.items()
            }
        return values


class BodyRecord(Record):
    record_type: Literal["body"] = "body"
    external_id: Text
    name: Text
    kind: str | None = None


FEED_ENTRY_ITEM = "feed-entry"
"""The id of the one item that stands for a whole feed entry (title and description) when
a platform lists meetings without their items; matched like an item, but its edits are
not agenda amendments (a cancelled or moved entry is reported as that, not as amended)."""


class AgendaItemRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: Text
    sequence: int = 0
    number: str | None = None
    title: Text
    text: str | None = None
    matter_file: str | None = None
    matter_type: str | None = None
    action: str | None = None
    mover: str | None = None
    seconder: str | None = None
    sponsors: list[str] = Field(default_factory=list)


class DocumentItemRecord(BaseModel):
    """An agenda item as a document's layout shows it (numbered line, wrapped title); the
    file or matter number printed with it ("26-3202", "RES 2026-14") is ``matter_file``."""

    model_config = ConfigDict(extra="forbid")

    number: str | None = None
    title: Text
    page: int = 1
    section: str | None = None
    text: str | None = None
    matter_file: str | None = None


class DocumentRecord(BaseModel):
    """A document linked from a meeting; the text is filled in by the document fetcher."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["agenda", "minutes", "packet", "other"] = "agenda"
    url: Text
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    size: int | None = None
    pages: list[str] | None = None
    page_count: int | None = None
    items: list[DocumentItemRecord] = Field(default_factory=list)
    status: Literal["ok", "no_text", "failed", "unchanged", "pending"] = "pending"
    error: str | None = None


class MeetingRecord(Record):
    """One meeting; ``start`` is zoned (the jurisdiction's zone) or absent."""

    record_type: Literal["meeting"] = "meeting"
    external_id: Text
    body_external_id: str | None = None
    body_name: Text
    title: str | None = None
    meeting_date: dt.date
    start: dt.datetime | None = None
    location: str | None = None
    status: Literal["scheduled", "cancelled", "postponed", "rescheduled"] = "scheduled"
    status_evidence: str | None = None
    url: str | None = None
    agenda_url: str | None = None
    minutes_url: str | None = None
    agenda_status: str | None = None
    source_modified: dt.datetime | None = None
    items_fetched: bool = True
    items: list[AgendaItemRecord] = Field(default_factory=list)
    documents: list[DocumentRecord] = Field(default_factory=list)

    @field_validator("start")
    @classmethod
    def _zoned(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("meeting start must carry its time zone")
        return value


class PersonRecord(Record):
    """A person as one directory or roster lists them."""

    record_type: Literal["person"] = "person"
    name: Text
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phone: str | None = None
    external_id: str | None = None
    url: str | None = None
    role: Literal["staff", "official"] = "staff"

    @field_validator("email")
    @classmethod
    def _normal_email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().removeprefix("mailto:").split("?")[0].strip().lower()
        return value if "@" in value else None


class CandidateRecord(Record):
    """One candidacy as a filing list shows it. ``address`` is personal data: store only."""

    record_type: Literal["candidate"] = "candidate"
    name: Text
    office: Text
    district: str | None = None
    party: str | None = None
    status: str | None = None
    filed_on: dt.date | None = None
    election_name: str | None = None
    election_date: dt.date | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    committee: str | None = None
    address: str | None = None
    external_id: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class ProblemRecord(Record):
    """Something a spider noticed that makes its run untrustworthy (layout change, bad page)."""

    record_type: Literal["problem"] = "problem"
    severity: Literal["failed", "suspicious"] = "failed"
    detail: Text
    url: str | None = None


AnyRecord = Annotated[
    BodyRecord | MeetingRecord | PersonRecord | CandidateRecord | ProblemRecord,
    Field(discriminator="record_type"),
]

RECORD_TYPES = (BodyRecord, MeetingRecord, PersonRecord, CandidateRecord, ProblemRecord)
