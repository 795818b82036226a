"""Offices and districts compared by meaning, not spelling.

"Alderman, Ward 3", "Ward 03 Alderperson" and "City Council District 3" are one seat:
each reduces to an :class:`Office` of kind ``council`` in district ``3``. A place named in
the office ("CITY OF HICKORY ALDERMAN WARD 05") stays in the key, so ward 5 of Hickory and
ward 5 of another town never merge. Misspelled words ("03rd Dostrict Council") are
corrected against a small vocabulary with rapidfuzz before reading; the raw text is kept
by the caller for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from civicradar.models.candidate_queries import OfficeTest
from civicradar.models.names import fold

KINDS: dict[str, tuple[str, ...]] = {
    "council": (
        "city council",
        "town council",
        "village council",
        "common council",
        "council member",
        "councilmember",
        "councilman",
        "councilwoman",
        "councilor",
        "councillor",
        "council",
        "alderman",
        "alderwoman",
        "alderperson",
        "aldermen",
        "alder",
        "commissioners council",
    ),
    "mayor": ("mayor",),
    "school board": (
        "board of education",
        "school board",
        "school committee",
        "school trustee",
        "school district board",
    ),
    "commissioner": ("commissioner", "commission"),
    "house": ("house", "us house", "house of representatives", "representative"),
    "senate": ("senate", "us senate", "senator"),
    "president": ("president", "presidential"),
}
"""Office kinds and the phrases that name them (longest phrases are tried first)."""

VOCABULARY = (
    "district",
    "council",
    "councilmember",
    "alderman",
    "alderperson",
    "alderwoman",
    "commissioner",
    "commission",
    "mayor",
    "education",
    "school",
    "board",
    "trustee",
    "member",
    "position",
    "village",
    "county",
    "sheriff",
    "register",
    "treasurer",
    "controller",
    "comptroller",
    "clerk",
    "attorney",
    "representative",
    "senate",
    "president",
    "large",
)
"""Words worth correcting when misspelled; short words are never corrected."""

GENERIC = {
    *("of", "the", "for", "and", "city", "town", "village", "township", "member", "seat"),
    *("us", "federal"),
}
"""Words that do not tell two offices apart once the kind and the district are known."""

ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_DISTRICT_WORD = r"(?:district|ward|dist|seat|position|pos|zone|precinct|area|subdistrict)"
_NUMBER = r"(\d{1,3}|[a-z])(?:st|nd|rd|th)?"
_BEFORE = re.compile(rf"\b{_DISTRICT_WORD}\s*(?:no\s*)?{_NUMBER}\b")
_AFTER = re.compile(rf"\b(\d{{1,3}})(?:st|nd|rd|th)?\s+{_DISTRICT_WORD}\b")
_AT_LARGE = re.compile(r"\bat\s*large\b")
_STATE_DISTRICT = re.compile(r"^([a-z]{2})\s*0*(\d{1,3})$")


@dataclass(frozen=True)
class Office:
    """An office reduced for comparison: ``key`` joins place, kind and district."""

    kind: str
    place: str
    district: str | None

    @property
    def key(self) -> str:
        parts = [self.place, self.kind, self.district or ""]
        return " ".join(p for p in parts if p).strip() or "unknown"


@lru_cache(maxsize=65536)
def correct_words(text: str) -> str:
    """Folded text with each long word replaced by the vocabulary word it misspells."""
    words = []
    for word in fold(text).split():
        if len(word) >= 5 and not word.isdigit() and word not in VOCABULARY:
            found = process.extractOne(word, VOCABULARY, scorer=fuzz.ratio, score_cutoff=80)
            if found is not None:
                word = found[0]
        words.append(word)
    return re.sub(r"\bu s\b", "us", " ".join(words))


def district_key(text: str | None) -> str | None:
    """A district as a comparable token: ``3`` for "Ward 03" or "Third Ward", ``at large``,
    ``ma 6`` for "MA-06"; None when there is none."""
    if not text:
        return None
    folded = correct_words(text)
    if not folded:
        return None
    if _AT_LARGE.search(folded):
        return "at large"
    found = _STATE_DISTRICT.match(folded)
    if found:
        return f"{found.group(1)} {int(found.group(2))}"
    number = _number_in(folded)
    if number is not None:
        return number
    if folded.isdigit():
        return str(int(folded))
    return folded


def _number_in(folded: str) -> str | None:
    for pattern in (_BEFORE, _AFTER):
        found = pattern.search(folded)
        if found:
            value = found.group(1)
            return str(int(value)) if value.isdigit() else value
    for word, number in ORDINAL_WORDS.items():
        if re.search(rf"\b{word}\s+{_DISTRICT_WORD}\b|\b{_DISTRICT_WORD}\s+{word}\b", folded):
            return str(number)
    return None


@lru_cache(maxsize=65536)
def normalize_office(office: str, district: str | None = None) -> Office:
    """Kind, place and district of an office as a filing words it (district column wins)."""
    text = correct_words(office)
    seat = district_key(district) or _seat_in(text)
    text = _strip_seat(text)
    kind = ""
    for name, phrases in sorted(KINDS.items()):
        for phrase in sorted(phrases, key=len, reverse=True):
            if re.search(rf"\b{phrase}\b", text):
                kind = name
                text = re.sub(rf"\b{phrase}\b", " ", text, count=1)
                break
        if kind:
            break
    rest = [w for w in text.split() if w not in GENERIC]
    if not kind:
        return Office(kind=" ".join(rest) or "unknown", place="", district=seat)
    return Office(kind=kind, place=" ".join(rest), district=seat)


def _seat_in(text: str) -> str | None:
    if _AT_LARGE.search(text):
        return "at large"
    return _number_in(text)


def _strip_seat(text: str) -> str:
    text = _AT_LARGE.sub(" ", text)
    text = _BEFORE.sub(" ", text)
    text = _AFTER.sub(" ", text)
    for word in ORDINAL_WORDS:
        text = re.sub(rf"\b{word}\s+{_DISTRICT_WORD}\b|\b{_DISTRICT_WORD}\s+{word}\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def office_label(office: str, district: str | None) -> str:
    """How an office reads in a summary: the filing's words, plus the district if separate."""
    if district and district_key(district) != _seat_in(correct_words(office)):
        return f"{office} ({district})"
    return office


def office_matcher(text: str | None) -> OfficeTest | None:
    """The ``--office`` / ``?office=`` test: the filing's words contain ``text``, or the
    office is the same seat however it is written ("Ward 3 Alderman" finds "City Council
    District 3"); None for no filter."""
    if not text:
        return None
    wanted = normalize_office(text)
    words = fold(text)

    def matches(office: str, office_key: str) -> bool:
        if words and words in fold(office):
            return True
        if wanted.kind == "unknown":
            return False
        if office_key == wanted.key:
            return True
        found = normalize_office(office)
        return (
            found.kind == wanted.kind
            and (not wanted.place or wanted.place == found.place)
            and (not wanted.district or wanted.district == found.district)
        )

    return matches
