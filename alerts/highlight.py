"""The initiative's words marked where they occur, and the sentence around them.

A term is found with the tolerance the matcher used to match it (any case, a plural,
"child care" / "child-care" / "childcare", "pre-k" / "pre k" / "prek"); alerts may not
import monitors, so the pattern is built here from the term's words. Markup is built
from escaped pieces: crawled text is escaped first and only our own tag wraps it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

# A sentence ends at . ! ? followed by space and something that starts a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_BETWEEN_WORDS = r"[\s\-\u2010-\u2015_/]*"  # "child care", "child-care", "childcare"
_INSIDE_WORD = r"[\s\-\u2010-\u2015]?"  # "childcare" written "child care"


def term_pattern(term: str) -> re.Pattern[str] | None:
    """Whole-word, case-blind pattern for a term; its last word may be plural."""
    words = [w.lower() for w in _WORD.findall(term)]
    if not words:
        return None
    spelled = [_INSIDE_WORD.join(re.escape(c) for c in word) for word in words]
    last = words[-1]
    if len(last) > 2 and last.endswith("y") and last[-2] not in "aeiou":
        spelled[-1] = _INSIDE_WORD.join(re.escape(c) for c in last[:-1]) + "(?:y|ies)"
    else:
        spelled[-1] += "(?:e?s|'s)?"
    body = _BETWEEN_WORDS.join(spelled)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where any of ``terms`` occurs in ``text``, as sorted, non-overlapping spans."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        pattern = term_pattern(term)
        if pattern is not None:
            spans.extend(
                (m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()
            )
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


MARK_TAGS = {
    "mark": Markup('<mark style="background-color: #fff0a0; color: inherit;">{}</mark>'),
    "strong": Markup("<strong>{}</strong>"),
}


def marked(text: str, terms: Sequence[str], tag: str = "mark") -> Markup:
    """``text`` escaped, with each occurrence of a term wrapped in ``<mark>`` (or ``tag``)."""
    wrapper = MARK_TAGS[tag]
    pieces: list[Markup] = []
    position = 0
    for start, end in term_spans(text, terms):
        pieces.append(escape(text[position:start]))
        pieces.append(wrapper.format(text[start:end]))
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def sentence_around(text: str, terms: Sequence[str]) -> str | None:
    """The sentence(s) of ``text`` holding a term; None when no term occurs in it."""
    text = _SPACE.sub(" ", text).strip()
    spans = term_spans(text, terms)
    if not spans:
        return None
    kept: list[str] = []
    start = 0
    bounds = [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for end in bounds:
        if any(s < end and e > start for s, e in spans):
            kept.append(text[start:end].strip())
        start = end
    return " ".join(kept)
