"""Ingest an agendas run: bodies, meetings, their items and documents, and their diff.

Set-based: the source's bodies, the run's stored meetings, their items and their
documents are read in one query each (whatever the number of meetings); the run is
applied to those plain objects (``agenda_rows.py``) in memory; then each table gets one
executemany of its new rows (ids read back in one query) and one of its changed rows,
and the items a healthy run no longer lists are deleted in one statement. Each
meeting's diff holds a snapshot from before the run and one after (``meetings.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.ingest.agenda_rows import (
    StoredBody,
    StoredDocument,
    StoredItem,
    StoredMeeting,
)
from civicradar.models.ingest.bulk import delete_rows
from civicradar.models.ingest.documents import known_bodies, link_item_pages, upsert_documents
from civicradar.models.ingest.meetings import AgendaDiff, MeetingDiff, meeting_snapshot
from civicradar.models.ingest.rows import Rows
from civicradar.models.ingest.run import RunFacts
from civicradar.models.records import BodyRecord, MeetingRecord, Record
from civicradar.models.tables import AgendaItem, Body, Document, Meeting

ITEM_FIELDS = ("sequence", "number", "title", "text", "matter_file", "matter_type")


def ingest_agendas(session: Session, run: RunFacts, records: Sequence[Record]) -> AgendaDiff:
    bodies = _bodies(session, run, [r for r in records if isinstance(r, BodyRecord)])
    listed = [r for r in records if isinstance(r, MeetingRecord)]
    rows = AgendaRows()
    stored = rows.load(session, run, [r.external_id for r in listed])
    known = known_bodies(session, listed, stored)
    befores = []
    for record in listed:
        meeting = stored.get(record.external_id)
        befores.append(meeting_snapshot(meeting) if meeting is not None else None)
        if meeting is None:
            meeting = StoredMeeting(
                id=0,
                source_id=run.source_id,
                jurisdiction_id=run.jurisdiction_id,
                external_id=record.external_id,
                body_name=record.body_name,
                meeting_date=record.meeting_date,
                timezone=run.timezone,
                first_seen=run.now,
                last_seen=run.now,
            )
            rows.meetings.new.append(meeting)
            stored[record.external_id] = meeting
        _write_meeting(meeting, record, run, bodies.get(record.body_external_id or ""))
        if record.items_fetched:
            rows.sync_items(meeting, record, run.now, remove_missing=run.healthy)
        rows.documents.new.extend(upsert_documents(meeting, record.documents, run.now, known))
    rows.write(session, run)
    return AgendaDiff(
        tuple(
            MeetingDiff(
                before,
                meeting_snapshot(stored[record.external_id]),
                items_fetched=record.items_fetched,
                documents_read=any(d.status != "pending" for d in record.documents),
            )
            for record, before in zip(listed, befores, strict=True)
        )
    )


def _bodies(session: Session, run: RunFacts, records: list[BodyRecord]) -> dict[str, int]:
    """The source's bodies, the run's written (new ones inserted): id by external id."""
    rows = Rows(Body, StoredBody)
    stored = {b.external_id: b for b in rows.load(session, Body.source_id == run.source_id)}
    for record in records:
        body = stored.get(record.external_id)
        if body is None:
            body = StoredBody(
                0,
                run.source_id,
                run.jurisdiction_id,
                record.external_id,
                record.name,
                None,
                run.now,
                run.now,
                None,
            )
            rows.new.append(body)
            stored[record.external_id] = body
        body.name, body.kind = record.name, record.kind
        body.last_seen, body.last_run_id = run.now, run.run_id
    new = select(Body.id, Body.external_id).where(
        Body.source_id == run.source_id, Body.first_seen == run.now
    )
    rows.insert(session, new, key=lambda body: (body.external_id,))
    rows.write(session)
    return {external_id: body.id for external_id, body in stored.items()}


def _write_meeting(
    meeting: StoredMeeting, record: MeetingRecord, run: RunFacts, body_id: int | None
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


class AgendaRows:
    """The meetings, items and documents one agendas run reads and writes."""

    def __init__(self) -> None:
        self.meetings = Rows(Meeting, StoredMeeting)
        self.items = Rows(AgendaItem, StoredItem)
        self.documents = Rows(Document, StoredDocument)
        self.removed: list[StoredItem] = []

    def load(
        self, session: Session, run: RunFacts, external_ids: list[str]
    ) -> dict[str, StoredMeeting]:
        """Three queries: the run's stored meetings, their items (in agenda order) and
        their documents; meetings by external id."""
        if not external_ids:
            return {}
        listed = (
            Meeting.source_id == run.source_id,
            Meeting.external_id.in_(sorted(set(external_ids))),
        )
        meetings = {m.id: m for m in self.meetings.load(session, *listed)}
        of_meetings = select(Meeting.id).where(*listed)
        in_order = (AgendaItem.meeting_id, AgendaItem.sequence, AgendaItem.id)
        for item in self.items.load(
            session, AgendaItem.meeting_id.in_(of_meetings), order=in_order
        ):
            meetings[item.meeting_id].items.append(item)
        for document in self.documents.load(session, Document.meeting_id.in_(of_meetings)):
            meetings[document.meeting_id].documents.append(document)
        return {m.external_id: m for m in meetings.values()}

    def sync_items(
        self,
        meeting: StoredMeeting,
        record: MeetingRecord,
        now: dt.datetime,
        *,
        remove_missing: bool,
    ) -> None:
        """The meeting's items as the run lists them; on a healthy run, those it no
        longer lists are removed."""
        stored = {item.external_id: item for item in meeting.items}
        seen = set()
        for new in record.items:
            seen.add(new.external_id)
            item = stored.get(new.external_id)
            if item is None:
                item = StoredItem(
                    id=0,
                    meeting_id=meeting.id,
                    external_id=new.external_id,
                    title=new.title,
                    first_seen=now,
                    last_seen=now,
                )
                meeting.items.append(item)
                self.items.new.append(item)
                stored[new.external_id] = item
            for name in ITEM_FIELDS:
                setattr(item, name, getattr(new, name))
            item.action, item.mover, item.seconder = new.action, new.mover, new.seconder
            item.sponsors = list(new.sponsors)
            item.last_seen = now
        if remove_missing:
            for external_id, item in stored.items():
                if external_id not in seen:
                    meeting.items.remove(item)
                    if item.id:
                        self.removed.append(item)
                    else:  # added by an earlier record of the same meeting in this run
                        self.items.new.remove(item)

    def write(self, session: Session, run: RunFacts) -> None:
        """Meetings, then documents, then items (which name their agenda document)."""
        of_source = Meeting.source_id == run.source_id
        new_meetings = select(Meeting.id, Meeting.external_id).where(
            of_source, Meeting.first_seen == run.now
        )
        self.meetings.insert(session, new_meetings, key=lambda m: (m.external_id,))
        self.meetings.write(session)
        for meeting in self.meetings.new:
            for document in meeting.documents:
                document.meeting_id = meeting.id
            for item in meeting.items:
                item.meeting_id = meeting.id
        new_documents = (
            select(Document.id, Document.meeting_id, Document.url)
            .join(Meeting, Meeting.id == Document.meeting_id)
            .where(of_source, Document.first_seen == run.now)
        )
        self.documents.insert(session, new_documents, key=lambda d: (d.meeting_id, d.url))
        self.documents.write(session)
        for meeting in (*self.meetings.loaded, *self.meetings.new):
            link_item_pages(meeting)
        delete_rows(session, AgendaItem, [item.id for item in self.removed])
        new_items = (
            select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.external_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(of_source, AgendaItem.first_seen == run.now)
        )
        self.items.insert(session, new_items, key=lambda i: (i.meeting_id, i.external_id))
        self.items.write(session)
