"""Who is who across spellings: name keys from a name parser, fuzzy comparison as a fallback.

"Smith, John A.", "John Smith", "SMITH,  JOHN A" and 'John "Jack" Smith' all reduce to the
key ``john smith``: the parser (nameparser) splits first, middle, last, nickname and
suffix; the key keeps only first and last, folded to plain lower-case letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName
from rapidfuzz import fuzz

FUZZY_THRESHOLD = 90.0
"""Minimum token-sort similarity (0-100) for two keys to count as one person by fuzz alone."""


@dataclass(frozen=True)
class PersonName:
    """A parsed name: a display form for people and a key for matching."""

    display: str
    first: str
    last: str
    key: str


def fold(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces: accents, dots and hyphens dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.replace("'", "").replace("\u2019", ""))
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=262144)
def parse_name(raw: str) -> PersonName:
    """Parse any common directory spelling of a person's name."""
    text = re.sub(r"\s+", " ", raw.replace("\xa0", " ")).strip().strip(",")
    parsed = HumanName(text)
    if text.isupper() or text.islower():
        parsed.capitalize(force=True)
    first, last = fold(parsed.first), fold(parsed.last)
    if not first and not last:
        folded = fold(text)
        return PersonName(display=text, first="", last=folded, key=folded)
    display_parts = [parsed.first, parsed.middle, parsed.last, parsed.suffix]
    display = " ".join(part for part in display_parts if part).strip() or text
    return PersonName(display=display, first=first, last=last, key=f"{first} {last}".strip())


def name_key(raw: str) -> str:
    return parse_name(raw).key


def similarity(a: str, b: str) -> float:
    """How alike two name keys are, 0-100, ignoring word order."""
    return fuzz.token_sort_ratio(a, b)


def compatible(a: PersonName, b: PersonName) -> bool:
    """Could these two spellings belong to one person who kept an email address?

    A shared last name or a shared first name is required, so a role mailbox handed to a
    successor (``ward45@...``) does not merge two people.
    """
    if a.key == b.key:
        return True
    if a.last and a.last == b.last:
        return True
    return bool(a.first) and a.first == b.first  # a new surname, same first name and mailbox


def fuzzy_same(a: PersonName, b: PersonName, threshold: float = FUZZY_THRESHOLD) -> bool:
    """A conservative last resort: near-identical keys with the same first initial."""
    if not a.key or not b.key or a.first[:1] != b.first[:1]:
        return False
    return similarity(a.key, b.key) >= threshold


@lru_cache(maxsize=65536)
def normal_label(text: str | None) -> str:
    """Titles and departments compared without case, punctuation or spacing differences."""
    return fold(text or "")


GENERIC_DEPARTMENT_WORDS = frozenset({"department", "dept", "division", "div", "the", "of", "and"})
"""Words a relabel adds or drops around a department's own name ("Planning Dept.",
"Department of Planning", "Planning Div."): ignored at the edges when comparing."""


@lru_cache(maxsize=65536)
def normal_department(text: str | None) -> str:
    """A department compared without its generic words: "Department of Planning",
    "Planning Dept." and "Planning" are one department, "Parks" another. "Office of" is
    dropped only in front, "and"/"&" anywhere; a label of generic words alone is kept."""
    folded = fold(text or "")
    words = [w for w in folded.split() if w != "and"]
    while words:
        if words[:2] == ["office", "of"]:
            del words[:2]
        elif words[0] in GENERIC_DEPARTMENT_WORDS:
            del words[0]
        elif words[-1] in GENERIC_DEPARTMENT_WORDS:
            del words[-1]
        else:
            break
    return " ".join(words) or folded
