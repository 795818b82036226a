"""What a candidacy's change says: the words for status changes, and the change drafts.

Change data never holds an address: only what a filing offers for outreach (email, phone,
website, committee) and what identifies the race.
"""

from __future__ import annotations

from typing import Any

from civicradar.models.ingest.candidacies import CandidacySnapshot
from civicradar.models.ingest.run import RunFacts
from civicradar.models.offices import office_label
from civicradar.models.store import ChangeDraft

UPDATE_WORDS = {
    "withdrawn": "withdrew",
    "disqualified": "disqualified",
    "qualified": "qualified",
    "filed": "filed again",
}
IMPORTANCE = {"new_candidate": 70, "candidate_update": 60}


def candidacy_data(candidacy: CandidacySnapshot) -> dict[str, Any]:
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


def _who(candidacy: CandidacySnapshot) -> str:
    if candidacy.incumbent:
        return f" (now {candidacy.insider_title})" if candidacy.insider_title else " (incumbent)"
    if candidacy.insider_title:
        return f" (on staff: {candidacy.insider_title})"
    return ""


def new_candidate(run: RunFacts, candidacy: CandidacySnapshot, others: list[str]) -> ChangeDraft:
    data = candidacy_data(candidacy)
    if others:
        data["other_elections"] = others
    election = candidacy.election
    when = f"{election.name}" + (f", {election.date.isoformat()}" if election.date else "")
    return ChangeDraft(
        kind="new_candidate",
        jurisdiction_id=run.jurisdiction_id,
        source_key=run.source_key,
        dedupe_key=f"new_candidate:{candidacy.id}",
        summary=f"New candidate: {candidacy.name}{_who(candidacy)} for "
        f"{office_label(candidacy.office, candidacy.district)} ({when})",
        url=candidacy.website or run.source_url,
        data=data,
        importance=IMPORTANCE["new_candidate"] + (10 if candidacy.insider_title else 0),
    )


def candidate_update(
    run: RunFacts, candidacy: CandidacySnapshot, what: str, **previous: Any
) -> ChangeDraft:
    """``what`` is withdrew, qualified, disqualified, listed again or office_changed;
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
        jurisdiction_id=run.jurisdiction_id,
        source_key=run.source_key,
        dedupe_key=f"candidate_update:{candidacy.id}:{what}:{run.run_id}",
        summary=summary,
        url=run.source_url,
        data=data,
        importance=IMPORTANCE["candidate_update"],
    )
