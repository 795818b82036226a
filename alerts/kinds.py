"""How each kind of change is named, ranked and summarised for a reader.

Shared by the digest, the feeds and the web pages so a change reads the same everywhere.
The lines under a change are built in ``alerts/details.py``.
"""

from __future__ import annotations

from civicradar.alerts.details import DETAIL_FIELDS as DETAIL_FIELDS
from civicradar.alerts.details import detail_lines
from civicradar.models.tables import Change

# Most useful to an outreach team first: who is new, who left, what is on an agenda.
KIND_ORDER = (
    "new_candidate",
    "staff_departure",
    "agenda_match",
    "candidate_update",
    "meeting_change",
    "staff_arrival",
    "staff_role_change",
    "source_problem",
)

KIND_LABELS = {
    "new_candidate": "New candidates",
    "staff_departure": "Departures",
    "agenda_match": "Agenda items on the initiative",
    "candidate_update": "Candidate updates",
    "meeting_change": "Meeting changes",
    "staff_arrival": "Arrivals",
    "staff_role_change": "Role changes",
    "source_problem": "Source problems",
}

KIND_SINGULAR = {
    "new_candidate": "New candidate",
    "staff_departure": "Departure",
    "agenda_match": "Agenda match",
    "candidate_update": "Candidate update",
    "meeting_change": "Meeting change",
    "staff_arrival": "Arrival",
    "staff_role_change": "Role change",
    "source_problem": "Source problem",
}

# Summaries that already open with their kind ("New candidate: ...", "New official: ...").
NAMED_IN_SUMMARY: dict[str, tuple[str, ...]] = {
    "new_candidate": ("new candidate",),
    "staff_arrival": ("new official", "new staff"),
    "source_problem": ("source ",),
}


def kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def kind_label(kind: str, *, plural: bool = True) -> str:
    labels = KIND_LABELS if plural else KIND_SINGULAR
    return labels.get(kind, kind.replace("_", " ").capitalize())


def headline(change: Change) -> str:
    """``Kind: summary``, or the summary alone when it already names its kind."""
    label = kind_label(change.kind, plural=False)
    opening = change.summary.lower()
    if opening.startswith((label.lower(), *NAMED_IN_SUMMARY.get(change.kind, ()))):
        return change.summary
    return f"{label}: {change.summary}"


def details(change: Change, *, zone: str | None = None) -> list[tuple[str, str]]:
    """Labelled, public detail lines as plain text (``(label, text)``; links written out)."""
    return [(line.label, line.plain()) for line in detail_lines(change, zone=zone)]


def by_importance(changes: list[Change]) -> list[Change]:
    """Most important first: the change's own importance, then its kind, then newest."""
    return sorted(
        changes,
        key=lambda c: (-(c.importance or 0), kind_rank(c.kind), -c.detected_at.timestamp(), c.id),
    )
