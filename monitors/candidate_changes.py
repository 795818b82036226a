"""What a candidacy's change says: status kinds read from filing words, and the change drafts.

Change data never holds an address: only what a filing offers for outreach (email, phone,
website, committee) and what identifies the race.
"""

from __future__ import annotations

import re
from typing import Any

from civicradar.models.offices import office_label
from civicradar.models.store import ChangeDraft
from civicradar.models.tables import Candidacy

STATUS_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("withdrawn", re.compile(r"withdr[ae]wn?|\bwd\b|^w$|dropped out|terminated|no longer listed")),
    (
        "disqualified",
        re.compile(r"disqualif|not qualified|unqualified|rejected|denied|removed|ineligible"),
    ),
    ("qualified", re.compile(r"qualified|certified|on (?:the )?ballot|approved|accepted")),
)
"""Status words by meaning, tried in order ("not qualified" before "qualified")."""

UPDATE_WORDS = {
    "withdrawn": "withdrew",
    "disqualified": "disqualified",
    "qualified": "qualified",
    "filed": "filed again",
}
IMPORTANCE = {"new_candidate": 70, "candidate_update": 60}


def status_kind(status: str | None) -> str:
    """filed, qualified, withdrawn or disqualified, from whatever the list writes."""
    text = (status or "").strip().lower()
    for kind, pattern in STATUS_PATTERNS:
        if pattern.search(text):
            return kind
    return "filed"


def candidacy_data(candidacy: Candidacy) -> dict[str, Any]:
    """The fields every candidate change carries (no address, ever)."""
    election = candidacy.election
    return {
        "name": candidacy.name,
        "office": candidacy.office,
        "district": candidacy.district,
        "office_key": candidacy.office_key,
        "election": election.name,
        "election_date": election.date.isoformat() if election.date else None,
        "filed_on": candidacy.filed_on.isoformat() if candidacy.filed_on else None,
        "party": candidacy.party,
        "status": candidacy.status_kind,
        "status_text": candidacy.status,
        "email": candidacy.email,
        "phone": candidacy.phone,
        "website": candidacy.website,
        "committee": candidacy.committee,
        "incumbent": candidacy.incumbent,
        "insider": candidacy.insider_title,
        "insider_role": candidacy.insider,
        "candidacy_id": candidacy.id,
    }


def _who(candidacy: Candidacy) -> str:
    if candidacy.incumbent:
        return f" (now {candidacy.insider_title})" if candidacy.insider_title else " (incumbent)"
    if candidacy.insider_title:
        return f" (on staff: {candidacy.insider_title})"
    return ""


def new_candidate(
    candidacy: Candidacy, jurisdiction_id: str, source_key: str, url: str | None, others: list
) -> ChangeDraft:
    data = candidacy_data(candidacy)
    if others:
        data["other_elections"] = others
    election = candidacy.election
    when = f"{election.name}" + (f", {election.date.isoformat()}" if election.date else "")
    return ChangeDraft(
        kind="new_candidate",
        jurisdiction_id=jurisdiction_id,
        source_key=source_key,
        dedupe_key=f"new_candidate:{candidacy.id}",
        summary=f"New candidate: {candidacy.name}{_who(candidacy)} for "
        f"{office_label(candidacy.office, candidacy.district)} ({when})",
        url=candidacy.website or url,
        data=data,
        importance=IMPORTANCE["new_candidate"] + (10 if candidacy.insider_title else 0),
    )


def candidate_update(
    candidacy: Candidacy,
    jurisdiction_id: str,
    source_key: str,
    url: str | None,
    run_id: int,
    what: str,
    **previous: Any,
) -> ChangeDraft:
    """``what`` is withdrew, qualified, disqualified, filed again or office_changed;
    ``previous`` holds previous_status and/or previous_office."""
    data = candidacy_data(candidacy)
    data["what"] = what
    data["previous_status"] = previous.pop("previous_status", candidacy.status_kind)
    data.update(previous)
    office = office_label(candidacy.office, candidacy.district)
    if what == "office_changed":
        summary = f"{candidacy.name} now runs for {office} (was {data.get('previous_office')})"
    elif what == "withdrew" and data.get("reason"):
        summary = f"{candidacy.name} withdrew from the race for {office} ({data['reason']})"
    else:
        summary = f"{candidacy.name} {what} ({office}; was {data['previous_status']})"
    return ChangeDraft(
        kind="candidate_update",
        jurisdiction_id=jurisdiction_id,
        source_key=source_key,
        dedupe_key=f"candidate_update:{candidacy.id}:{what}:{run_id}",
        summary=summary,
        url=url,
        data=data,
        importance=IMPORTANCE["candidate_update"],
    )
