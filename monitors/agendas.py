"""Agenda items that touch the initiative, and changes to meetings that have them.

A pure function of the run's :class:`AgendaDiff` (``models/ingest/agendas.py`` stored
the bodies, meetings, items and documents and took a snapshot of each meeting before and
after). It reports ``agenda_match`` for every matching item from the first crawl on (the
change log keeps one per item) and ``meeting_change`` when a meeting with matches is
cancelled, rescheduled, or its agenda amended so that matching items appear, change or
disappear. What is searched: ``meeting_matches.py`` (items, then agenda documents); a
match found in both is one change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from civicradar.models.ingest.meetings import AgendaDiff, MeetingDiff, MeetingSnapshot
from civicradar.models.ingest.run import RunFacts
from civicradar.models.store import ChangeDraft
from civicradar.monitors.findings import Findings, Settings
from civicradar.monitors.matching import Matcher
from civicradar.monitors.meeting_matches import meeting_matches, observed_sources
from civicradar.monitors.targets import FoundMatch, amendment

AGENDA_MATCH_IMPORTANCE = 70
MEETING_CHANGE_IMPORTANCE = 60
CALLED_OFF = ("cancelled", "postponed")


def detect_agendas(run: RunFacts, diff: AgendaDiff, settings: Settings) -> Findings:
    matcher = Matcher.from_initiative(settings.initiative)
    findings = Findings()
    for meeting in diff.meetings:
        after = meeting_matches(meeting.after, matcher)
        findings.changes.extend(_match_drafts(run, meeting.after, after))
        if meeting.before is not None:
            findings.changes.extend(_meeting_changes(run, meeting, matcher, after))
    return findings


# --- what gets reported ---------------------------------------------------------------


def _meeting_data(meeting: MeetingSnapshot) -> dict[str, Any]:
    start = meeting.start
    return {
        "body": meeting.body_name,
        "meeting_date": meeting.meeting_date.isoformat(),
        "meeting_id": meeting.id,
        "start": start.isoformat() if start else None,
        "status": meeting.status,
        "agenda_url": meeting.agenda_url,
    }


def _match_drafts(
    run: RunFacts, meeting: MeetingSnapshot, matches: dict[str, FoundMatch]
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
                source_key=run.source_key,
                dedupe_key=f"agenda_match:{run.source_id}:{meeting.external_id}:{key}",
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
    run: RunFacts, diff: MeetingDiff, matcher: Matcher, after: dict[str, FoundMatch]
) -> list[ChangeDraft]:
    """Cancelled, rescheduled, agenda amended: only for meetings with matching items."""
    before, meeting = diff.before, diff.after
    assert before is not None
    before_matches = meeting_matches(before, matcher)
    if not before_matches and not after:
        return []
    found: list[tuple[str, str, dict[str, Any]]] = []
    if meeting.status in CALLED_OFF and before.status not in CALLED_OFF:
        found.append((meeting.status, f"{meeting.status} ({meeting.status_evidence})", {}))
    start = meeting.start
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
    if diff.items_fetched or diff.documents_read:
        amended = amendment(before_matches, after, observed_sources(before), removals=run.healthy)
        if amended:
            found.append(("agenda amended", _describe_amendment(amended), amended))
    drafts = []
    for what, description, extra in found:
        digest = hashlib.sha1(description.encode()).hexdigest()[:12]
        drafts.append(
            ChangeDraft(
                kind="meeting_change",
                jurisdiction_id=meeting.jurisdiction_id,
                source_key=run.source_key,
                dedupe_key=(
                    f"meeting_change:{run.source_id}:{meeting.external_id}:"
                    f"{run.run_id}:{what}:{digest}"
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
