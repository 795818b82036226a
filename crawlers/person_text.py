"""One person out of a few lines of a page: name, title, department, email, phone, profile.

The lines are a card, a list item, a ``dt``/``dd`` group or the run of lines under a name
heading. "Title / Phone: … / Email: …" paragraphs are split at their labels; the name is
the heading, bold text or profile link that reads like a person's name (a heading that
reads like a job title, "Mayor" above "Jane Doe", is the title instead).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from civicradar.crawlers.columns import clean_text
from civicradar.crawlers.page_lines import EMAIL, PHONE, Line, emails_in

LOCAL_PHONE = re.compile(r"\b\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?\b")
"""A seven-digit number, taken only where a label says it is a phone."""

LABELS: dict[str, str] = {
    **dict.fromkeys(("phone", "telephone", "tel", "ph", "p", "t", "direct", "main"), "phone"),
    **dict.fromkeys(("work", "cell", "mobile", "m", "c", "office phone", "office"), "phone"),
    **dict.fromkeys(("fax", "f"), "fax"),
    **dict.fromkeys(("email", "e-mail", "e mail", "e"), "email"),
    **dict.fromkeys(("title", "position", "job title", "role"), "title"),
    **dict.fromkeys(("department", "dept", "division"), "department"),
    **dict.fromkeys(("address", "location", "office location"), "address"),
    **dict.fromkeys(("website", "web"), "website"),
    "name": "name",
}
LABEL = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted((re.escape(k) for k in LABELS), key=len, reverse=True))
    + r")\s*[:#]\s*",
    re.I,
)
SEPARATOR = re.compile(r"\s+[|•·–—]\s+|\s*\|\s*")
NOISE = {
    *("email", "e-mail", "phone", "contact", "contact me", "bio", "biography", "profile"),
    *("read more", "more", "view profile", "learn more", "view bio", "more info", "details"),
    *("website", "send email", "email me", "directions", "map", "view map", "vcard", "fax"),
    *("back to top", "top", "edit", "photo", "image", "staff", "contacts"),
}
_TITLE_WORDS = """
mayor council councilmember councilman councilwoman councillor councilor alderman
alderwoman alderperson commissioner supervisor trustee clerk treasurer director
manager administrator chief officer attorney engineer planner analyst assistant
associate coordinator specialist technician secretary president chair chairman
chairperson chairwoman vice deputy superintendent inspector representative member
judge auditor assessor recorder controller comptroller sheriff marshal captain
lieutenant sergeant head lead senior executive counsel liaison librarian receptionist
accountant fire police public works interim acting city county town village board
department division services office program operations administrative legislative aide
advisor consultant registrar commission committee parks recreation planning finance
human resources utilities water ward district at-large large seat general clerical
maintenance worker operator supervisor administration communications development
economic community health building code enforcement court elected official officials
staff team division manager principal partner owner founder ceo cfo coo cto ombudsman
commissioners trustees permit
"""
TITLE_WORDS = frozenset(_TITLE_WORDS.split())
DEPARTMENT_WORDS = re.compile(
    r"\b(department|dept|division|bureau|services|agency|commission|board|committee|council"
    r"|authority|program|unit)\b|\boffice of\b",
    re.I,
)
TITLE_PREFIX = re.compile(
    r"^((?:vice |deputy )?mayor(?: pro tem(?:pore)?)?|council ?(?:member|man|woman)|councilor"
    r"|councillor|alderm[ae]n|alderwoman|alderperson|commissioner|trustee|supervisor|judge"
    r"|senator|representative|chair(?:man|woman|person)?)\s+(.+)$",
    re.I,
)
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "hon", "rev", "mx", "prof", "the", "honorable"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "cpa", "pe", "aicp", "mpa"}
PARTICLES = {"de", "la", "le", "van", "von", "der", "den", "da", "di", "del", "dos", "du", "st"}
PARTICLES |= {"bin", "al", "y", "mac", "ten", "ter"}
NOT_NAME = {
    *("contact", "us", "email", "phone", "directions", "hours", "operation", "home", "menu"),
    *("search", "login", "directory", "more", "read", "view", "click", "here", "meeting"),
    *("agenda", "minutes", "news", "calendar", "about", "welcome", "info", "information"),
    *("street", "avenue", "road", "suite", "room", "building", "center", "centre", "hall"),
    *("state", "st.", "main", "page", "site", "map", "links", "quick", "follow", "share"),
    *("employment", "jobs", "careers", "forms", "documents", "faq", "facebook", "twitter"),
    *("office", "offices", "foundation", "association", "corporation", "corp", "inc", "llc"),
    *("school", "college", "university", "academy", "library", "committee", "commission"),
    *("council", "board", "department", "program", "services", "reports", "report", "fund"),
    *("trust", "authority", "hospital", "clinic", "church", "society", "institute", "agency"),
    *("company", "group", "events", "resources", "catalog", "codes", "tax", "control"),
}
NAME_WORD = re.compile(r"^[\"'(]?[A-ZÀ-Þ][\w'’.\-]*[\"')]?,?$|^[A-ZÀ-Þ]\.?,?$")


@lru_cache(maxsize=65536)
def looks_like_name(text: str) -> bool:
    """Two to five capitalised words without digits, labels or job-title words."""
    text = clean_text(text).strip(",;:-–— ")
    if not 3 <= len(text) <= 60 or any(ch.isdigit() for ch in text) or "@" in text:
        return False
    if ":" in text or "/" in text or "|" in text:
        return False
    words = text.replace(",", " , ").split()
    core = [
        w
        for w in words
        if w != "," and w.strip(".,").lower() not in HONORIFICS | SUFFIXES | PARTICLES
    ]
    if not 2 <= len(core) <= 5:
        return False
    if not all(NAME_WORD.match(w) for w in core):
        return False
    lowered = {w.strip(".,'\"()").lower() for w in core}
    return not (lowered & NOT_NAME) and not looks_like_title(text)


@lru_cache(maxsize=65536)
def tagged_as_person(text: str) -> bool:
    """Whether probablepeople (a name parser trained on US names and company names) reads
    the text as a person rather than an organisation ("Timothy Community Corporation").
    Imported here: its tables take a second to load, needed only for pages of blocks."""
    import probablepeople

    text = PARENTHESES.sub(" ", text)
    try:
        _, kind = probablepeople.tag(text)
    except probablepeople.RepeatedLabelError:
        return False
    return kind == "Person"


PARENTHESES = re.compile(r"\([^)]*\)")


@lru_cache(maxsize=65536)
def looks_like_title(text: str) -> bool:
    """More than half of the words are job-title or department words ("Planning Director"),
    in the whole line or in its first part ("Executive Director, The Joffrey Ballet")."""
    first = re.split(r",| / | - | – | — | at ", text, maxsplit=1)[0]
    return any(_title_share(part) for part in {text, first})


def _title_share(text: str) -> bool:
    words = [w for w in re.findall(r"[a-z][a-z'-]*", text.lower()) if w not in _GLUE]
    return bool(words) and sum(w in TITLE_WORDS for w in words) * 2 > len(words)


_GLUE = {"of", "the", "and", "for", "to", "pro", "tem", "in", "on", "at", "s"}


@dataclass
class Segment:
    text: str
    kind: str  # h1..h6, strong, dt or ''
    href: str | None
    label: str | None = None


@dataclass
class Person:
    """What the lines say, and how each field was found (for ``civicradar check``)."""

    fields: dict[str, str]
    how: dict[str, str]


def read_person(lines: Sequence[Line], scripts: tuple[str, ...] = ()) -> Person | None:
    """The one person these lines describe, or None (no name, nothing but a name, or the
    lines hold several people)."""
    segments, phones = text_segments(lines)
    how: dict[str, str] = {}
    fields: dict[str, str] = {}
    labeled = {}
    for segment in segments:
        if segment.label and segment.label not in labeled:
            labeled[segment.label] = segment
    free = [s for s in segments if not s.label and _free(s.text)]
    picked = _name(free, labeled)
    if picked is None:
        return None
    name_segment, name, prefix = picked
    kind = name_segment.kind if name_segment is not None else "label"
    if kind.startswith("h") and sum(s.kind == kind and looks_like_name(s.text) for s in free) > 1:
        return None  # several people under one heading level: a container, not a card
    fields["name"], how["name"] = name, _describe_name(name_segment)
    if name_segment is not None and name_segment.href and not _is_contact(name_segment.href):
        fields["url"], how["url"] = name_segment.href, "the name's link"
    rest = [s for s in free if s is not name_segment]
    _title_and_department(fields, how, rest, labeled, prefix)
    emails = emails_in(list(lines), scripts)
    if emails:
        if len(emails) > 1 and sum(bool(s.kind) and looks_like_name(s.text) for s in free) > 1:
            return None
        fields["email"] = emails[0]
        how["email"] = "mailto: link" if _has_mailto(lines) else "address in the text"
    phone = _phone(phones, labeled, segments)
    if phone:
        fields["phone"], how["phone"] = phone
    if not ({"email", "phone"} & fields.keys()) and not looks_like_title(fields.get("title", "")):
        return None  # a name and a line of text: a menu or a list of pages, not a person
    return Person(fields=fields, how=how)


def text_segments(lines: Sequence[Line]) -> tuple[list[Segment], list[str]]:
    """Free and labelled text segments of the lines (mailto:/tel: link text left out) and
    the numbers of tel: links."""
    segments: list[Segment] = []
    phones: list[str] = []
    for line in lines:
        kept = []
        for piece in line.pieces:
            href = (piece.href or "").lower()
            if href.startswith("tel:"):
                number = clean_text(piece.text)
                phones.append(number if PHONE.search(number) else piece.href[4:].strip())
            elif not href.startswith("mailto:"):
                kept.append(piece)
        text = clean_text(" ".join(p.text for p in kept))
        if not text:
            continue
        hrefs = {p.href for p in kept if p.text.strip()}
        href = hrefs.pop() if len(hrefs) == 1 else None
        kind = Line(pieces=kept, tag=line.tag).kind
        for label, part in _split_labels(text):
            parts = [part] if label else [p for p in SEPARATOR.split(part) if p.strip()]
            for piece_text in parts:
                segments.append(Segment(clean_text(piece_text), kind, href, label))
    return segments, phones


def _split_labels(text: str) -> list[tuple[str | None, str]]:
    """ "Planner Phone: 555-0100 Email: a@b" -> [(None, "Planner"), ("phone", ...), ...]."""
    parts: list[tuple[str | None, str]] = []
    last, label = 0, None
    for match in LABEL.finditer(text):
        chunk = text[last : match.start()].strip(" ,;|")
        if chunk or label:
            parts.append((label, chunk))
        label, last = LABELS[match.group(1).lower()], match.end()
    chunk = text[last:].strip(" ,;|")
    if chunk or label:
        parts.append((label, chunk))
    return [(lab, chunk) for lab, chunk in parts if chunk]


def _free(text: str) -> bool:
    lowered = text.lower().strip(" .:")
    if not lowered or lowered in NOISE or EMAIL.search(text):
        return False
    stripped = PHONE.sub("", text).strip(" ()-.,")
    return bool(stripped) and len(text) <= 150


def _name(
    free: list[Segment], labeled: dict[str, Segment]
) -> tuple[Segment | None, str, str | None] | None:
    """(segment, name, title prefix) — a heading, bold text, link or first line that reads
    as a name; a title-like heading gives way to a name-like line beside it."""
    if "name" in labeled and looks_like_name(labeled["name"].text):
        return None, labeled["name"].text, None
    ranked = sorted(
        enumerate(free), key=lambda item: (_rank(item[1]), item[0])
    )  # headings, then bold, then links, then plain lines, each in page order
    for _, segment in ranked:
        if looks_like_name(segment.text):
            return segment, segment.text.strip(" ,;:"), None
        split = TITLE_PREFIX.match(segment.text)
        if split and segment.kind and looks_like_name(split.group(2)):
            return segment, split.group(2).strip(" ,;:"), split.group(1)
    return None


def _rank(segment: Segment) -> int:
    if segment.kind.startswith("h"):
        return 0
    if segment.kind in ("strong", "dt"):
        return 1
    return 2 if segment.href else 3


def _describe_name(segment: Segment | None) -> str:
    if segment is None:
        return "'Name:' label"
    if segment.kind.startswith("h"):
        return f"{segment.kind} heading"
    if segment.kind:
        return {"strong": "bold text", "dt": "dt term"}[segment.kind]
    return "link text" if segment.href else "a line"


def _title_and_department(
    fields: dict[str, str],
    how: dict[str, str],
    rest: list[Segment],
    labeled: dict[str, Segment],
    prefix: str | None,
) -> None:
    if "title" in labeled:
        fields["title"], how["title"] = labeled["title"].text, "'Title:' label"
    if "department" in labeled:
        fields["department"] = labeled["department"].text
        how["department"] = "'Department:' label"
    lines = [s for s in rest if not s.href or not looks_like_name(s.text)]
    if "title" not in fields:
        short = [s for s in lines if len(s.text.split()) <= 14]
        chosen = next((s for s in short if looks_like_title(s.text)), short[0] if short else None)
        if chosen is not None:
            fields["title"], how["title"] = chosen.text, _line_kind(chosen, "a text line")
            lines = [s for s in lines if s is not chosen]
        elif prefix:
            fields["title"], how["title"] = prefix, "words before the name"
    if "department" not in fields:
        chosen = next((s for s in lines if DEPARTMENT_WORDS.search(s.text)), None)
        if chosen is not None and chosen.text != fields.get("title"):
            fields["department"] = chosen.text
            how["department"] = _line_kind(chosen, "line naming a department")


def _line_kind(segment: Segment, plain: str) -> str:
    if segment.kind.startswith("h"):
        return f"{segment.kind} heading"
    return {"strong": "bold text", "dt": "dt term"}.get(segment.kind, plain)


def _is_contact(href: str) -> bool:
    return href.lower().startswith(("mailto:", "tel:", "javascript:", "#"))


def _has_mailto(lines: Sequence[Line]) -> bool:
    return any(h.lower().startswith("mailto:") for line in lines for h in line.hrefs)


def _phone(
    phones: list[str], labeled: dict[str, Segment], segments: list[Segment]
) -> tuple[str, str] | None:
    if phones:
        return phones[0], "tel: link"
    if "phone" in labeled:
        match = PHONE.search(labeled["phone"].text) or LOCAL_PHONE.search(labeled["phone"].text)
        if match:
            return match.group(0), "'Phone:' label"
    for segment in segments:
        if segment.label in (None, "phone"):
            match = PHONE.search(segment.text)
            if match:
                return match.group(0), "number in the text"
    return None
