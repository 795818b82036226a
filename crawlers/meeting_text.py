"""Reading a meeting's facts out of free text: dates, times, status words, body names, links.

Feeds and listing pages rarely give a meeting's date in a field of its own; they write
it into a title ("City Council - 12/3/2026 - 6:00 PM", "Planning Commission - Regular
Meeting - Dec 03, 2026") or a file name (CivicPlus ``_12032026-123``). These functions
read such text the way a clerk writes it, and return nothing rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DATES = (
    # 2026-12-03
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    # Thursday, December 3, 2026 / Dec. 3rd 2026
    re.compile(
        rf"\b{_WEEKDAY}(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
        re.IGNORECASE,
    ),
    # 3 December 2026
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    # 12/3/2026, 12-03-26 (US order)
    re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})([/-])(?P<d>\d{1,2})\2(?P<y>\d{4}|\d{2})(?![\d/-])"),
)
_TIME_12 = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?:[:.](?P<min>\d{2}))?\s*(?P<half>[ap])\.?\s*m\b\.?",
    re.IGNORECASE,
)
_TIME_24 = re.compile(
    r"(?<![\d:/.-])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?![\d:]|\s*[ap]\.?\s*m\b)", re.I
)
_NOON = re.compile(r"\bnoon\b", re.IGNORECASE)
# CivicPlus AgendaCenter file names carry the meeting day: /ViewFile/Agenda/_12032026-123
_CIVICPLUS_FILE = re.compile(r"/ViewFile/(?:Agenda|Minutes)/_(\d{2})(\d{2})(\d{4})-\d+", re.I)

_CANCELLED = re.compile(r"\bcancel(?:l?ed|lation|s)?\b", re.IGNORECASE)
_POSTPONED = re.compile(r"\bpostpone(?:d|ment)?\b", re.IGNORECASE)
_SAID = r"(?:\b(?:meeting|hearing|session)\s+(?:has\s+been|is|was|will\s+be)?\s*|^\s*)"
_CANCELLED_SAID = re.compile(_SAID + r"cancel(?:l)?ed\b", re.IGNORECASE | re.MULTILINE)
_POSTPONED_SAID = re.compile(_SAID + r"postponed\b", re.IGNORECASE | re.MULTILINE)
_RESCHEDULED = re.compile(r"\bre-?scheduled\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[-\u2013\u2014|:]\s+|\s*[(\[]|[)\]]\s*")
# Words that name the kind of meeting or document rather than the body holding it.
_KIND = (
    r"regular|special|adjourned|recessed|emergency|work|workshop|study|closed|meeting|"
    r"session|agenda|minutes|packet|amended|revised|notice"
)
_TRAILING_KIND = re.compile(rf"(?:\s+(?:{_KIND}))+$", re.IGNORECASE)
_LEADING_KIND = re.compile(rf"^(?:(?:{_KIND})\s+)+(?:of\s+(?:the\s+)?)?", re.IGNORECASE)
_STATUS_WORDS = re.compile(
    r"\b(?:cancel(?:l?ed|lation)|postpone(?:d|ment)?|re-?scheduled)\b", re.IGNORECASE
)


def find_date(text: str | None) -> tuple[dt.date, int] | None:
    """The first readable date in ``text`` and where it ends, or None."""
    if not text:
        return None
    found: list[tuple[int, dt.date, int]] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            day = _date_of(match)
            if day is not None:
                found.append((match.start(), day, match.end()))
                break
    if not found:
        return None
    _, day, end = min(found)
    return day, end


def _date_of(match: re.Match[str]) -> dt.date | None:
    parts = match.groupdict()
    month = _MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
    year = int(parts["y"])
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, int(parts["d"]))
    except ValueError:
        return None


def find_time(text: str | None, start: int = 0) -> dt.time | None:
    """The first clock time at or after ``start``: "6:00 PM", "6 p.m.", "18:30", "noon"."""
    if not text:
        return None
    text = text[start:]
    candidates: list[tuple[int, dt.time]] = []
    for match in _TIME_12.finditer(text):
        hour, minute = int(match["h"]), int(match["min"] or 0)
        if 1 <= hour <= 12 and minute < 60:
            hour = hour % 12 + (12 if match["half"].lower() == "p" else 0)
            candidates.append((match.start(), dt.time(hour, minute)))
            break
    for match in _TIME_24.finditer(text):
        candidates.append((match.start(), dt.time(int(match["h"]), int(match["min"]))))
        break
    if (noon := _NOON.search(text)) is not None:
        candidates.append((noon.start(), dt.time(12, 0)))
    return min(candidates)[1] if candidates else None


def date_in_link(url: str | None) -> dt.date | None:
    """The meeting day a platform writes into a document's address (CivicPlus files)."""
    found = _CIVICPLUS_FILE.search(url or "")
    if not found:
        return None
    month, day, year = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def meeting_status(
    title: str | None, description: str | None, *, title_label: str = "title"
) -> tuple[str, str | None]:
    """(status, evidence): cancelled or postponed when the title says so in any form
    ("CANCELED", "Cancellation"), or the description says the meeting was; the
    description alone is not trusted with a bare word, which an agenda item may carry.
    ``title_label`` names where the short text came from in the evidence (a calendar's
    meeting note is as terse as a title)."""
    checks = (
        ("cancelled", title_label, title, _CANCELLED),
        ("postponed", title_label, title, _POSTPONED),
        ("cancelled", "description", description, _CANCELLED_SAID),
        ("postponed", "description", description, _POSTPONED_SAID),
    )
    for status, label, text, pattern in checks:
        if text and pattern.search(text):
            return status, f"{label}: {_sentence(text, pattern)}"
    if title and _RESCHEDULED.search(title):
        return "rescheduled", f"{title_label}: {' '.join(title.split())}"
    return "scheduled", None


def _sentence(text: str, pattern: re.Pattern[str]) -> str:
    """The line or sentence around the evidence, not a whole description."""
    match = pattern.search(text)
    assert match is not None
    start = max(text.rfind("\n", 0, match.start()), text.rfind(". ", 0, match.start()))
    end_candidates = [i for i in (text.find("\n", match.end()), text.find(". ", match.end()))]
    ends = [i for i in end_candidates if i != -1]
    end = min(ends) + 1 if ends else len(text)
    piece = " ".join(text[start + 1 : end].split())
    return piece[:300]


def body_from_title(title: str | None) -> str | None:
    """The body in a title such as "City Council - Regular Meeting - Dec 3, 2026" or
    "CANCELLED: Planning Commission Regular Meeting (12/3/2026)": the first part left once
    dates, times, status words and meeting-kind words ("Regular Meeting") are taken out."""
    if not title:
        return None
    for part in _SEPARATORS.split(title):
        part = _without_when(part or "")
        part = _LEADING_KIND.sub("", _TRAILING_KIND.sub("", part)).strip(" -\u2013\u2014:,.")
        if part and not _LEADING_KIND.fullmatch(part + " "):
            return part
    return None


def body_key(name: str) -> str:
    """Feeds and listing pages give no body ids; the normalized name stands in for one."""
    return "name:" + " ".join(name.lower().split())


def _without_when(part: str) -> str:
    for pattern in (*_DATES, _TIME_12, _TIME_24, _NOON, _STATUS_WORDS):
        part = pattern.sub(" ", part)
    part = re.sub(r"\b(?:at|on)\s*$", "", part.strip(" -\u2013\u2014:,."))
    return " ".join(part.split())


def link_kind(url: str, label: str | None = None) -> str | None:
    """agenda, minutes or packet for a link to a meeting document, by the addresses the
    platforms use (Legistar ``View.ashx?M=A``, CivicPlus ``/ViewFile/Agenda/``, Granicus
    ``AgendaViewer.php``) or by its label; None for anything else."""
    parts = urlsplit(url)
    path, query = parts.path.lower(), parse_qs(parts.query)
    label = (label or "").lower()
    mode = (query.get("M") or query.get("m") or [""])[0].upper()
    if path.endswith("view.ashx") and mode:
        return {"A": "agenda", "M": "minutes", "AADA": "agenda"}.get(mode)
    if "/viewfile/minutes/" in path or "minutesviewer" in path:
        return "minutes"
    if "/viewfile/agenda/" in path:
        return "packet" if "packet" in parts.query.lower() else "agenda"
    if "agendaviewer" in path:
        return "agenda"
    if "minutes" in label:
        return "minutes"
    if "packet" in label:
        return "packet"
    if "agenda" in label:
        return "agenda"
    return None


class _Text(HTMLParser):
    """Text and links of an HTML fragment (a feed entry's description)."""

    _BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "table", "ul"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._label: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._label = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "a" and self._href:
            self.links.append((self._href, " ".join("".join(self._label).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._href is not None:
            self._label.append(data)


def html_text_and_links(fragment: str | None) -> tuple[str, list[tuple[str, str]]]:
    """Plain text (one line per block) and (href, label) pairs of an HTML fragment."""
    if not fragment:
        return "", []
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line), parser.links
