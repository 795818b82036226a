"""A candidate list's rows as candidacies: who runs for what, and what their status means.

Identity: a candidacy is one person (name key from ``models/names.py``) running for one
office (office key from ``models/offices.py``) in one election; rows repeated per county
or per ballot style collapse into one :class:`Filing`. Status words are read by meaning
("WD", "Withdrew", "no longer listed" are one kind).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from civicradar.models.ingest.run import ElectionRef
from civicradar.models.names import PersonName, parse_name
from civicradar.models.offices import normalize_office
from civicradar.models.records import CandidateRecord

UNDATED = "Election (date not listed)"

STATUS_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "withdrawn",
        re.compile(
            r"withdr[ae]wn?|\bwd\b|^w$|dropped out|terminated|no longer listed|deceased|died"
            r"|\binactive\b|resigned|replaced|substituted"
        ),
    ),
    (
        "disqualified",
        re.compile(
            r"disqualif|not (?:qualified|certified)|unqualified|decertified|rejected|denied"
            r"|removed|ineligible"
        ),
    ),
    ("qualified", re.compile(r"qualified|certified|on (?:the )?ballot|approved|accepted")),
)
"""Status words by meaning, tried in order ("not qualified" before "qualified"); anything
else ("Active", "Pending", "Filed") is a filed candidacy."""


def status_kind(status: str | None) -> str:
    """filed, qualified, withdrawn or disqualified, from whatever the list writes."""
    text = (status or "").strip().lower()
    for kind, pattern in STATUS_PATTERNS:
        if pattern.search(text):
            return kind
    return "filed"


@dataclass
class Filing:
    """One candidacy as this run lists it: its rows merged, its keys computed."""

    record: CandidateRecord
    name: PersonName
    office_key: str
    election: ElectionRef

    @property
    def key(self) -> str:
        return f"{self.name.key}|{self.office_key}"


def merge_filings(records: list[CandidateRecord], default: ElectionRef | None) -> list[Filing]:
    """The run's candidate rows merged per (election, person, office); blanks filled from
    the repeated rows, the first row's values kept otherwise. ``default`` is the election
    the source's config names, for rows that name none."""
    merged: dict[tuple[ElectionRef, str], Filing] = {}
    for record in records:
        name = parse_name(record.name)
        if not name.key:
            continue
        office = normalize_office(record.office, record.district)
        date = record.election_date or (default.date if default else None)
        label = record.election_name or (default.name if default and date == default.date else None)
        election = ElectionRef(label or (f"{date.isoformat()} election" if date else UNDATED), date)
        filing = Filing(record=record, name=name, office_key=office.key, election=election)
        known = merged.get((election, filing.key))
        if known is None:
            merged[(election, filing.key)] = filing
        else:
            blanks = {
                k: v
                for k, v in record.model_dump().items()
                if v and not getattr(known.record, k) and k != "extra"
            }
            if blanks:
                known.record = known.record.model_copy(update=blanks)
    return list(merged.values())
