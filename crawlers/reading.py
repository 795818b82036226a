"""How a source's pages were understood, and whether that understanding can be trusted.

A :class:`Reading` says which column, CSS selector or part of a repeated block fed each
field, how many rows were read and how many lacked a required field. It is kept with the
crawl run and printed by ``civicradar check``. Two checks turn a wrong understanding into
a suspicious run instead of quiet nonsense:

- rows that fold onto the same identity far more than real lists do (a person's name key;
  for candidates the election, name key and office, as the candidate monitor merges
  them) — an office or department column read as the name makes hundreds of rows a few
  dozen "people";
- a required field (the name; for candidates also the office) empty in most rows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from civicradar.models.names import fold, normal_department, normal_label
from civicradar.models.offices import normalize_office
from civicradar.models.records import CandidateRecord, PersonRecord, Record

REQUIRED = {"staff_directory": ("name",), "candidate_list": ("name", "office")}
FOLD_SHARE = 0.02
FOLD_ROWS = 5
"""More folded rows than both of these (2% of the rows, and 5 rows) is a collapse."""
GEOGRAPHY_WORDS = {"county", "precinct", "parish", "ballot", "municipality", "jurisdiction"}
"""Columns a list repeats a candidacy over (one row per county the contest spans)."""


@dataclass
class Reading:
    """What one crawl understood of its source."""

    method: str  # columns | blocks | selectors | none
    fields: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    record: str | None = None  # blocks and selectors: what one record is
    rows: int = 0
    empty: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    found_instead: str | None = None
    warnings: list[str] = field(default_factory=list)

    def count_row(self, source_type: str, values: dict[str, str | None]) -> None:
        """One row or block read; ``values`` holds the required fields as read."""
        self.rows += 1
        for name in REQUIRED[source_type]:
            if not values.get(name):
                self.empty[name] += 1

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def mapping(self) -> str:
        """The mapping in a line: ``name <- "Person Name", title <- "Ward/Office"``."""
        used = ", ".join(f'{name} <- "{source}"' for name, source in self.fields.items())
        if self.method == "selectors":
            return f"selectors {used}"
        if self.method == "blocks":
            return f"{self.record}: {used}"
        return f"columns {used}" if used else "no columns"

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "fields": dict(self.fields),
            "unused": list(self.unused),
            "record": self.record,
            "rows": self.rows,
            "empty": dict(self.empty),
            "pages": self.pages,
            "found_instead": self.found_instead,
            "warnings": list(self.warnings),
        }


def reading_problems(
    source_type: str, source_id: str, reading: Reading, records: Iterable[Record]
) -> list[str]:
    """Why this crawl's records cannot be trusted as the list it read, if they cannot."""
    hint = (
        f"`civicradar check --source {source_id}` shows what was read; name the columns with "
        "`fields` or the parts of the page with `selectors`"
    )
    problems = []
    for name in REQUIRED.get(source_type, ()):
        empty = reading.empty.get(name, 0)
        if reading.rows >= 2 and empty * 2 > reading.rows:
            problems.append(
                f"{name} is empty in {empty} of {reading.rows} rows read with "
                f"{reading.mapping()}: the layout changed or was misread; {hint}"
            )
    folded = folds(source_type, records)
    if folded is not None:
        count, rows, examples = folded
        if count > FOLD_ROWS and count > FOLD_SHARE * rows:
            shown = ", ".join(f'"{label}" x{n}' for label, n in examples)
            problems.append(
                f"{count} of {rows} rows fold onto a {_identity(source_type)} already listed "
                f"with other details (e.g. {shown}), far more than real lists repeat: read "
                f"with {reading.mapping()}, the name is probably not the name; {hint}"
            )
    return problems


def folds(source_type: str, records: Iterable[Record]) -> tuple[int, int, list] | None:
    """(rows folded, rows, the most repeated identities with their counts): a row folds
    when its identity is already listed with different details. Rows repeating the same
    details (one per county of a contest, a person listed twice alike) do not."""
    details: dict[Any, set[tuple]] = defaultdict(set)
    labels: dict[Any, str] = {}
    rows = 0
    for record in records:
        identity = _identity_of(record)
        if identity is None:
            continue
        rows += 1
        details[identity].add(_details(record))
        labels.setdefault(identity, record.name)  # type: ignore[attr-defined]
    if not rows:
        return None
    repeated = Counter({key: len(found) - 1 for key, found in details.items() if len(found) > 1})
    examples = [(labels[key], n + 1) for key, n in repeated.most_common(3)]
    return sum(repeated.values()), rows, examples


def quick_name_key(raw: str) -> str:
    """First and last name folded ("Smith, John A. Jr." -> "john smith"): the name key of
    ``models/names.py`` without its parser, which costs milliseconds a name — too much to
    spend on every row of every crawl just to count repeats."""
    text = NICKNAME.sub(" ", raw)
    last, comma, rest = text.partition(",")
    if comma and not set(fold(rest).split()) <= SUFFIXES:
        text = f"{rest} {last}"
    words = [w for w in fold(text).split() if len(w) > 1 and w not in SUFFIXES | HONORIFICS]
    return f"{words[0]} {words[-1]}" if len(words) > 1 else "".join(words)


NICKNAME = re.compile(r"\([^)]*\)|\"[^\"]*\"|\u201c[^\u201d]*\u201d")
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"}
HONORIFICS = {"mr", "mrs", "ms", "dr", "hon", "rev"}


def _identity_of(record: Record) -> Any:
    if isinstance(record, PersonRecord):
        return quick_name_key(record.name) or None
    if isinstance(record, CandidateRecord):
        key = quick_name_key(record.name)
        if not key:
            return None
        office = normalize_office(record.office, record.district).key
        return (record.election_name, record.election_date, key, office)
    return None


def _details(record: Record) -> tuple:
    if isinstance(record, PersonRecord):
        return (
            normal_label(record.title),
            normal_department(record.department),
            record.email,
            record.phone,
        )
    assert isinstance(record, CandidateRecord)
    extra = tuple(
        sorted(
            (key, value)
            for key, value in record.extra.items()
            if not set(key.lower().replace("_", " ").split()) & GEOGRAPHY_WORDS
        )
    )
    own = record.model_dump(exclude={"extra", "record_type"})
    return (*sorted((k, str(v)) for k, v in own.items()), extra)


def _identity(source_type: str) -> str:
    return "person" if source_type == "staff_directory" else "candidacy (name and office)"
