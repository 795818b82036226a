"""Agenda items out of an agenda document's page text, where the layout allows.

An item starts at a numbered line: "1.", "10)", "A.", "IV." The marker styles nest in
the order they first appear (roman sections, then letters, then numbers, typically), so
"C. MANAGEMENT" becomes the section of the "1." to "13." below it. A title that wraps
onto following lines is joined whole; lines after the title (presenters, notes) are the
item's text. Page headers and footers that repeat on every page ("Page 2 of 3", the
meeting's name and date) are dropped first, so they are never items or item text.
A document without numbered lines yields no items; its text is still matched whole.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import count

from civicradar.models.records import DocumentItemRecord

_MARKER = re.compile(r"^(?:(\d{1,3})|([IVXL]{1,5})|([A-Z])|([a-z]))[.)]\s+(\S.*)$")
_PAGE_LINE = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
# A title line ending in one of these continues on the next line.
_OPEN_END = re.compile(
    r"(?:\b(?:and|or|of|the|to|for|in|on|with|a|an|by|at|from|including|between|into|per)"
    r"|[,&/–—-])$",
    re.IGNORECASE,
)
HEADER_DEPTH = 8  # lines at the top and bottom of a page where running headers sit
MAX_TITLE_LINES = 4
FULL_WIDTH_CHARS = 70  # pages whose longest line is shorter are not wrapped to a margin


@dataclass
class _Open:
    marker: str
    style: str
    level: int
    page: int
    lines: list[str]
    text: list[str] = field(default_factory=list)
    section: str | None = None
    wrapping: bool = True
    order: int = 0
    last_width: int = 0  # characters of the last title line as printed, marker included


def split_items(pages: list[str]) -> list[DocumentItemRecord]:
    """The agenda items of a document, in order, each with its page and section."""
    pages = drop_running_lines(pages)
    levels: dict[str, int] = {}
    expected: dict[str, int] = {}  # per style: the value the next marker should have
    counter = count()
    stack: list[_Open] = []
    done: list[_Open] = []
    for page_number, page in enumerate(pages, start=1):
        lines = page.split("\n")
        longest = max((len(line) for line in lines), default=0)
        for line in lines:
            marker = _marker(line, expected)
            if marker is not None:
                style, value, label, title = marker
                expected[style] = value + 1
                level = levels.setdefault(style, len(levels))
                while stack and stack[-1].level >= level:
                    done.append(stack.pop())
                section = " › ".join(f"{o.marker}. {_title(o)}" for o in stack) or None
                opened = _Open(label, style, level, page_number, [title], section=section)
                opened.order, opened.last_width = next(counter), len(line)
                stack.append(opened)
                continue
            if not stack:
                continue  # the preamble before the first item
            current = stack[-1]
            if not line:
                current.wrapping = False
                continue
            if current.wrapping and _continues(current, line, longest):
                current.lines.append(line)
                current.last_width = len(line)
                current.wrapping = len(current.lines) < MAX_TITLE_LINES
            else:
                current.wrapping = False
                current.text.append(line)
    done.extend(reversed(stack))
    done.sort(key=lambda o: o.order)
    return [
        DocumentItemRecord(
            number=o.marker,
            title=_title(o),
            page=o.page,
            section=o.section,
            text="\n".join(o.text) or None,
        )
        for o in done
    ]


def _title(item: _Open) -> str:
    return " ".join(item.lines).strip()


def _continues(item: _Open, line: str, longest: int) -> bool:
    """Is ``line`` the wrapped rest of the item's title so far?"""
    previous = item.lines[-1]
    if line[:1].islower():
        return True
    if previous.endswith((".", ":", ";", "?", "!")):
        return False
    if _OPEN_END.search(previous):
        return True
    return longest >= FULL_WIDTH_CHARS and item.last_width >= 0.8 * longest


def _marker(line: str, expected: dict[str, int]) -> tuple[str, int, str, str] | None:
    """(style, value, label, title) when the line starts an item, else None.

    A lone I, V, X or L is a roman numeral only where the roman sequence expects it and
    the letter sequence does not ("C. MANAGEMENT" after "V." is the letter C).
    """
    found = _MARKER.match(line)
    if not found:
        return None
    number, roman, letter, lower, title = found.groups()
    if number is not None:
        value = int(number)
        return ("number", value, number, title) if 0 < value <= 500 else None
    if lower is not None:
        return "lower", ord(lower) - 96, lower, title
    if roman is not None and (len(roman) > 1 or letter is None):
        value = _roman_value(roman)
        if value is None:
            return None
        if len(roman) == 1:
            as_letter = ord(roman) - 64
            wants_roman = expected.get("roman", 1) == value
            wants_letter = expected.get("letter", 1) == as_letter
            if wants_letter or not wants_roman:
                return "letter", as_letter, roman, title
        return "roman", value, roman, title
    assert letter is not None
    return "letter", ord(letter) - 64, letter, title


def _roman_value(text: str) -> int | None:
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN[char]
        if index + 1 < len(text) and _ROMAN[text[index + 1]] > value:
            total -= value
        else:
            total += value
    return total if 0 < total < 100 else None


def drop_running_lines(pages: list[str]) -> list[str]:
    """Pages without their running headers and footers: page-number lines, and lines that
    recur near the top or bottom of two or more pages (digits ignored, so "Page 1 of 2"
    and "Page 2 of 2" are the same line)."""
    if not pages:
        return pages
    edges: Counter[str] = Counter()
    split = [page.split("\n") for page in pages]
    nears = [_edge_lines(lines) for lines in split]
    for near in nears:
        edges.update({_shape(line) for line in near})
    repeated = {shape for shape, count in edges.items() if count >= 2} if len(pages) > 1 else set()
    kept = []
    for lines, near in zip(split, nears, strict=True):
        kept.append(
            "\n".join(
                line
                for line in lines
                if not _PAGE_LINE.match(line)
                and not (line in near and _shape(line) in repeated and not _MARKER.match(line))
            )
        )
    return kept


def _edge_lines(lines: list[str]) -> set[str]:
    """The non-blank lines near the top or bottom of a page, where running lines sit."""
    content = [line for line in lines if line]
    return set(content[:HEADER_DEPTH] + content[-HEADER_DEPTH:])


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())
