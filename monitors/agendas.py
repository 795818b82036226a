"""Agenda items that touch the initiative, and changes to meetings that have them.

``detect_agendas`` stores the run's bodies, meetings and items (keeping first/last seen),
then reports ``agenda_match`` for every matching item from the first crawl on and
``meeting_change`` when a meeting with matches is cancelled, rescheduled, or its agenda
amended so that matching items appear, change or disappear.

What is searched comes from *target readers* (``monitors/targets.py``): agenda items
here, agenda documents in ``monitors/documents.py``; a match found in both is one change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.records import FEED_ENTRY_ITEM, BodyRecord, MeetingRecord
from civicradar.models.store import ChangeDraft
from civicradar.models.tables import AgendaItem, Body, Meeting
from civicradar.monitors.detect import RunContext
from civicradar.monitors.documents import link_item_pages, upsert_documents
from civicradar.monitors.matching import Matcher
from civicradar.monitors.targets import (
    FoundMatch,
    MatchTarget,
    amendment,
    meeting_matches,
    observed_sources,
)

AGENDA_MATCH_IMPORTANCE = 70
MEETING_CHANGE_IMPORTANCE = 60
CALLED_OFF = ("cancelled", "postponed")


@dataclass(frozen=True)
class MeetingState:
    """What a stored meeting looked like before this run touched it."""

    meeting_date: dt.date
    start: dt.datetime | None
    status: str
    matches: dict[str, FoundMatch]
    observed: frozenset[str]  # where matches could be seen: items, document kinds with text


def item_targets(meeting: Meeting) -> Iterable[MatchTarget]:
    for item in sorted(meeting.items, key=lambda i: (i.sequence, i.id or 0)):
        text = "\n".join(part for part in (item.title, item.text) if part)
        yield MatchTarget(
            key=f"item:{item.external_id}",
            kind="entry" if item.external_id == FEED_ENTRY_ITEM else "item",
            title=item.title,
            text=text,
            extra={
                "item_number": item.number,
                "matter_file": item.matter_file,
                "matter_type": item.matter_type,
                "action": item.action,
                "mover": item.mover,
                "seconder": item.seconder,
            },
        )


# --- the detector ---------------------------------------------------------------------


def detect_agendas(context: RunContext) -> list[ChangeDraft]:
    matcher = Matcher.from_initiative(context.initiative)
    bodies = _upsert_bodies(context, [r for r in context.records if isinstance(r, BodyRecord)])
    drafts: list[ChangeDraft] = []
    for record in context.records:
        if not isinstance(record, MeetingRecord):
            continue
        stored = _stored_meeting(context.session, context.source.id, record.external_id)
        before = _state(stored, matcher) if stored is not None else None
        meeting = _upsert_meeting(context, stored, record, bodies)
        after = meeting_matches(meeting, matcher)
        drafts.extend(_match_drafts(context, meeting, after))
        if before is not None:
            drafts.extend(_meeting_changes(context, meeting, record, before, after))
    return drafts


def _state(meeting: Meeting, matcher: Matcher) -> MeetingState:
    return MeetingState(
        meeting_date=meeting.meeting_date,
        start=meeting.start if meeting.time_known else None,
        status=meeting.status,
        matches=meeting_matches(meeting, matcher),
        observed=observed_sources(meeting),
    )


def _stored_meeting(session: Session, source_id: int, external_id: str) -> Meeting | None:
    return session.scalar(
        select(Meeting).where(Meeting.source_id == source_id, Meeting.external_id == external_id)
    )


def _upsert_bodies(context: RunContext, records: list[BodyRecord]) -> dict[str, Body]:
    session, now = context.session, context.now
    stored = {
        b.external_id: b
        for b in session.scalars(select(Body).where(Body.source_id == context.source.id))
    }
    for record in records:
        body = stored.get(record.external_id)
        if body is None:
            body = Body(
                source_id=context.source.id,
                jurisdiction_id=context.source.jurisdiction_id,
                external_id=record.external_id,
                first_seen=now,
            )
            session.add(body)
            stored[record.external_id] = body
        body.name, body.kind = record.name, record.kind
        body.last_seen, body.last_run_id = now, context.run.id
    session.flush()
    return stored


def _upsert_meeting(
    context: RunContext, meeting: Meeting | None, record: MeetingRecord, bodies: dict[str, Body]
) -> Meeting:
    now = context.now
    if meeting is None:
        meeting = Meeting(
            source_id=context.source.id,
            jurisdiction_id=context.source.jurisdiction_id,
            external_id=record.external_id,
            first_seen=now,
        )
        context.session.add(meeting)
    body = bodies.get(record.body_external_id or "")
    meeting.body_id = body.id if body is not None else None
    meeting.body_name = record.body_name
    meeting.title = record.title
    meeting.meeting_date = record.meeting_date
    meeting.start_utc = record.start
    meeting.time_known = record.start is not None
    meeting.timezone = context.jurisdiction.timezone
    meeting.location = record.location
    meeting.status = record.status
    meeting.status_evidence = record.status_evidence
    meeting.url, meeting.agenda_url = record.url, record.agenda_url
    meeting.minutes_url, meeting.agenda_status = record.minutes_url, record.agenda_status
    meeting.source_modified = record.source_modified
    meeting.last_seen, meeting.last_run_id = now, context.run.id
    if record.items_fetched:
        _sync_items(meeting, record, now, remove_missing=context.healthy)
    upsert_documents(context.session, meeting, record.documents, now)
    context.session.flush()
    link_item_pages(meeting)
    return meeting


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
        for name in ("sequence", "number", "title", "text", "matter_file", "matter_type"):
            setattr(item, name, getattr(new, name))
        item.action, item.mover, item.seconder = new.action, new.mover, new.seconder
        item.sponsors = list(new.sponsors)
        item.last_seen = now
    if remove_missing:
        for external_id, item in stored.items():
            if external_id not in seen:
                meeting.items.remove(item)


# --- what gets reported ---------------------------------------------------------------


def _meeting_data(meeting: Meeting) -> dict[str, Any]:
    start = meeting.start if meeting.time_known else None
    return {
        "body": meeting.body_name,
        "meeting_date": meeting.meeting_date.isoformat(),
        "meeting_id": meeting.id,
        "start": start.isoformat() if start else None,
        "status": meeting.status,
        "agenda_url": meeting.agenda_url,
    }


def _match_drafts(
    context: RunContext, meeting: Meeting, matches: dict[str, FoundMatch]
) -> list[ChangeDraft]:
    drafts = []
    for key, found in matches.items():
        target = found.target
        data = {
            **_meeting_data(meeting),
            "item_title": target.title,
            "matched_terms": list(found.terms),
            "snippet": found.snippet,
            "target": key,
            **{k: v for k, v in target.extra.items() if v is not None},
            **_document_data(found),
        }
        drafts.append(
            ChangeDraft(
                kind="agenda_match",
                jurisdiction_id=meeting.jurisdiction_id,
                source_key=context.source.key,
                dedupe_key=f"agenda_match:{context.source.id}:{meeting.external_id}:{key}",
                summary=(
                    f"{meeting.body_name}, {meeting.meeting_date.isoformat()}: "
                    f"“{_short(target.title)}”{_where(found)} mentions {', '.join(found.terms)}"
                ),
                url=meeting.url or meeting.agenda_url,
                data=data,
                importance=AGENDA_MATCH_IMPORTANCE,
            )
        )
    return drafts


def _meeting_changes(
    context: RunContext,
    meeting: Meeting,
    record: MeetingRecord,
    before: MeetingState,
    after: dict[str, FoundMatch],
) -> list[ChangeDraft]:
    """Cancelled, rescheduled, agenda amended: only for meetings with matching items."""
    if not before.matches and not after:
        return []
    found: list[tuple[str, str, dict[str, Any]]] = []
    if meeting.status in CALLED_OFF and before.status not in CALLED_OFF:
        found.append((meeting.status, f"{meeting.status} ({meeting.status_evidence})", {}))
    start = meeting.start if meeting.time_known else None
    moved_day = meeting.meeting_date != before.meeting_date
    moved_time = start is not None and before.start is not None and start != before.start
    if moved_day or moved_time:
        old, new = _when(before.meeting_date, before.start), _when(meeting.meeting_date, start)
        found.append(
            (
                "rescheduled",
                f"rescheduled from {old} to {new}",
                {
                    "previous_date": before.meeting_date.isoformat(),
                    "previous_start": before.start.isoformat() if before.start else None,
                },
            )
        )
    if record.items_fetched or any(d.status != "pending" for d in record.documents):
        amended = amendment(before.matches, after, before.observed, removals=context.healthy)
        if amended:
            found.append(("agenda amended", _describe_amendment(amended), amended))
    drafts = []
    for what, description, extra in found:
        digest = hashlib.sha1(description.encode()).hexdigest()[:12]
        drafts.append(
            ChangeDraft(
                kind="meeting_change",
                jurisdiction_id=meeting.jurisdiction_id,
                source_key=context.source.key,
                dedupe_key=(
                    f"meeting_change:{context.source.id}:{meeting.external_id}:"
                    f"{context.run.id}:{what}:{digest}"
                ),
                summary=(
                    f"{meeting.body_name} meeting of {before.meeting_date.isoformat()} "
                    f"{description}"
                ),
                url=meeting.url or meeting.agenda_url,
                data={
                    **_meeting_data(meeting),
                    "what": what,
                    "status_evidence": meeting.status_evidence,
                    "matched_items": [m.target.title for m in after.values()],
                    **extra,
                },
                importance=MEETING_CHANGE_IMPORTANCE,
            )
        )
    return drafts


def _document_data(found: FoundMatch) -> dict[str, Any]:
    """Where in a document the match was found: its page, and its snippet there when the
    item's own title matched first."""
    in_document = found.in_document()
    if in_document is None:
        return {}
    extra = in_document.target.extra
    data = {
        "page": in_document.page,
        "document_url": extra.get("document_url"),
        "document_kind": extra.get("document_kind"),
        "found_in": sorted(found.sources),
    }
    if in_document is not found:
        data["document_snippet"] = in_document.snippet
    return data


def _where(found: FoundMatch) -> str:
    if found.target.source == "item" or found.page is None:
        return ""
    return f" ({found.target.source} p. {found.page})"


def _describe_amendment(amended: dict[str, list[str]]) -> str:
    parts = []
    for name, verb in (
        ("items_added", "added"),
        ("items_changed", "changed"),
        ("items_removed", "removed"),
    ):
        for title in amended.get(name, []):
            parts.append(f"{verb} “{_short(title, 80)}”")
    return "agenda amended: " + "; ".join(parts)


def _when(day: dt.date, start: dt.datetime | None) -> str:
    return start.strftime("%Y-%m-%d %H:%M %Z") if start else day.isoformat()


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
