"""Does a piece of text touch the initiative? Term matching shared by agenda items and documents.

A term matches case-insensitively as whole words, tolerant of plurals and of the ways
people space compounds ("child care", "childcare", "child-care"; "pre-k", "pre k",
"prek"). An ``exclude`` phrase that covers a match suppresses it, so "child care tax
credit" can be ignored while "child care" still counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# What may sit between the words of a phrase, or between the halves of a compound.
_GAP = r"[\s\-\u2010-\u2015_/]*"
# What may split a single written word ("childcare" as "child care"): one hyphen or space run.
_SPLIT = r"(?:[\s\-\u2010-\u2015]+)?"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    """One occurrence of a term in a text, with its character span."""

    term: str
    start: int
    end: int
    text: str


def _letters(word: str) -> str:
    """A word's pattern with an optional space or hyphen allowed between its letters."""
    return _SPLIT.join(re.escape(char) for char in word)


def _word_pattern(word: str, *, split: bool) -> str:
    """One word of a term, also matching its plural (or singular) form."""
    lower = word.lower()
    build = _letters if split else re.escape
    if len(lower) > 3 and lower.endswith("ies"):
        return build(lower[:-3]) + "(?:y|ies)"
    if len(lower) > 2 and lower.endswith("y") and lower[-2] not in "aeiou":
        return build(lower[:-1]) + "(?:y|ies)"
    if len(lower) > 4 and lower.endswith(("sses", "xes", "ches", "shes")):
        lower = lower[:-2]
    elif len(lower) > 3 and lower.endswith("s") and not lower.endswith("ss"):
        lower = lower[:-1]
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return build(lower) + "(?:es)?"
    return build(lower) + "(?:'?s)?"


def term_pattern(term: str) -> re.Pattern[str] | None:
    """The regex for one term or phrase; None when the term has no letters or digits."""
    words = _WORD.findall(term)
    if not words:
        return None
    last = len(words) - 1
    parts = []
    for index, word in enumerate(words):
        # Plural tolerance belongs on the last word of a phrase ("child care centers");
        # any word may be written split in the text ("childcare" -> "child care").
        if index == last:
            parts.append(_word_pattern(word, split=True))
        else:
            parts.append(_letters(word.lower()))
    body = _GAP.join(parts)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE | re.UNICODE)


class Matcher:
    """Finds an initiative's terms in text; build once per initiative, use on many texts."""

    def __init__(self, terms: Sequence[str], exclude: Sequence[str] = ()) -> None:
        self.terms = list(terms)
        self.exclude = list(exclude)
        self._terms = [(t, p) for t in self.terms if (p := term_pattern(t)) is not None]
        self._exclude = [p for t in self.exclude if (p := term_pattern(t)) is not None]

    @classmethod
    def from_initiative(cls, initiative: Any) -> Matcher:
        """From the config's ``initiative`` section (anything with ``terms`` and ``exclude``)."""
        return cls(initiative.terms, getattr(initiative, "exclude", None) or ())

    def find(self, text: str | None) -> list[Match]:
        """Every match of every term, in text order, minus those an exclusion covers."""
        if not text:
            return []
        excluded = [(m.start(), m.end()) for p in self._exclude for m in p.finditer(text)]
        found = []
        for term, pattern in self._terms:
            for m in pattern.finditer(text):
                if any(s <= m.start() and m.end() <= e for s, e in excluded):
                    continue
                found.append(Match(term=term, start=m.start(), end=m.end(), text=m.group(0)))
        return sorted(found, key=lambda m: (m.start, -m.end))

    def matched_terms(self, matches: Iterable[Match]) -> list[str]:
        """The distinct terms among these matches, in the order the initiative lists them."""
        hit = {m.term for m in matches}
        return [t for t in self.terms if t in hit]

    def matched_terms_of(self, terms: Iterable[str]) -> list[str]:
        """Distinct terms in the order the initiative lists them (merging two matches)."""
        hit = set(terms)
        return [t for t in self.terms if t in hit]


def snippet(text: str, match: Match, width: int = 160) -> str:
    """The match in context: about ``width`` characters, cut at word edges, whitespace tidied."""
    half = max(0, (width - (match.end - match.start)) // 2)
    start = max(0, match.start - half)
    end = min(len(text), match.end + half)
    if start > 0:
        space = text.find(" ", start, match.start)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", match.end, end)
        end = space if space != -1 else end
    piece = _SPACE.sub(" ", text[start:end]).strip()
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
