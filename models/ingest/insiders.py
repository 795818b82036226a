"""Which candidates already work for the jurisdiction: officials running again or for
another seat (``incumbent``), and staff members running (``insider`` with their title).

A candidate is matched to a person with an open tenure in the staff store by email, else
by name key; officials win over staff when one person is both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.records import CandidateRecord
from civicradar.models.tables import Person, Tenure


class Flagged(Protocol):
    insider: str | None
    insider_title: str | None
    incumbent: bool


@dataclass
class Insiders:
    """Current officials and staff of the jurisdiction: (role, title) by name key and email."""

    by_key: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_email: dict[str, tuple[str, str]] = field(default_factory=dict)

    def find(self, record: CandidateRecord, name_key: str) -> tuple[str, str] | None:
        email = record.email
        return (self.by_email.get(email) if email else None) or self.by_key.get(name_key)


def load_insiders(session: Session, jurisdiction_id: str) -> Insiders:
    """People with an open tenure here, in one query."""
    insiders = Insiders()
    rows = session.execute(
        select(Person.name_key, Person.email, Tenure.role, Tenure.title, Tenure.department)
        .join(Tenure, Tenure.person_id == Person.id)
        .where(Tenure.jurisdiction_id == jurisdiction_id, Tenure.ended_on.is_(None))
        .order_by(Tenure.role.desc())  # "staff" > "official": officials written last, win
    )
    for key, email, role, title, department in rows:
        label = ", ".join(p for p in (title, department) if p) or role
        insiders.by_key[key] = (role, label)
        if email:
            insiders.by_email[email] = (role, label)
    return insiders


def flag_insider(
    candidacy: Flagged, record: CandidateRecord, name_key: str, insiders: Insiders
) -> None:
    """Set ``insider``, ``insider_title`` and ``incumbent``; a flag once set is kept (a
    roster that fails one day does not unflag anybody)."""
    found = insiders.find(record, name_key)
    challenge = (record.extra.get("incumbent_challenge") or "").lower()
    if found is not None:
        candidacy.insider, candidacy.insider_title = found
        candidacy.incumbent = found[0] == "official"
    elif challenge.startswith("incumbent"):
        candidacy.insider, candidacy.incumbent = "incumbent", True
