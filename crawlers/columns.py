"""Which column holds which field: every header weighed for every field, best pairs first.

Real headers mix a field with qualifiers ("Candidate Last Name and Suffix", "Filing Type
and Date", "Public Phone", "Ward Office Phone") and name other things with the same
words ("Office Name", "County Name", "Committee Name"). A header is scored for a field
by the field's phrases it contains; a word naming another kind of column ("office",
"county", "committee", "mailing" ...) rules the header out for that field, so "Office
Name" is an office and never a person's name. Pairs are then taken best first, each
header and each field at most once. A source's ``fields`` mapping always wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_STAFF_NAME = ("name", "person name", "full name", "employee", "employee name", "staff")
VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "staff_directory": {
        "name": (
            *_STAFF_NAME,
            *("staff name", "contact", "official", "member", "member name", "elected official"),
            *("council member", "councilmember", "board member", "name of official"),
        ),
        "first_name": ("first name", "first", "given name"),
        "last_name": ("last name", "last", "surname", "family name"),
        "title": (
            *("title", "position", "position title", "job title", "role", "job"),
            *("ward/office", "district", "seat", "classification", "job classification"),
            "working title",
        ),
        "department": (
            *("department", "dept", "division", "agency", "office", "bureau"),
            *("organization", "unit", "department name", "section"),
        ),
        "email": ("email", "e mail", "email address", "e mail address", "mail"),
        "phone": (
            *("phone", "telephone", "phone number", "tel", "work phone", "office phone"),
            *("ward office phone", "city hall phone", "direct line"),
        ),
        "url": ("website", "web site", "profile", "url", "web page", "homepage", "bio"),
    },
    "candidate_list": {
        "name": (
            *("name", "candidate", "candidate name", "name on ballot", "ballot name"),
            *("full name", "candidate full name", "candidate ballot name"),
        ),
        "first_name": ("first name", "first", "given name"),
        "middle_name": ("middle name", "middle"),
        "last_name": ("last name", "last", "surname"),
        "suffix": ("suffix", "name suffix", "name suffix lbl"),
        "nickname": ("nickname", "nick name"),
        "office": (
            *("office", "contest", "contest name", "office sought", "seat", "race"),
            *("position", "office name", "office title", "office/position"),
        ),
        "district": (
            *("district", "ward", "district/ward", "district name", "seat number"),
            *("district number", "ward number"),
        ),
        "party": (
            *("party", "party candidate", "political party", "affiliation"),
            "party affiliation",
        ),
        "filed_on": (
            *("filed", "filed on", "filing date", "date filed", "candidacy date"),
            *("candidacy dt", "filing dt", "date of filing", "file date", "declaration date"),
            "date",
        ),
        "status": ("status", "candidate status", "filing status", "ballot status"),
        "email": ("email", "e mail", "email address"),
        "phone": (
            *("business phone", "office phone", "campaign phone", "phone", "telephone"),
            "phone number",
        ),
        "website": ("website", "web site", "url", "campaign website", "web", "homepage"),
        "committee": ("committee", "committee name", "campaign committee"),
        "address": (
            *("address", "street address", "street", "mailing address"),
            "residence address",
        ),
        "external_id": ("candidate id", "filer id", "candidate number", "id"),
        "election_name": ("election", "election name", "election type"),
        "election_date": ("election date", "election dt", "election day"),
    },
}

NAME_FIELDS = ("name", "first_name", "middle_name", "last_name", "suffix", "nickname")
NAME_WORDS = {"name", "first", "middle", "last", "suffix", "nickname", "nick", "given"}
NAME_WORDS |= {"surname", "family", "lbl"}

KIND_WORDS: dict[str, frozenset[str]] = {
    word: frozenset(fields)
    for words, fields in (
        (("office", "contest", "race", "seat", "position"), ("office", "title", "department")),
        (("district", "ward"), ("district", "title")),
        (("county", "precinct", "parish", "municipality", "jurisdiction"), ()),
        (("committee",), ("committee",)),
        (("party", "affiliation"), ("party",)),
        (("election",), ("election_name", "election_date")),
        (("related", "treasurer", "agent", "spouse", "manager", "chair"), ()),
        (("mailing", "street", "residence", "address", "city", "state", "zip"), ("address",)),
        (("phone", "telephone", "fax", "tel", "cell", "mobile"), ("phone",)),
        (("email", "mail"), ("email",)),
        (("website", "web", "url", "homepage", "site"), ("website", "url")),
        (("department", "dept", "division", "agency", "bureau"), ("department",)),
        (("salary", "pay", "wage", "hire", "hired", "term", "vote", "votes"), ()),
        (("status",), ("status",)),
        (("date", "dt"), ("filed_on", "election_date")),
    )
    for word in words
}
"""Words that make a header about something of their own kind ("Office Name" is an office,
"County Name" is a county): such a header can only be one of the listed fields."""

CONTACT_FIELDS = {"phone", "email", "url", "website", "address"}
CONTACT_QUALIFIERS = {"office", "ward", "district", "city", "committee", "campaign", "business"}
CONTACT_QUALIFIERS |= {"hall", "home", "work", "main", "direct", "public", "primary", "personal"}
CONTACT_QUALIFIERS |= {"cell", "mobile", "state"}
"""Words that say whose phone or email it is ("Ward Office Phone"): fine for contact fields."""

FILLER = {"and", "of", "the", "on", "or", "for", "to", "s", "a", "candidate", "candidates"}
FILLER |= {"public", "official", "full", "current", "type", "number", "no"}


@lru_cache(maxsize=8192)
def normalize_header(header: str) -> str:
    text = re.sub(r"[_\-]+", " ", header.strip().lower())
    text = re.sub(r"[^a-z0-9/ ]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _words(normalized: str) -> list[str]:
    return [w for w in re.split(r"[\s/]+", normalized) if w]


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def lookup(row: Mapping[str, Any], column: str) -> Any:
    """A column by header, or a nested JSON key by dotted path (``name.full_name``)."""
    if column in row:
        return row[column]
    value: Any = row
    for part in column.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


@dataclass(frozen=True)
class ColumnMap:
    """Which source column feeds each CivicRadar field, and every header the source had."""

    columns: dict[str, str]
    headers: tuple[str, ...]

    def value(self, row: Mapping[str, Any], field_name: str) -> str | None:
        column = self.columns.get(field_name)
        if column is None:
            return None
        value = lookup(row, column)
        if value is None:
            return None
        text = clean_text(str(value))
        return text or None

    def missing(self, required: Iterable[str]) -> list[str]:
        return [name for name in required if name not in self.columns]

    def unused(self) -> list[str]:
        """Headers no field took (kept in a candidacy's ``extra``, or ignored)."""
        used = set(self.columns.values())
        return [h for h in self.headers if h not in used]


@lru_cache(maxsize=65536)
def header_score(field_name: str, header: str, phrases: tuple[str, ...]) -> float:
    """How surely ``header`` holds ``field_name``: 100 for an exact phrase (earlier phrases
    first), less for a header that contains a phrase among qualifiers, 0 when a word of
    the header names another kind of column."""
    norm = normalize_header(header)
    if not norm:
        return 0.0
    for index, phrase in enumerate(phrases):
        if norm == normalize_header(phrase):
            return 100.0 - index * 0.1
    words = _words(norm)
    if _ruled_out(field_name, words):
        return 0.0
    best = 0.0
    first_conjunct = set(words[: words.index("and")]) if "and" in words else set(words)
    for phrase in phrases:
        wanted = _words(normalize_header(phrase))
        if not wanted or not set(wanted) <= set(words):
            continue
        others = [w for w in words if w not in wanted and w not in FILLER]
        if field_name in NAME_FIELDS:  # a name part beside another is fine; the whole name not
            parts = {"name", "full"} if field_name == "name" else NAME_WORDS
            others = [w for w in others if w not in parts]
        score = 40.0 + 10 * len(wanted) - 3 * len(others)
        score += 5 if words[-1] == wanted[-1] else 0  # the head noun ends the header
        score += 5 if set(wanted) <= first_conjunct else 0  # "Last Name and Suffix"
        best = max(best, score)
    return best


def _ruled_out(field_name: str, words: list[str]) -> bool:
    for word in words:
        fields = KIND_WORDS.get(word)
        if fields is None or field_name in fields:
            continue
        if field_name in CONTACT_FIELDS and word in CONTACT_QUALIFIERS:
            continue
        if field_name == "filed_on" and word in ("date", "dt"):
            continue
        return True
    return False


def map_columns(
    headers: Iterable[str], source_type: str, explicit: Mapping[str, str] | None = None
) -> ColumnMap:
    """Match headers to fields: the explicit mapping first, then the best-scoring pairs."""
    headers = tuple(h for h in headers if h is not None)
    vocabulary = VOCABULARY[source_type]
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for field_name, header in (explicit or {}).items():
        if header in headers or "." in header:  # a renamed header falls back to detection
            columns[field_name] = header
            taken.add(header)
    order = {name: i for i, name in enumerate(vocabulary)}
    pairs = [
        (score, -order[field_name], -position, field_name, header)
        for field_name, phrases in vocabulary.items()
        if field_name not in columns
        for position, header in enumerate(headers)
        if header not in taken and (score := header_score(field_name, header, phrases)) > 0
    ]
    for _, _, _, field_name, header in sorted(pairs, reverse=True):
        if field_name not in columns and header not in taken:
            columns[field_name] = header
            taken.add(header)
    if "name" in columns and {"first_name", "last_name"} <= columns.keys():
        if "name" in _words(normalize_header(columns["name"])) or "name" in (explicit or {}):
            del columns["first_name"], columns["last_name"]
        else:  # "Contact" or "Staff" beside First/Last Name columns is not the name
            del columns["name"]
    position = {header: i for i, header in enumerate(headers)}
    ordered = dict(sorted(columns.items(), key=lambda item: position.get(item[1], len(headers))))
    return ColumnMap(columns=ordered, headers=headers)
