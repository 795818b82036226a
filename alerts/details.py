"""The labelled lines under a change, shared by the digest, the feeds and the web pages.

Lines come only from :func:`civicradar.alerts.public.public_data` (never a home address).
A line may carry a link (agenda PDF, campaign email, phone, website: only http(s),
``mailto:`` and ``tel:``) and, for agenda text, the matched words marked up; each output
renders a line as HTML (:meth:`Detail.html`) or as plain text (:meth:`Detail.text`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from civicradar.alerts.contacts import contact_link
from civicradar.alerts.highlight import marked, sentence_around
from civicradar.alerts.meeting_time import meeting_time
from civicradar.alerts.public import public_data, safe_url
from civicradar.models.tables import Change


@dataclass(frozen=True)
class Detail:
    """One labelled line; ``href`` is already checked; ``terms`` are marked in HTML."""

    label: str
    value: str
    href: str | None = None
    terms: tuple[str, ...] = ()
    link_only: bool = False  # the label is the link's text ("Agenda (PDF)")

    def html(self, mark: str = "mark") -> Markup:
        """Escaped, with matched words in ``<mark>`` (``strong`` where readers drop mark)."""
        if self.link_only and self.href:
            return Markup('<a href="{}">{}</a>').format(self.href, self.label)
        shown = marked(self.value, self.terms, tag=mark) if self.terms else escape(self.value)
        if self.href:
            shown = Markup('<a href="{}">{}</a>').format(self.href, shown)
        return Markup("{}: {}").format(self.label, shown)

    def plain(self) -> str:
        """The value as text: a web link written out, an address or number as written."""
        if self.href and self.href.startswith(("http://", "https://")):
            return self.href
        return self.value

    def text(self) -> str:
        return f"{self.label}: {self.plain()}"


Lines = list[Detail]
Data = Mapping[str, Any]
Builder = Callable[[Data, str | None], Lines]


def detail_lines(change: Change, *, zone: str | None = None) -> Lines:
    """The lines for one change, empty values left out; meeting times in ``zone``."""
    build = DETAIL_FIELDS.get(change.kind)
    return build(public_data(change.data or {}), zone) if build else []


def _field(data: Data, key: str, label: str) -> Detail:
    value = _text(data.get(key))
    return Detail(label, value, href=contact_link(key, value))


def _text(value: Any, joiner: str = ", ") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return joiner.join(str(v) for v in value if v not in (None, ""))
    return str(value)


def _fields(data: Data, *pairs: tuple[str, str]) -> Lines:
    return [_field(data, key, label) for key, label in pairs if _text(data.get(key))]


# --- candidates ---------------------------------------------------------------------------


def _office(data: Data) -> Lines:
    """The seat with its ward or district ("Council Member, Ward 4")."""
    office, district = _text(data.get("office")), _text(data.get("district"))
    if district and district.lower() not in office.lower():
        office = f"{office}, {district}" if office else district
    return [Detail("Office", office)] if office else []


def _election(data: Data) -> Lines:
    name, date = _text(data.get("election")), _text(data.get("election_date"))
    text = ", ".join(part for part in (name, date) if part)
    return [Detail("Election", text)] if text else []


def _new_candidate(data: Data, _zone: str | None) -> Lines:
    return [
        *_office(data),
        *_fields(data, ("party", "Party")),
        *_election(data),
        *_fields(data, ("filed_on", "Filed"), ("email", "Email"), ("phone", "Phone")),
        *_fields(data, ("website", "Website")),
    ]


def _candidate_update(data: Data, _zone: str | None) -> Lines:
    return [
        *_office(data),
        *_election(data),
        *_fields(data, ("status", "Status"), ("previous_status", "Was")),
    ]


# --- meetings -----------------------------------------------------------------------------


def _when(data: Data, zone: str | None, label: str, prefix: str = "") -> Lines:
    when = meeting_time(data, zone, prefix=prefix)
    if when is not None:
        return [Detail(label, when.describe())]
    raw = _text(data.get(f"{prefix}date" if prefix else "meeting_date"))
    return [Detail(label, raw)] if raw else []


def _pdf_label(url: str, kind: str) -> str:
    return f"{kind} (PDF)" if urlsplit(url).path.lower().endswith(".pdf") else kind


def _documents(data: Data) -> Lines:
    """The agenda, and the document the match was found in (at its page) when another."""
    lines: Lines = []
    agenda = safe_url(_text(data.get("agenda_url")))
    document = safe_url(_text(data.get("document_url")))
    if document:
        kind = _text(data.get("document_kind")).capitalize() or "Document"
        page = data.get("page")
        pdf = urlsplit(document).path.lower().endswith(".pdf")
        href = f"{document}#page={page}" if pdf and isinstance(page, int) and page > 0 else document
        label = _pdf_label(document, kind) + (f", p. {page}" if page else "")
        lines.append(Detail(label, href, href=href, link_only=True))
    if agenda and agenda != document:
        lines.append(Detail(_pdf_label(agenda, "Agenda"), agenda, href=agenda, link_only=True))
    return lines


def _excerpt(data: Data, terms: list[str]) -> Lines:
    """The sentence around the match, when it says more than the item's title."""
    title = _text(data.get("item_title"))
    text = _text(data.get("document_snippet")) or _text(data.get("snippet"))
    if title and text.startswith(title):
        text = text[len(title) :]
    sentence = sentence_around(text, terms) if text.strip() else None
    if not sentence or sentence == title:
        return []
    return [Detail("Excerpt", f"“{sentence}”", terms=tuple(terms))]


def _agenda_match(data: Data, zone: str | None) -> Lines:
    terms = [t for t in data.get("matched_terms") or [] if isinstance(t, str)]
    title = _text(data.get("item_title"))
    lines = [
        *_fields(data, ("body", "Body")),
        *_when(data, zone, "Hearing date"),
        *_fields(data, ("location", "Place")),
    ]
    if title:
        lines.append(Detail("Item", title, terms=tuple(terms)))
    lines += _fields(data, ("matched_terms", "Matched"))
    return lines + _excerpt(data, terms) + _documents(data)


def _meeting_change(data: Data, zone: str | None) -> Lines:
    lines = [
        *_fields(data, ("body", "Body")),
        *_when(data, zone, "Meeting date"),
        *_fields(data, ("location", "Place"), ("what", "What")),
    ]
    if data.get("previous_date") or data.get("previous_start"):
        lines += _when(data, zone, "Previously", prefix="previous_")
    items = _text(data.get("matched_items"), joiner="; ")
    if items:
        lines.append(Detail("Matching items", items))
    return lines + _documents(data)


def _plain(*pairs: tuple[str, str]) -> Builder:
    """Lines that show data keys as they are: (data key, label), in this order."""

    def build(data: Data, _zone: str | None) -> Lines:
        return _fields(data, *pairs)

    return build


# The lines under each kind of change (every kind has an entry; tests/test_registry.py).
DETAIL_FIELDS: dict[str, Builder] = {
    "new_candidate": _new_candidate,
    "staff_departure": _plain(
        ("title", "Title"), ("department", "Department"), ("last_seen", "Last seen")
    ),
    "agenda_match": _agenda_match,
    "candidate_update": _candidate_update,
    "meeting_change": _meeting_change,
    "staff_arrival": _plain(("title", "Title"), ("department", "Department"), ("email", "Email")),
    "staff_role_change": _plain(
        ("title", "Title"),
        ("department", "Department"),
        ("previous_title", "Was"),
        ("previous_department", "Previously in"),
    ),
    "source_problem": _plain(("status", "Status"), ("detail", "Detail")),
}
