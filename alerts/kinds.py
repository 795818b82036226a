"""How each kind of change is named, ranked and summarised for a reader.

Shared by the digest, the feeds and the web pages so a change reads the same everywhere.
Details come only from :func:`civicradar.alerts.public.public_data`, never raw data.
"""

from __future__ import annotations

from typing import Any

from civicradar.alerts.public import public_data
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

# (data key, label) shown under a change, per kind, in this order.
DETAIL_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "new_candidate": (
        ("office", "Office"),
        ("district", "District"),
        ("party", "Party"),
        ("election_date", "Election"),
        ("filed_on", "Filed"),
        ("email", "Email"),
        ("phone", "Phone"),
        ("website", "Website"),
    ),
    "candidate_update": (
        ("office", "Office"),
        ("status", "Status"),
        ("previous_status", "Was"),
    ),
    "staff_departure": (
        ("title", "Title"),
        ("department", "Department"),
        ("last_seen", "Last seen"),
    ),
    "staff_arrival": (("title", "Title"), ("department", "Department"), ("email", "Email")),
    "staff_role_change": (
        ("title", "Title"),
        ("department", "Department"),
        ("previous_title", "Was"),
        ("previous_department", "Previously in"),
    ),
    "agenda_match": (
        ("body", "Body"),
        ("meeting_date", "Hearing date"),
        ("item_title", "Item"),
        ("matched_terms", "Matched"),
        ("snippet", "Excerpt"),
    ),
    "meeting_change": (("body", "Body"), ("meeting_date", "Meeting date"), ("what", "What")),
    "source_problem": (("status", "Status"), ("detail", "Detail")),
}


def kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def kind_label(kind: str, *, plural: bool = True) -> str:
    labels = KIND_LABELS if plural else KIND_SINGULAR
    return labels.get(kind, kind.replace("_", " ").capitalize())


def details(change: Change) -> list[tuple[str, str]]:
    """Labelled, public detail lines for a change (empty values left out)."""
    data = public_data(change.data or {})
    lines: list[tuple[str, str]] = []
    for key, label in DETAIL_FIELDS.get(change.kind, ()):
        text = _as_text(data.get(key))
        if text:
            lines.append((label, text))
    return lines


def _as_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    return str(value)


def by_importance(changes: list[Change]) -> list[Change]:
    """Most important first: the change's own importance, then its kind, then newest."""
    return sorted(
        changes,
        key=lambda c: (-(c.importance or 0), kind_rank(c.kind), -c.detected_at.timestamp(), c.id),
    )
