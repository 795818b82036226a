"""Agenda documents as match targets (``models/ingest/documents.py`` stores them).

Each item a document's layout yields is a target, aligned with the meeting's own items
by title so one item is one match; when the layout has no numbered items, the whole text
is one target with the meeting's item titles blanked out (they are matched as items
already). Minutes are stored for search but not matched: publishing minutes is not news.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from civicradar.models.ingest.documents import align
from civicradar.models.ingest.meetings import DocumentSnapshot, ItemSnapshot, MeetingSnapshot
from civicradar.models.records import FEED_ENTRY_ITEM
from civicradar.monitors.targets import MatchTarget

MATCHED_KINDS = ("agenda", "packet", "other")
_WORD = re.compile(r"[^\W_]+")


def document_targets(meeting: MeetingSnapshot) -> Iterable[MatchTarget]:
    items = [i for i in meeting.items if i.external_id != FEED_ENTRY_ITEM]  # a whole feed entry
    for document in meeting.documents:
        if document.kind not in MATCHED_KINDS or not document.pages or document.replaced:
            continue
        if document.items:
            yield from _item_targets(document, items)
        else:
            yield _whole_text_target(document, meeting.items)


def _item_targets(document: DocumentSnapshot, items: list[ItemSnapshot]) -> Iterable[MatchTarget]:
    aligned = align([found.title for found in document.items], [item.title for item in items])
    seen: dict[str, int] = {}
    for index, found in enumerate(document.items):
        number, title = found.number, found.title
        extra = _document_extra(document, page=found.page)
        extra.update(item_number=number, section=found.section)
        position = aligned.get(index)
        if position is not None:
            item = items[position]
            key = f"item:{item.external_id}"
            extra.update(matter_file=item.matter_file, item_number=item.number or number)
            title = item.title
        else:
            slug = title_slug(title)
            seen[slug] = seen.get(slug, 0) + 1
            key = f"doc:{document.kind}:{slug}" + (f"#{seen[slug]}" if seen[slug] > 1 else "")
        text = "\n".join(part for part in (found.title, found.text) if part)
        yield MatchTarget(
            key=key,
            kind="document_item",
            title=title,
            text=text,
            extra=extra,
            source=document.kind,
            first_page=found.page or 1,
        )


def _whole_text_target(document: DocumentSnapshot, items: tuple[ItemSnapshot, ...]) -> MatchTarget:
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


def _document_extra(document: DocumentSnapshot, page: int | None = None) -> dict[str, Any]:
    return {"document_url": document.url, "document_kind": document.kind, "page": page}


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
