"""Agenda documents in the store: what the crawler fetched, kept per page.

- :func:`upsert_documents` keeps one row per (meeting, url). New content replaces the
  text; ``unchanged`` only refreshes the row; a failed download or a file that no longer
  parses keeps the last good text and records the error, so a broken re-publication
  never looks like an agenda with its items removed.
- :func:`link_item_pages` notes on each meeting item the agenda page that shows it,
  using :func:`align`, the same pairing of document items with meeting items that the
  agenda detector uses to make one item found in both places one match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.ingest.agenda_rows import StoredDocument, StoredMeeting
from civicradar.models.records import DocumentRecord, MeetingRecord
from civicradar.models.tables import Document

ALIGN_SCORE = 88  # rapidfuzz token_set_ratio from which a document item is a meeting item
_WORD = re.compile(r"[^\W_]+")
COPIED = ("sha256", "content_type", "size", "page_count", "pages", "text", "items")


@dataclass(frozen=True)
class KnownBody:
    """The text of a download already stored on another meeting's row (same url, hash)."""

    values: dict[str, Any]
    status: str
    fetched_at: dt.datetime | None


def known_bodies(
    session: Session, records: Sequence[MeetingRecord], stored: dict[str, StoredMeeting]
) -> dict[tuple[str, str | None], KnownBody]:
    """For documents a run reports ``unchanged`` that their meeting does not hold yet (a
    file linked from several meetings): the stored text, found in one query."""
    wanted = set()
    for record in records:
        meeting = stored.get(record.external_id)
        held = {d.url for d in meeting.documents} if meeting is not None else set()
        for document in record.documents:
            if document.status == "unchanged" and document.url not in held:
                wanted.add(document.url)
    if not wanted:
        return {}
    columns = [getattr(Document, name) for name in COPIED]
    rows = session.execute(
        select(Document.url, Document.status, Document.fetched_at, *columns)
        .where(Document.url.in_(sorted(wanted)), Document.sha256.is_not(None))
        .order_by(Document.id)
    )
    found: dict[tuple[str, str | None], KnownBody] = {}
    for url, status, fetched_at, *values in rows:
        body = KnownBody(dict(zip(COPIED, values, strict=True)), status, fetched_at)
        found.setdefault((url, body.values["sha256"]), body)
    return found


def upsert_documents(
    meeting: StoredMeeting,
    records: list[DocumentRecord],
    now: dt.datetime,
    known: dict[tuple[str, str | None], KnownBody],
) -> list[StoredDocument]:
    """Apply the run's document records to the meeting's documents; return the new ones."""
    stored = {d.url: d for d in meeting.documents}
    new = []
    for record in records:
        document = stored.get(record.url)
        if document is None:
            document = StoredDocument(
                id=0,
                meeting_id=meeting.id,
                kind=record.kind,
                url=record.url,
                first_seen=now,
                last_seen=now,
            )
            meeting.documents.append(document)
            new.append(document)
            stored[record.url] = document
            body = known.get((record.url, record.sha256))
            if record.status == "unchanged" and body is not None:
                for name, value in body.values.items():
                    setattr(document, name, value)
                document.status, document.fetched_at = body.status, body.fetched_at
        document.kind, document.last_seen, document.replaced_at = record.kind, now, None
        _apply(document, record, now)
    linked = {r.url for r in records}
    current = {d.kind for d in meeting.documents if d.url in linked and d.pages}
    for document in meeting.documents:
        # Superseded only once a linked document of the same kind has text to replace it.
        if document.url not in linked and document.kind in current and not document.replaced_at:
            document.replaced_at = now
    return new


def _apply(document: StoredDocument, record: DocumentRecord, now: dt.datetime) -> None:
    if record.status == "pending":
        return
    if record.sha256 is None:  # the download itself failed: keep what we had
        document.error = record.error
        if document.status in (None, "pending"):  # never read: nothing better to show
            document.status = "failed"
        return
    document.etag, document.last_modified = record.etag, record.last_modified
    if record.status == "unchanged":
        document.error = None if document.status != "failed" else document.error
        return
    if document.sha256 != record.sha256:
        document.changed_at = now
    document.sha256, document.content_type, document.size = (
        record.sha256,
        record.content_type,
        record.size,
    )
    document.status, document.error, document.fetched_at = record.status, record.error, now
    if record.status == "failed" and document.pages:
        return  # a broken re-publication: the last good text stays
    document.pages = list(record.pages or [])
    document.page_count = record.page_count or len(document.pages)
    document.text = "\n\n".join(document.pages) or None
    document.items = [item.model_dump(mode="json") for item in record.items]


def link_item_pages(meeting: StoredMeeting) -> None:
    """Note on each of the meeting's items the agenda document and page that show it."""
    for document in meeting.documents:
        if document.kind != "agenda" or not document.items or document.replaced_at:
            continue
        items = list(meeting.items)
        titles = [found["title"] for found in document.items]
        for index, position in align(titles, [item.title for item in items]).items():
            item = items[position]
            item.document_id, item.page = document.id, document.items[index].get("page")


def align(found: Sequence[str], titles: Sequence[str]) -> dict[int, int]:
    """Document item index -> index of the meeting item with the same title (fuzzy, each
    used once, best scores first)."""
    pairs = []
    for index, entry in enumerate(found):
        a = _norm(entry)
        for position, title in enumerate(titles):
            b = _norm(title)
            score = fuzz.token_set_ratio(a, b)
            short = min(len(a.split()), len(b.split())) < 3
            if score >= ALIGN_SCORE and (not short or fuzz.ratio(a, b) >= ALIGN_SCORE):
                pairs.append((score, index, position))
    aligned: dict[int, int] = {}
    used: set[int] = set()
    for _score, index, position in sorted(pairs, key=lambda p: -p[0]):
        if index not in aligned and position not in used:
            aligned[index] = position
            used.add(position)
    return aligned


def _norm(title: str) -> str:
    return " ".join(_WORD.findall(title.lower()))
