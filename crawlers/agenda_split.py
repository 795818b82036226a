"""Agenda items out of an agenda document's page text, where the layout allows.

An item starts at a numbered line: "1.", "10)", "A.", "IV.", "6.A.", "6.a)", "6.1", "(1)",
"i." (see :mod:`agenda_lines`). Marker styles nest as the document uses them: a list that
starts right after a marker of another style is that marker's sub-list ("1." after
"C. MANAGEMENT"); otherwise styles nest in the order they first appear. A numbered line
with numbered lines under it is a heading, never an item: it is the ``section`` of the
items below it, as are all-caps lines over numbered ones ("PUBLIC HEARINGS AND NEW
BUSINESS") in a document that has several. A title that wraps onto following lines is
joined whole; a file or matter number before the title or on its own line beside it
("6.A. 26-3202 Public hearing …") is the item's ``matter_file``; lines after the title
(presenters, notes) are the item's text.
Page headers and footers that repeat on every page ("Page 2 of 3", the meeting's name and
date) are dropped first, so they are never items or item text. A document without
numbered lines yields no items; its text is still matched whole.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from civicradar.crawlers.agenda_lines import (
    MATTER_KINDS,
    Marker,
    MarkerReader,
    caps_heading,
    is_caps,
    leading_matter,
    lone_matter,
    trailing_matter,
)
from civicradar.crawlers.running_lines import drop_running_lines
from civicradar.models.records import DocumentItemRecord

# A title line ending in one of these continues on the next line.
_OPEN_WORDS = frozenset(
    {"and", "or", "of", "the", "to", "for", "in", "on", "with", "a", "an", "by", "at"}
    | {"from", "including", "between", "into", "per"}
)
_OPEN_MARKS = ",&/–—-"
_CONNECTOR = re.compile(r"^(?:AND|OR|OF|THE|TO|FOR|IN|ON|WITH|BY|AT|FROM|INCLUDING)\b")
_LABEL = re.compile(r"^[A-Z][\w’' ]{0,30}:(?:\s|$)")  # "Recommendation:", "Staff report:"
_EMPTY = re.compile(r"^(?:none|n/a|no items)\b", re.IGNORECASE)
_ADJOURN = re.compile(r"^adjourn(?!.*\bsession\b)", re.IGNORECASE)  # not "… to closed session"
MAX_TITLE_LINES = 4
HEADING_NOTE_LINES = 10  # "CONSENT CALENDAR" may be explained before its items
FULL_WIDTH_CHARS = 70  # pages whose longest line is shorter are not wrapped to a margin
WRAP = 0.8  # a title line this full (of the page's longest) wraps onto the next line
CAPS_WRAP = 0.5  # capitals are wider: an all-caps line wraps sooner


class _Line(NamedTuple):
    page: int
    text: str
    longest: int  # the page's longest line: where its right margin is
    marker: Marker | None


@dataclass(eq=False)
class _Node:
    """An item or heading as the document is read."""

    marker: Marker | None  # None: an unnumbered all-caps heading
    level: float
    page: int
    parents: tuple[_Node, ...]
    lines: list[str] = field(default_factory=list)  # the title as printed, line by line
    text: list[str] = field(default_factory=list)
    matter: str | None = None
    awaiting: bool = False  # the marker stood alone: the title is on a following line
    wrapping: bool = True
    last_width: int = 0  # characters of the last title line as printed, marker included
    headed: bool = False  # numbered items sit under it: a heading, not an item
    listing: str | None = None  # style of a list inside its text ("Recommendation: 1. …")
    preamble: bool = False  # an all-caps heading before the first numbered line
    adjourned: bool = False  # its text adjourns the meeting: what follows is notices
    below: set[str] = field(default_factory=set)  # marker styles of the items under it

    def say(self, *lines: str) -> None:
        """Add lines to the item's text."""
        self.text.extend(lines)
        for line in lines:
            if line.isupper() and _ADJOURN.match(line):
                self.adjourned = True

    @property
    def title(self) -> str:
        return " ".join(self.lines).strip()


def split_items(pages: list[str]) -> list[DocumentItemRecord]:
    """The agenda items of a document, in order, each with its page and section."""
    lines, levels = _read(drop_running_lines(pages))
    return _Outline(lines, levels).items()


def _read(pages: list[str]) -> tuple[list[_Line], dict[str, float]]:
    """Every line with its marker, and the nesting level of each marker style."""
    reader = MarkerReader()
    lines: list[_Line] = []
    styles: list[str] = []
    after: Counter[tuple[str, str]] = Counter()  # (style, style of a list started right after)
    previous: str | None = None
    for number, page in enumerate(pages, start=1):
        rows = page.split("\n")
        longest = max(map(len, rows), default=0)
        for row in rows:
            marker = reader.read(row) if row else None
            lines.append(_Line(number, row, longest, marker))
            if marker is None:
                if row.isupper() and caps_heading(row) is not None:
                    previous = None  # a list after "CONSENT CALENDAR" is not the one above's
                continue
            if marker.style not in styles:
                styles.append(marker.style)
            if marker.value == 1 and previous not in (None, marker.style):
                after[previous, marker.style] += 1
            previous = marker.style
    return lines, _levels(styles, after)


def _levels(styles: list[str], after: Counter[tuple[str, str]]) -> dict[str, float]:
    """Styles in order of first appearance, except that a style whose lists start under
    another's markers more often than the other way round sits below it, and "6.A." below
    "6."."""
    above = [(a, b) for (a, b), n in after.items() if n > after[b, a]]
    for style in styles:
        if compound := re.match(r"^(number|letter)[.-]\w", style):
            bases = (compound.group(1) + end for end in ".)")
            above += [(base, style) for base in bases if base in styles]
    order = list(styles)
    for _ in range(len(order) ** 2):
        moved = False
        for upper, lower in above:
            i, j = order.index(upper), order.index(lower)
            if i > j:
                order.insert(j, order.pop(i))
                moved = True
        if not moved:
            break
    return {style: float(level) for level, style in enumerate(order)}


class _Outline:
    """The tree of headings and items, built line by line with a stack of open nodes."""

    def __init__(self, lines: list[_Line], levels: dict[str, float]) -> None:
        self.lines, self.levels = lines, levels
        self.stack: list[_Node] = []
        self.nodes: list[_Node] = []  # numbered nodes and used headings, in document order
        self.untitled: list[_Node] = []  # lone markers in a row ("1." "2."), titles below
        self.pending_matter: str | None = None  # a matter number printed before its item
        self.matter_after: bool | None = None  # lone matter numbers follow their titles
        self.numbered = False  # a numbered line has been read
        self.opened: dict[str, int] = {}  # per style, the value of the last item opened
        self.listed = 0  # the value of the last line of a list inside an item's text
        self.sections: dict[tuple[_Node, ...], str | None] = {}  # section names, once each

    def items(self) -> list[DocumentItemRecord]:
        index = 0
        while index < len(self.lines):
            index = self._take(index)
        self._pop_to(float("-inf"))
        headings = [n for n in self.nodes if n.marker is None]
        # all-caps lines are sections where a document has several, not only atop its list
        caps_shown = len(headings) > 1 and not all(h.preamble for h in headings)
        found = []
        for node in self.nodes:
            if node.marker is None or node.headed:
                continue
            matter, title = node.matter, node.title
            if matter is None:
                matter, title = trailing_matter(title)
            if not (title := title or matter or ""):
                continue
            found.append(
                DocumentItemRecord(
                    number=node.marker.number,
                    title=title,
                    page=node.page,
                    section=self._section(node, caps_shown),
                    text="\n".join(node.text) or None,
                    matter_file=matter,
                )
            )
        return found

    def _take(self, index: int) -> int:
        """Read the line at ``index``; the index of the next line to read."""
        line, top = self.lines[index], (self.stack[-1] if self.stack else None)
        if line.marker is not None:
            if top is None or not self._inside_text(top, line.marker):
                self._open(index)
                return index + 1
            top.listing, top.wrapping = line.marker.style, False
            self.listed = line.marker.value
            top.say(line.text)
            return index + 1
        if not line.text:
            if top is not None:
                top.wrapping = False
            return index + 1
        matter = lone_matter(line.text)
        if matter is not None:
            self._place_matter(matter, top, index)
        elif top is not None and top.awaiting:
            self._title_line(top, line)
        elif top is not None and top.wrapping and self._continues(top, line):
            top.lines.append(line.text)
            top.last_width = len(line.text)
            top.wrapping = len(top.lines) < MAX_TITLE_LINES
        elif (heading := self._caps_heading(index, top)) is not None:
            return self._open_heading(*heading)
        elif top is not None:
            top.wrapping = False
            top.say(line.text)
        return index + 1

    def _open(self, index: int) -> None:
        line = self.lines[index]
        marker = line.marker
        assert marker is not None
        level = self.levels[marker.style]
        closed = self._pop_to(level)
        if closed and closed[-1].awaiting and not closed[-1].text and closed[-1].level == level:
            self.untitled.append(closed[-1])
        else:
            self.untitled.clear()
        for parent in self.stack:
            parent.headed = True
            parent.below.add(marker.style)
        node = _Node(marker, level, line.page, tuple(self.stack))
        self.opened[marker.style] = marker.value
        matter, rest = leading_matter(marker.rest)
        node.matter, self.pending_matter = matter or self.pending_matter, None
        if rest and not (rest.lower() in MATTER_KINDS and self._next_is_matter(index)):
            node.lines.append(rest)
            node.last_width = len(line.text)
        else:
            node.awaiting = True  # "6.A." or "b) REPORT" alone: number and title below
        self.stack.append(node)
        self.nodes.append(node)
        self.numbered = True

    def _open_heading(self, title: str, page: int, last: int, level: float) -> int:
        self._pop_to(level)
        heading = _Node(None, level, page, tuple(self.stack), lines=[title], wrapping=False)
        heading.preamble = not self.numbered
        self.stack.append(heading)
        self.nodes.append(heading)
        return last + 1

    def _pop_to(self, level: float) -> list[_Node]:
        """Close the open nodes at ``level`` or deeper; an all-caps line that heads nothing
        numbered goes back into the text it interrupted."""
        closed = []
        while self.stack and self.stack[-1].level >= level:
            node = self.stack.pop()
            closed.append(node)
            if node.marker is None and not node.headed:
                self.nodes.remove(node)
                if self.stack:
                    self.stack[-1].say(node.title, *node.text)
        return closed

    def _inside_text(self, top: _Node, marker: Marker) -> bool:
        """Is a numbered line part of the item's text rather than an item: a deeper one
        under an item with a file number or after an adjournment (notices follow), or one
        of a list under "Recommendation: … :" (numbered like the agenda itself, even)?"""
        if top.marker is None:
            return False
        deeper = self.levels[marker.style] > top.level
        if deeper and (top.matter is not None or self._adjourned(top)):
            return True  # an item with a file number is one matter, its lists are its text
        if top.listing is not None:
            if top.listing != marker.style or marker.value != self.listed + 1:
                return False
            return deeper or marker.value != self.opened.get(marker.style, 0) + 1
        said = top.text or top.lines
        return (
            (deeper or marker.value == 1)
            and said[-1].endswith(":")
            and any("recommend" in text.lower() for text in said)
        )

    @staticmethod
    def _adjourned(top: _Node) -> bool:
        """Is the meeting over at ``top`` (an adjournment item, or one whose text adjourns)?"""
        return top.adjourned or bool(top.lines and _ADJOURN.match(top.lines[0]))

    def _title_line(self, top: _Node, line: _Line) -> None:
        """The first title line of an item whose marker stood alone (or of the earliest of
        several lone markers in a row, as a two-column layout extracts)."""
        node = self.untitled.pop(0) if self.untitled else top
        text = line.text
        if node.matter is None:
            node.matter, text = leading_matter(text)
        node.lines.append(text)
        node.awaiting, node.wrapping, node.last_width = False, True, len(line.text)
        if node is not top:
            node.wrapping = False

    def _place_matter(self, matter: str, top: _Node | None, index: int) -> None:
        """A matter number alone on its line belongs to the item beside it: the one being
        read, or the next one when the document prints numbers before titles."""
        following = self._next_line(index)
        nxt = following.marker if following is not None else None
        if top is None or top.marker is None:
            self.pending_matter = matter
        elif top.awaiting or nxt is None:
            if top.matter is None:
                top.matter = matter
            else:
                top.say(matter)
        elif (
            top.matter is None
            and self.levels[nxt.style] <= top.level
            and self.matter_after is not False
        ):
            top.matter, self.matter_after = matter, True
        else:
            self.pending_matter = matter
            self.matter_after = bool(self.matter_after)

    def _continues(self, node: _Node, line: _Line) -> bool:
        """Is ``line`` the wrapped rest of the node's title so far?"""
        previous, text = node.lines[-1], line.text
        if text[:1].islower():
            return True
        if previous.endswith((".", ":", ";", "?", "!")) or _LABEL.match(text):
            return False
        if _open_end(previous):
            return True
        wide = line.longest >= FULL_WIDTH_CHARS
        if is_caps(text) != is_caps(previous):
            return False  # capitals after a mixed-case title (or the reverse) start anew
        if is_caps(text) and _CONNECTOR.match(text):
            return True  # an all-caps title on an all-caps line
        return wide and node.last_width >= (CAPS_WRAP if is_caps(text) else WRAP) * line.longest

    def _caps_heading(self, index: int, top: _Node | None) -> tuple[str, int, int, float] | None:
        """(title, page, last line, level) of an all-caps heading starting at ``index``:
        one or two all-caps lines over a numbered line."""
        title = caps_heading(self.lines[index].text)
        if title is None or (top is not None and top.marker is not None and self._adjourned(top)):
            return None
        if top is not None and top.wrapping and is_caps(top.title):
            return None  # not the rest of an all-caps title, so part of its text
        last = index
        while _open_end(title):  # "PUBLIC HEARINGS AND" / "NEW BUSINESS"
            following = self._next_index(last)
            more = caps_heading(self.lines[following].text) if following is not None else None
            if following is None or more is None or self.lines[following].marker is not None:
                break
            title, last = f"{title} {more}", following
        marker = self._marker_below(last)
        if marker is None or (top is not None and self._inside_text(top, marker)):
            return None
        return title, self.lines[index].page, last, self._heading_level(marker)

    def _heading_level(self, marker: Marker) -> float:
        """An all-caps heading is a sub-section of the numbered one whose items it goes on
        with ("10. Resolutions:" / "A." … / "BOARD ORDERS:" / "A." …), or that has nothing
        under it yet ("I. CONSENT CALENDAR" / "RESOLUTIONS" / "1."); else a top section."""
        level = self.levels[marker.style]
        for node in reversed(self.stack):
            if node.marker is None or node.level >= level:
                continue
            if marker.style in node.below or not (node.headed or node.text):
                return node.level + 0.5
        return -1.0

    def _marker_below(self, index: int) -> Marker | None:
        """The numbered line a heading ending at ``index`` heads: the next line, after any
        matter number ("26-3202") or a few lines explaining the section ("CONSENT CALENDAR:",
        or explanations ending in a full stop)."""
        prose: list[str] = []
        following = self._next_index(index)
        while following is not None:
            line = self.lines[following]
            if line.marker is not None:
                break
            if lone_matter(line.text) is None:
                prose.append(line.text)
                if len(prose) > HEADING_NOTE_LINES or is_caps(line.text):
                    return None
                if _EMPTY.match(line.text):
                    return None  # "SECOND READING:" / "None": the next item is not its own
            following = self._next_index(following)
        explained = not prose or self.lines[index].text.endswith(":")
        if following is None or not (explained or prose[-1].endswith((".", ":"))):
            return None  # the text goes on: the capitals were a name in it
        return self.lines[following].marker

    def _next_index(self, index: int) -> int | None:
        for following in range(index + 1, len(self.lines)):
            if self.lines[following].text:
                return following
        return None

    def _next_line(self, index: int) -> _Line | None:
        following = self._next_index(index)
        return self.lines[following] if following is not None else None

    def _next_is_matter(self, index: int) -> bool:
        following = self._next_line(index)
        return following is not None and lone_matter(following.text) is not None

    def _section(self, node: _Node, caps_shown: bool) -> str | None:
        shown = tuple(p for p in node.parents if p.marker is not None or caps_shown)
        if shown not in self.sections:
            self.sections[shown] = " › ".join(_heading(p) for p in shown) or None
        return self.sections[shown]


def _open_end(line: str) -> bool:
    """Does a title line end mid-phrase ("… lease of the", "… program,")?"""
    if not line or line[-1] in _OPEN_MARKS:
        return bool(line)
    return line.rpartition(" ")[2].lstrip("(\"'“").lower() in _OPEN_WORDS


def _heading(node: _Node) -> str:
    return node.title if node.marker is None else f"{node.marker.printed} {node.title}"
