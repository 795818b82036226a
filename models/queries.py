"""Read-only queries behind ``changes`` and ``meetings``: flat rows for the CLI, web and export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from civicradar.models.tables import Change, Document, Meeting


def change_row(change: Change) -> dict[str, Any]:
    """The contract's JSON object for one change."""
    return {
        "id": change.id,
        "kind": change.kind,
        "jurisdiction": change.jurisdiction_id,
        "source": change.source_key,
        "detected_at": change.detected_at.isoformat(),
        "summary": change.summary,
        "url": change.url,
        "data": change.data,
    }


def list_changes(
    session: Session,
    *,
    since: dt.datetime | None = None,
    kinds: list[str] | None = None,
    jurisdiction: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Change]:
    query = select(Change)
    if since is not None:
        query = query.where(Change.detected_at >= since)
    if kinds:
        query = query.where(Change.kind.in_(kinds))
    if jurisdiction:
        query = query.where(Change.jurisdiction_id == jurisdiction)
    order = (Change.detected_at.desc(), Change.id.desc()) if newest_first else (Change.id,)
    query = query.order_by(*order)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def find_change(session: Session, change_id: int) -> Change | None:
    """One change by its id (stable for the life of the store), or None."""
    return session.get(Change, change_id)


def meeting_row(meeting: Meeting, *, with_items: bool = False) -> dict[str, Any]:
    start = meeting.start
    row: dict[str, Any] = {
        "id": meeting.id,
        "jurisdiction": meeting.jurisdiction_id,
        "body": meeting.body_name,
        "title": meeting.title,
        "meeting_date": meeting.meeting_date.isoformat(),
        "start": start.isoformat() if start and meeting.time_known else None,
        "timezone": meeting.timezone,
        "location": meeting.location,
        "status": meeting.status,
        "status_evidence": meeting.status_evidence,
        "url": meeting.url,
        "agenda_url": meeting.agenda_url,
        "minutes_url": meeting.minutes_url,
        "items": len(meeting.items),
        "first_seen": meeting.first_seen.isoformat(),
        "last_seen": meeting.last_seen.isoformat(),
    }
    if with_items:
        row["agenda_items"] = [
            {"number": i.number, "title": i.title, "matter_file": i.matter_file, "page": i.page}
            for i in meeting.items
        ]
        row["documents"] = [document_row(d) for d in meeting.documents if d.replaced_at is None]
        if not row["agenda_items"]:  # a platform without item lists: the agenda's own items
            row["agenda_items"] = [
                {
                    "number": i.get("number"),
                    "title": i["title"],
                    "page": i.get("page"),
                    "section": i.get("section"),
                    "document_url": d.url,
                }
                for d in meeting.documents
                if d.kind == "agenda" and d.replaced_at is None
                for i in d.items or []
            ]
    return row


def document_row(document: Document) -> dict[str, Any]:
    """A stored document for JSON output: its state, its items and its text page by page."""
    return {
        "kind": document.kind,
        "url": document.url,
        "status": document.status,
        "error": document.error,
        "sha256": document.sha256,
        "size": document.size,
        "page_count": document.page_count,
        "fetched_at": document.fetched_at.isoformat() if document.fetched_at else None,
        "changed_at": document.changed_at.isoformat() if document.changed_at else None,
        "items": document.items or [],
        "pages": document.pages or [],
    }


def list_meetings(
    session: Session,
    *,
    jurisdiction: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    body: str | None = None,
) -> list[Meeting]:
    query = select(Meeting)
    if jurisdiction:
        query = query.where(Meeting.jurisdiction_id == jurisdiction)
    if since:
        query = query.where(Meeting.meeting_date >= since)
    if until:
        query = query.where(Meeting.meeting_date <= until)
    if body:
        query = query.where(Meeting.body_name.icontains(body, autoescape=True))
    # Every row shows its item count: the items come in one query, not one per meeting.
    query = query.options(selectinload(Meeting.items))
    return list(session.scalars(query.order_by(Meeting.meeting_date, Meeting.id)))
