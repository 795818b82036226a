"""A page as the lines a reader sees: text broken at block elements and ``<br>``, each piece
remembering whether it sat in a heading, in bold, or in a link.

Built in one pass over the document; every block element knows the range of lines it
spans, so any element (a person's card, a department's section) can be read as lines
without walking it again. ``crawlers/person_blocks.py`` looks for people in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lxml import etree

from civicradar.crawlers.columns import clean_text
from civicradar.crawlers.tabular import SCRIPT_DOMAIN, SCRIPT_USER

_BLOCK_TAGS = """
address article aside blockquote body dd details div dl dt fieldset figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p section summary table
tbody td tfoot th thead tr ul center
"""
BLOCK_TAGS = frozenset(_BLOCK_TAGS.split())
_SKIPPED_TAGS = """
script style noscript template head select option button svg
"""
SKIPPED_TAGS = frozenset(_SKIPPED_TAGS.split())
HEADINGS = {f"h{n}": n for n in range(1, 7)}
PAGE_FRAME = frozenset({"nav", "footer"})
ITEM_TAGS = frozenset({"article", "li", "dd", "td", "aside"})
"""A ``footer`` inside an article or list item is part of that item (a card's contacts)."""
STRONG_TAGS = frozenset({"strong", "b"})


@dataclass
class Piece:
    """A run of text with the markup around it."""

    text: str
    heading: int = 0  # 1-6 inside h1-h6
    strong: bool = False
    href: str | None = None


@dataclass
class Line:
    pieces: list[Piece]
    tag: str  # the block element the line sits in (p, dt, li, h4 ...)

    @property
    def text(self) -> str:
        return clean_text(" ".join(p.text for p in self.pieces))

    @cached_property
    def kind(self) -> str:
        """What marks the line out: its heading (``h4``), bold (``strong``), a ``dt``, or ''."""
        words = [p for p in self.pieces if p.text.strip()]
        if not words:
            return ""
        level = words[0].heading
        if level and all(p.heading == level for p in words):
            return f"h{level}"
        if all(p.strong for p in words):
            return "strong"
        return "dt" if self.tag == "dt" else ""

    @property
    def hrefs(self) -> list[str]:
        return [p.href for p in self.pieces if p.href]


@dataclass
class PageLines:
    """Every line of a page and, per block element, the [start, end) range of its lines."""

    lines: list[Line] = field(default_factory=list)
    spans: dict[Any, tuple[int, int]] = field(default_factory=dict)
    scripts: dict[int, str] = field(default_factory=dict)  # line index -> inline script text

    def of(self, element: Any) -> list[Line]:
        start, end = self.spans.get(element, (0, 0))
        return self.lines[start:end]


def page_lines(root: Any) -> PageLines:
    """The lines of a document (an lxml root element)."""
    builder = _Builder()
    builder.walk(root, Piece(""))
    builder.flush()
    return builder.page


class _Builder:
    def __init__(self) -> None:
        self.page = PageLines()
        self.pieces: list[Piece] = []
        self.tags: list[str] = ["body"]
        self.inside_item = False

    def flush(self) -> None:
        if any(p.text.strip() for p in self.pieces) or any(p.href for p in self.pieces):
            self.page.lines.append(Line(pieces=self.pieces, tag=self.tags[-1]))
        self.pieces = []

    def add(self, text: str | None, context: Piece) -> None:
        if text and (text.strip() or self.pieces):
            self.pieces.append(Piece(text, context.heading, context.strong, context.href))

    def walk(self, element: Any, context: Piece) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if tag in PAGE_FRAME and not self.inside_item:
            return  # the site's menus and footer: never part of a person's lines
        if tag in SKIPPED_TAGS or element.tag is etree.Comment:
            if tag == "script" and element.text:
                self.page.scripts[len(self.page.lines)] = element.text
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
            self.tags.append(tag)
        item = tag in ITEM_TAGS and not self.inside_item
        if item:
            self.inside_item = True
        start = len(self.page.lines)
        inner = Piece(
            "",
            HEADINGS.get(tag, context.heading),
            context.strong or tag in STRONG_TAGS,
            _href(element) if tag == "a" else context.href,
        )
        if tag == "br":
            self.flush()
        elif tag == "a" and inner.href and not (element.text or "").strip() and not len(element):
            self.pieces.append(Piece("", href=inner.href))  # an icon link still carries its href
        self.add(element.text, inner)
        for child in element:
            self.walk(child, inner)
            self.add(child.tail, inner)
        if item:
            self.inside_item = False
        if block:
            self.flush()
            self.tags.pop()
            self.page.spans[element] = (start, len(self.page.lines))


def _href(element: Any) -> str | None:
    href = (element.get("href") or "").strip()
    return href or None


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
OBFUSCATED_EMAIL = re.compile(
    r"([\w.+'-]+)\s*[\[(]\s*at\s*[\])]\s*([\w-]+(?:\s*[\[(]\s*dot\s*[\])]\s*[\w-]+)+)", re.I
)
DOT = re.compile(r"\s*[\[(]\s*dot\s*[\])]\s*", re.I)
PHONE = re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?")


def emails_in(lines: list[Line], scripts: tuple[str, ...] = ()) -> list[str]:
    """Addresses from mailto: links, then written out (also "name [at] city [dot] gov"),
    then assembled by an inline script; in order, without repeats."""
    found: list[str] = []
    for line in lines:
        for href in line.hrefs:
            if href.lower().startswith("mailto:"):
                found.append(href.split(":", 1)[1].split("?")[0].strip())
    for line in lines:
        found += EMAIL.findall(line.text)
        for user, domain in OBFUSCATED_EMAIL.findall(line.text):
            found.append(f"{user}@{DOT.sub('.', domain)}")
    for script in scripts:
        user, domain = SCRIPT_USER.search(script), SCRIPT_DOMAIN.search(script)
        if user and domain:
            found.append(f"{user.group(1)}@{domain.group(1)}")
    unique: list[str] = []
    for email in found:
        email = email.strip().lower()
        if "@" in email and email not in unique:
            unique.append(email)
    return unique
