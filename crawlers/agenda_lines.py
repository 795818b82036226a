"""What one line of an agenda is: a numbered marker ("6.A.", "(1)", "IV."), a matter number
("26-3202", "RES 2026-14", "CB 119583"), or an all-caps section heading.

Reading a line needs a little memory of the lines before it (:class:`MarkerReader`): a
lone "I." is a roman numeral or the letter after H, and "6.1" is a sub-item only under
item 6. The structure those lines make is built in :mod:`agenda_split`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# One line that starts an item: the marker, then the title (after a space, glued on
# when a capital word follows directly as in "A.MINUTES", or nothing on a marker alone).
_TITLE = r"(?:\s+(?P<{0}>\S.*){1})?"
# "A.MINUTES", "2.If you plan", "3.M-1560-22;", "7.2022 Meeting Schedule": no space after the
# marker (agendas printed from a web page), yet clearly a word or a number too long for "3.1"
_GLUED = r"|(?P<{0}>(?:[A-Z][A-Za-z-]|\d{{3,}}\s).*)"
_MARKER = re.compile(
    r"^(?:\((?P<paren>\d{1,3}|[IVXL]{1,5}|[ivxl]{1,5}|[A-Za-z])\)"
    + _TITLE.format("prest", "")
    + r"|(?P<base>\d{1,3})\.(?P<sub>\d{1,2}|[A-Za-z])(?P<subend>[.)]?)"
    + _TITLE.format("crest", "")
    + r"|(?P<lbase>[A-Z])-(?P<lsub>\d{1,2})\.?"
    + _TITLE.format("lrest", _GLUED.format("lglued"))
    + r"|(?P<simple>\d{1,3}|[IVXL]{1,5}|[ivxl]{1,5}|[A-Za-z])(?P<end>[.)])"
    + _TITLE.format("rest", _GLUED.format("glued"))
    + r")$"
)
_MAYBE_MARKER = re.compile(r"\(|\d|[A-Za-z]{1,5}[.)-]")
_TITLE_GROUPS = ("prest", "crest", "lrest", "lglued", "rest", "glued")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
LETTER_SKIP = 3  # a list may skip this many (items withdrawn) or go back to an outer list
NUMBER_SKIP = 5
MAX_NUMBER = 500
MAX_MATTER_CHARS = 30  # "(Clerk File No. 2026-001234)" at most

_PREFIX = r"(?i:file|matter|item|reso?|ord|cb|cf|inf|min|irc|appt|bill)\.?\s*(?i:no\.?\s*|#\s*)?"
_MATTER = (
    rf"(?:{_PREFIX}(?:\d{{2,4}}-\d{{1,6}}|\d{{3,7}})"
    r"|[A-Z]{1,2}\d{4}-\d{2,6}"  # O2026-1234
    r"|[A-Z]{1,3}-\d{3,5}-\d\d"  # M-1560-22
    r"|\d{2,4}-\d{3,6})"  # 26-3202, 2024-1026
)
_PREFIXED = re.compile(_PREFIX)
_LEADING_MATTER = re.compile(rf"^(?P<id>{_MATTER})(?:\s*[:;–—-]\s+|\s+|$)(?P<rest>.*)$")
_LONE_MATTER = re.compile(rf"^\(?(?P<id>{_MATTER})\)?[.:]?$")
_TRAILING_MATTER = re.compile(
    rf"^(?P<rest>.*\S)\s*(?:\((?P<id>{_MATTER})\)|[,–—-]\s*(?P<fid>(?i:file)\s*#?\s*{_MATTER}))$"
)
_MORE = re.compile(r"^(?:and|&)\s", re.IGNORECASE)
_LABEL = re.compile(r"^(?i:file|matter|item)\.?\s*(?i:no\.?\s*|#\s*)?")
_YEARS = re.compile(r"((?:19|20)\d\d)-(\d\d|\d{4})$")
# A marker line whose only title is the kind of matter, its number and title below it.
MATTER_KINDS = frozenset(
    {"report", "resolution", "ordinance", "presentation", "proclamation", "minutes"}
    | {"contract", "agreement", "appointment", "information", "action"}
)
_LETTERS = re.compile(r"[^\W\d_]")
_ADDRESS = re.compile(r"^[NESW]\. [A-Z]")
_CAPS_NOT_SECTION = re.compile(r"(?:^|\s)AGENDA:?$")  # "MEETING AGENDA": the document's title
_NOT_HEADING = re.compile(r"^(?:NONE|N/A|NO ITEMS?|NOTHING|ADJOURN)")
_CONSENT = re.compile(r"^CONSENT\b")


class Marker(NamedTuple):
    """A numbered line: its style (nesting), value (sequence), and how it is printed."""

    style: str  # "number.", "letter)", "(number)", "number.letter", ...
    value: int
    number: str  # the item's number as shown: "6", "IV", "6.A", "(1)"
    printed: str  # as it heads a section: "6.", "IV.", "6.A.", "(1)"
    rest: str  # the line after the marker: matter number and title, or nothing


class MarkerReader:
    """Markers of a document's lines in order; remembers the sequences seen so far."""

    def __init__(self) -> None:
        self.expected: dict[str, int] = {}  # per style: the value its next marker should have
        self.last_number: str | None = None  # the last plain number, base of "6.A." / "6.1"
        self.last_letter: str | None = None  # the last capital letter, base of "A-1"
        self.previous = ""  # the line read before

    def read(self, line: str) -> Marker | None:
        """The marker starting ``line``, or None; advances the sequences when there is one."""
        previous, self.previous = self.previous, line
        if not _MAYBE_MARKER.match(line):
            return None  # most lines: words, not a marker (a quicker test than _MARKER)
        found = _MARKER.match(line)
        if not found:
            return None
        if _ADDRESS.match(line) and previous[-1:].isdigit():
            return None  # "… located at 15920" / "E. Central Avenue": an address, not item E
        groups = found.groupdict()
        rest = next((groups[name] for name in _TITLE_GROUPS if groups[name]), "")
        if groups["paren"] is not None:
            marker = self._simple(groups["paren"], "()", rest)
        elif groups["base"] is not None:
            marker = self._compound(groups["base"], groups["sub"], groups["subend"], ".", rest)
        elif groups["lbase"] is not None:
            marker = self._compound(groups["lbase"], groups["lsub"], "", "-", rest)
        else:
            marker = self._simple(groups["simple"], groups["end"], rest)
        if marker is None:
            return None
        if marker.style in ("number.", "number)"):
            self.last_number = marker.number
        elif marker.style in ("letter.", "letter)"):
            self.last_letter = marker.number
        return marker

    def _simple(self, label: str, end: str, rest: str) -> Marker | None:
        kind = _kind(label)
        if kind is None:
            return None
        value = _value(kind, label)
        if kind == "roman" and len(label) == 1:  # "I", "V", "X", "L": roman or a letter?
            as_letter, letters = ord(label.upper()) - 64, _style("letter", label, end)
            wants_roman = self.expected.get(_style("roman", label, end), 1) == value
            if self.expected.get(letters, 1) == as_letter or not wants_roman:
                kind, value = "letter", as_letter
        if value is None or not 0 < value <= MAX_NUMBER:
            return None
        style = _style(kind, label, end)
        skip = 0 if end == "()" else LETTER_SKIP if kind != "number" else NUMBER_SKIP
        if kind != "roman" and value > self.expected.get(style, 1) + skip:
            return None  # "99." or "M." out of nowhere: a wrapped line, an initial
        self.expected[style] = value + 1
        if end == "()":
            return Marker(style, value, f"({label})", f"({label})", rest)
        return Marker(style, value, label, f"{label}.", rest)

    def _compound(self, base: str, sub: str, end: str, joint: str, rest: str) -> Marker | None:
        """ "6.A.", "6.a)", "6.1" under item 6; "A-1" under item A."""
        parent = self.last_letter if joint == "-" else self.last_number
        if parent is not None and parent != base:
            return None
        kind = "number" if sub.isdigit() else "letter" if sub.isupper() else "lower"
        style = f"{'letter' if joint == '-' else 'number'}{joint}{kind}"
        value = int(sub) if sub.isdigit() else ord(sub.lower()) - 96
        expected = self.expected.get(f"{style} {base}", 1)  # "2.5 acres" is not item 2.5
        if not (value == 1 or expected <= value <= expected + LETTER_SKIP):
            return None
        self.expected[f"{style} {base}"] = value + 1
        number = f"{base}{joint}{sub}"
        return Marker(style, value, number, number + end if end else number, rest)


def _kind(label: str) -> str | None:
    if label.isdigit():
        return "number"
    if len(label) > 1:
        return "roman" if _roman_value(label.upper()) is not None else None
    if label.upper() in _ROMAN:
        return "roman"
    return "letter"


def _style(kind: str, label: str, end: str) -> str:
    """Upper and lower case, "1." and "1)", "(1)" are different levels of an outline."""
    if kind in ("letter", "roman") and label.islower():
        kind = "lower" if kind == "letter" else "lroman"
    return f"({kind})" if end == "()" else f"{kind}{end}"


def _value(kind: str, label: str) -> int | None:
    if kind == "number":
        return int(label)
    if kind == "roman":
        return _roman_value(label.upper())
    return ord(label.upper()) - 64


def _roman_value(text: str) -> int | None:
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN[char]
        if index + 1 < len(text) and _ROMAN[text[index + 1]] > value:
            total -= value
        else:
            total += value
    return total if 0 < total < 100 else None


# --- matter numbers ---------------------------------------------------------------------


def leading_matter(text: str) -> tuple[str | None, str]:
    """("26-3202", "Public hearing on …") from "26-3202 Public hearing on …"."""
    found = _LEADING_MATTER.match(text)
    if not found or not _is_matter(found.group("id")) or _MORE.match(found.group("rest")):
        return None, text  # "V-0097-22 AND NC-1754-22; …": several numbers, title kept whole
    return _file_number(found.group("id")), found.group("rest").strip()


def lone_matter(line: str) -> str | None:
    """The matter number when it is all the line holds ("26-3202", "(RES 2026-14)")."""
    if len(line) > MAX_MATTER_CHARS:
        return None
    found = _LONE_MATTER.match(line)
    return _file_number(found.group("id")) if found and _is_matter(found.group("id")) else None


def trailing_matter(title: str) -> tuple[str | None, str]:
    """A title ending in "(26-3202)" or "– File #26-0412": the number and the title before it."""
    found = _TRAILING_MATTER.match(title) if title[-1:].isdigit() or title[-1:] == ")" else None
    if not found:
        return None, title
    matter = found.group("id") or found.group("fid")
    if not _is_matter(matter):
        return None, title
    return _file_number(matter), found.group("rest").rstrip(" ,–—-")


def _file_number(matter: str) -> str:
    """ "26-0412" of "File #26-0412"; a kind that is part of the number stays ("RES 2026-14")."""
    return _LABEL.sub("", matter)


def _is_matter(matter: str) -> bool:
    """A file number, not a year range dressed as one ("2020-2021", "FY2020-21")."""
    if _PREFIXED.match(matter):
        return True
    if matter.startswith("FY"):
        return False
    years = _YEARS.search(matter)
    if not years:
        return True
    first, second = int(years.group(1)), years.group(2)
    return int(second) != (first + 1 if len(second) == 4 else (first + 1) % 100)


# --- headings ---------------------------------------------------------------------------


def caps_heading(line: str) -> str | None:
    """The heading an unnumbered all-caps line names ("PUBLIC HEARINGS AND NEW BUSINESS"),
    unless it is the document's own title ("REGULAR MEETING AGENDA")."""
    if not line.isupper() or not line[0].isalnum():
        return None  # "• SWEARING IN CEREMONY", "(VERBAL REPORT)": a bullet, a note
    letters = len(_LETTERS.findall(line))
    if letters < 4 or letters < 0.6 * (len(line) - line.count(" ")):
        return None  # "MARCH 9, 2026", "ROOM 1555-H"
    if _NOT_HEADING.match(line):
        return None  # "NONE", or "ADJOURNMENT TO JANUARY 17": the end, not a section
    if _CAPS_NOT_SECTION.search(line) and not _CONSENT.match(line):
        return None
    return line.rstrip(":").strip()


def is_caps(text: str) -> bool:
    """All letters capitals (and there are letters)."""
    return text.isupper()


def starts_with_marker(line: str) -> bool:
    """Does the line look numbered (whatever the sequence so far)? Such lines are never
    dropped as running headers."""
    return _MARKER.match(line) is not None
