"""Meetings as plain snapshots: what a detector compares before and after a run.

Ingest takes a snapshot of each meeting a run lists before writing it and another after,
so the agenda detector (matching, amendments, cancellations) never touches the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from civicradar.models.ingest.agenda_rows import StoredDocument, StoredItem, StoredMeeting


@dataclass(frozen=True)
class ItemSnapshot:
    """An agenda item of the platform's list."""

    external_id: str
    title: str
    sequence: int = 0
    id: int = 0
    number: str | None = None
    text: str | None = None
    matter_file: str | None = None
    matter_type: str | None = None
    action: str | None = None
    mover: str | None = None
    seconder: str | None = None


@dataclass(frozen=True)
class DocumentItem:
    """An agenda item as a document's layout shows it."""

    title: str
    number: str | None = None
    page: int | None = None
    section: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class DocumentSnapshot:
    """A document of the meeting: its text by page, and the items its layout yields."""

    url: str
    kind: str
    pages: tuple[str, ...] = ()
    items: tuple[DocumentItem, ...] = ()
    replaced: bool = False  # the meeting no longer links it


@dataclass(frozen=True)
class MeetingSnapshot:
    """A stored meeting with its items (in stored order) and documents."""

    id: int
    external_id: str
    jurisdiction_id: str
    body_name: str
    meeting_date: dt.date
    start: dt.datetime | None = None  # local start, None when the time is not known
    status: str = "scheduled"
    status_evidence: str | None = None
    url: str | None = None
    agenda_url: str | None = None
    items: tuple[ItemSnapshot, ...] = ()
    documents: tuple[DocumentSnapshot, ...] = ()


@dataclass(frozen=True)
class MeetingDiff:
    """One meeting of the run: as stored before it (None: new) and after.

    ``items_fetched`` and ``documents_read`` say whether the run looked at its items and
    downloaded (or failed to download) any document: only then can its agenda have been
    seen to change."""

    before: MeetingSnapshot | None
    after: MeetingSnapshot
    items_fetched: bool = True
    documents_read: bool = False


@dataclass(frozen=True)
class AgendaDiff:
    """The run's meetings, each with its before and after, in the run's order."""

    meetings: tuple[MeetingDiff, ...] = ()

    @property
    def inserted(self) -> list[MeetingSnapshot]:
        return [m.after for m in self.meetings if m.before is None]

    @property
    def updated(self) -> list[MeetingDiff]:
        return [m for m in self.meetings if m.before is not None and m.before != m.after]

    @property
    def unchanged(self) -> int:
        return sum(1 for m in self.meetings if m.before == m.after)


def meeting_snapshot(meeting: StoredMeeting) -> MeetingSnapshot:
    return MeetingSnapshot(
        id=meeting.id,
        external_id=meeting.external_id,
        jurisdiction_id=meeting.jurisdiction_id,
        body_name=meeting.body_name,
        meeting_date=meeting.meeting_date,
        start=meeting.start,
        status=meeting.status,
        status_evidence=meeting.status_evidence,
        url=meeting.url,
        agenda_url=meeting.agenda_url,
        items=tuple(_item(item) for item in meeting.items),
        documents=tuple(_document(document) for document in meeting.documents),
    )


def _item(item: StoredItem) -> ItemSnapshot:
    return ItemSnapshot(
        external_id=item.external_id,
        title=item.title,
        sequence=item.sequence or 0,
        id=item.id,
        number=item.number,
        text=item.text,
        matter_file=item.matter_file,
        matter_type=item.matter_type,
        action=item.action,
        mover=item.mover,
        seconder=item.seconder,
    )


def _document(document: StoredDocument) -> DocumentSnapshot:
    return DocumentSnapshot(
        url=document.url,
        kind=document.kind,
        pages=tuple(document.pages or ()),
        items=tuple(document_item(found) for found in document.items or ()),
        replaced=document.replaced_at is not None,
    )


def document_item(found: dict[str, Any]) -> DocumentItem:
    return DocumentItem(
        title=found["title"],
        number=found.get("number"),
        page=found.get("page"),
        section=found.get("section"),
        text=found.get("text"),
    )
