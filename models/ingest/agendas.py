"""Ingest an agendas run: bodies, meetings, their items and documents, and their diff.

The run's meetings are read with their items and documents in three queries (whatever
the number of meetings), written through the unit of work in one flush (batched per
table), then the items' agenda pages are linked in a second. Each meeting's diff holds a
snapshot from before the run and one after (``meetings.py``). Items a run no longer
lists are removed only on a healthy run that fetched them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, raiseload, selectinload

from civicradar.models.ingest.documents import known_bodies, link_item_pages, upsert_documents
from civicradar.models.ingest.meetings import (
    AgendaDiff,
    MeetingDiff,
    MeetingSnapshot,
    meeting_snapshot,
)
from civicradar.models.ingest.run import RunFacts
from civicradar.models.records import BodyRecord, MeetingRecord, Record
from civicradar.models.tables import AgendaItem, Body, Meeting

ITEM_FIELDS = ("sequence", "number", "title", "text", "matter_file", "matter_type")


def ingest_agendas(session: Session, run: RunFacts, records: Sequence[Record]) -> AgendaDiff:
    bodies = _upsert_bodies(session, run, [r for r in records if isinstance(r, BodyRecord)])
    meetings = [r for r in records if isinstance(r, MeetingRecord)]
    stored = _load_meetings(session, run.source_id, [r.external_id for r in meetings])
    known = known_bodies(session, meetings, stored)
    written: list[tuple[MeetingRecord, Meeting, MeetingSnapshot | None]] = []
    for record in meetings:
        meeting = stored.get(record.external_id)
        before = meeting_snapshot(meeting) if meeting is not None else None
        if meeting is None:
            meeting = Meeting(
                source_id=run.source_id,
                jurisdiction_id=run.jurisdiction_id,
                external_id=record.external_id,
                first_seen=run.now,
            )
            session.add(meeting)
            stored[record.external_id] = meeting
        body = bodies.get(record.body_external_id or "")
        _write_meeting(meeting, record, run, body.id if body is not None else None)
        upsert_documents(meeting, record.documents, run.now, known)
        written.append((record, meeting, before))
    session.flush()
    for _, meeting, _ in written:
        link_item_pages(meeting)
    session.flush()
    return AgendaDiff(
        tuple(
            MeetingDiff(
                before,
                meeting_snapshot(meeting),
                items_fetched=record.items_fetched,
                documents_read=any(d.status != "pending" for d in record.documents),
            )
            for record, meeting, before in written
        )
    )


def _load_meetings(session: Session, source_id: int, external_ids: list[str]) -> dict[str, Meeting]:
    """The source's stored meetings among ``external_ids``, with items and documents."""
    if not external_ids:
        return {}
    rows = session.scalars(
        select(Meeting)
        .where(Meeting.source_id == source_id, Meeting.external_id.in_(sorted(set(external_ids))))
        .options(selectinload(Meeting.items), selectinload(Meeting.documents), raiseload("*"))
    )
    return {meeting.external_id: meeting for meeting in rows}


def _upsert_bodies(session: Session, run: RunFacts, records: list[BodyRecord]) -> dict[str, Body]:
    stored = {
        b.external_id: b
        for b in session.scalars(select(Body).where(Body.source_id == run.source_id))
    }
    for record in records:
        body = stored.get(record.external_id)
        if body is None:
            body = Body(
                source_id=run.source_id,
                jurisdiction_id=run.jurisdiction_id,
                external_id=record.external_id,
                first_seen=run.now,
            )
            session.add(body)
            stored[record.external_id] = body
        body.name, body.kind = record.name, record.kind
        body.last_seen, body.last_run_id = run.now, run.run_id
    session.flush()
    return stored


def _write_meeting(
    meeting: Meeting, record: MeetingRecord, run: RunFacts, body_id: int | None
) -> None:
    meeting.body_id = body_id
    meeting.body_name = record.body_name
    meeting.title = record.title
    meeting.meeting_date = record.meeting_date
    meeting.start_utc = record.start
    meeting.time_known = record.start is not None
    meeting.timezone = run.timezone
    meeting.location = record.location
    meeting.status = record.status
    meeting.status_evidence = record.status_evidence
    meeting.url, meeting.agenda_url = record.url, record.agenda_url
    meeting.minutes_url, meeting.agenda_status = record.minutes_url, record.agenda_status
    meeting.source_modified = record.source_modified
    meeting.last_seen, meeting.last_run_id = run.now, run.run_id
    if record.items_fetched:
        _sync_items(meeting, record, run.now, remove_missing=run.healthy)


def _sync_items(
    meeting: Meeting, record: MeetingRecord, now: dt.datetime, *, remove_missing: bool
) -> None:
    stored = {item.external_id: item for item in meeting.items}
    seen = set()
    for new in record.items:
        seen.add(new.external_id)
        item = stored.get(new.external_id)
        if item is None:
            item = AgendaItem(external_id=new.external_id, first_seen=now)
            meeting.items.append(item)
        for name in ITEM_FIELDS:
            setattr(item, name, getattr(new, name))
        item.action, item.mover, item.seconder = new.action, new.mover, new.seconder
        item.sponsors = list(new.sponsors)
        item.last_seen = now
    if remove_missing:
        for external_id, item in stored.items():
            if external_id not in seen:
                meeting.items.remove(item)
