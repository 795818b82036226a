"""Agenda documents in the store and in matching: what the crawler fetched, kept per page.

- :func:`upsert_documents` keeps one row per (meeting, url). New content replaces the
  text; ``unchanged`` only refreshes the row; a failed download or a file that no longer
  parses keeps the last good text and records the error, so a broken re-publication
  never looks like an agenda with its items removed.
- :func:`document_targets` (a target reader, see ``monitors/targets.py``) turns agenda
  documents into match targets: each item the layout yields, aligned with the meeting's
  own items by title so one item is one match; or, when the layout has no numbered
  items, the whole text with the meeting's item titles blanked out (they are matched as
  items already). Minutes are stored for search but not matched: publishing minutes is
  not news.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.records import FEED_ENTRY_ITEM, DocumentRecord
from civicradar.models.tables import AgendaItem, Document, Meeting
from civicradar.monitors.targets import MatchTarget

MATCHED_KINDS = ("agenda", "packet", "other")
ALIGN_SCORE = 88  # rapidfuzz token_set_ratio from which a document item is a meeting item
_WORD = re.compile(r"[^\W_]+")


# --- storing ----------------------------------------------------------------------------


def upsert_documents(
    session: Session, meeting: Meeting, records: list[DocumentRecord], now: dt.datetime
) -> None:
    stored = {d.url: d for d in meeting.documents}
    for record in records:
        document = stored.get(record.url)
        if document is None:
            document = Document(url=record.url, kind=record.kind, first_seen=now)
            meeting.documents.append(document)
            stored[record.url] = document
            if record.status == "unchanged":  # known by url from another meeting
                _copy_known(session, document, record)
        document.kind, document.last_seen, document.replaced_at = record.kind, now, None
        _apply(document, record, now)
    linked = {r.url for r in records}
    current = {d.kind for d in meeting.documents if d.url in linked and d.pages}
    for document in meeting.documents:
        # Superseded only once a linked document of the same kind has text to replace it.
        if document.url not in linked and document.kind in current and not document.replaced_at:
            document.replaced_at = now


def link_item_pages(meeting: Meeting) -> None:
    """Note on each of the meeting's items the agenda document and page that show it."""
    for document in meeting.documents:
        if document.kind != "agenda" or not document.items or document.replaced_at:
            continue
        for index, item in align(document.items, list(meeting.items)).items():
            item.document_id, item.page = document.id, document.items[index].get("page")


def _apply(document: Document, record: DocumentRecord, now: dt.datetime) -> None:
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


def _copy_known(session: Session, document: Document, record: DocumentRecord) -> None:
    other = session.scalar(
        select(Document).where(Document.url == record.url, Document.sha256 == record.sha256)
    )
    if other is not None:
        for name in ("sha256", "content_type", "size", "page_count", "pages", "text", "items"):
            setattr(document, name, getattr(other, name))
        document.status, document.fetched_at = other.status, other.fetched_at


# --- matching ---------------------------------------------------------------------------


def document_targets(meeting: Meeting) -> Iterable[MatchTarget]:
    items = [i for i in meeting.items if i.external_id != FEED_ENTRY_ITEM]  # a whole feed entry
    for document in meeting.documents:
        if document.kind not in MATCHED_KINDS or not document.pages or document.replaced_at:
            continue
        if document.items:
            yield from _item_targets(document, items)
        else:
            yield _whole_text_target(document, meeting.items)


def _item_targets(document: Document, items: list[AgendaItem]) -> Iterable[MatchTarget]:
    aligned = align(document.items, items)
    seen: dict[str, int] = {}
    for index, found in enumerate(document.items):
        number, title = found.get("number"), found["title"]
        extra = _document_extra(document, page=found.get("page"))
        extra.update(item_number=number, section=found.get("section"))
        item = aligned.get(index)
        if item is not None:
            key = f"item:{item.external_id}"
            extra.update(matter_file=item.matter_file, item_number=item.number or number)
            title = item.title
        else:
            slug = title_slug(title)
            seen[slug] = seen.get(slug, 0) + 1
            key = f"doc:{document.kind}:{slug}" + (f"#{seen[slug]}" if seen[slug] > 1 else "")
        text = "\n".join(part for part in (found["title"], found.get("text")) if part)
        yield MatchTarget(
            key=key,
            kind="document_item",
            title=title,
            text=text,
            extra=extra,
            source=document.kind,
            first_page=found.get("page") or 1,
        )


def _whole_text_target(document: Document, items: list[AgendaItem]) -> MatchTarget:
    text, starts = "", []
    for index, page in enumerate(document.pages):
        if index:
            text += "\n\n"
            starts.append(len(text))
        text += page
    return MatchTarget(
        key=f"doc:{document.kind}",
        kind="document",
        title=f"{document.kind.capitalize()} document",
        text=blank_titles(text, [i.title for i in items]),
        extra=_document_extra(document),
        source=document.kind,
        page_starts=tuple(starts),
        first_page=1,
    )


def _document_extra(document: Document, page: int | None = None) -> dict[str, Any]:
    return {"document_url": document.url, "document_kind": document.kind, "page": page}


def align(found: list[dict[str, Any]], items: list[AgendaItem]) -> dict[int, AgendaItem]:
    """Document item index -> the meeting item with the same title (fuzzy, each used once)."""
    pairs = []
    for index, entry in enumerate(found):
        for item in items:
            a, b = _norm(entry["title"]), _norm(item.title)
            score = fuzz.token_set_ratio(a, b)
            short = min(len(a.split()), len(b.split())) < 3
            if score >= ALIGN_SCORE and (not short or fuzz.ratio(a, b) >= ALIGN_SCORE):
                pairs.append((score, index, item))
    aligned: dict[int, AgendaItem] = {}
    used: set[int] = set()
    for _score, index, item in sorted(pairs, key=lambda p: -p[0]):
        if index not in aligned and id(item) not in used:
            aligned[index] = item
            used.add(id(item))
    return aligned


def blank_titles(text: str, titles: list[str]) -> str:
    """``text`` with each title (words across any whitespace) overwritten by spaces, so
    offsets (and pages) stay put while the titles no longer match a second time."""
    for title in titles:
        words = _WORD.findall(title)
        if len(words) < 2:
            continue
        pattern = r"\W+".join(re.escape(w) for w in words)
        text = re.sub(pattern, lambda m: " " * len(m.group(0)), text, flags=re.IGNORECASE)
    return text


def title_slug(title: str, limit: int = 80) -> str:
    """A document item's identity: its title's words, a digest when long (dedupe keys are
    at most 500 characters)."""
    slug = "-".join(_WORD.findall(title.lower()))
    if len(slug) <= limit:
        return slug
    return f"{slug[: limit - 9]}-{hashlib.sha1(slug.encode()).hexdigest()[:8]}"


def _norm(title: str) -> str:
    return " ".join(_WORD.findall(title.lower()))
