"""Rows out of tables: CSV text, JSON lists and HTML tables, with their columns recognised.

Shared by the ``csv``, ``json`` and ``html_table`` spiders for every source type. A
source's ``fields`` mapping wins; otherwise headers are matched against the vocabulary
of the source type (``Person Name`` -> name, ``Position Title`` -> title ...).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from parsel import Selector

VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "staff_directory": {
        "name": (
            "name",
            "person name",
            "full name",
            "employee",
            "employee name",
            "staff",
            "staff name",
            "contact",
            "official",
            "member",
        ),
        "first_name": ("first name", "first", "given name"),
        "last_name": ("last name", "last", "surname", "family name"),
        "title": (
            "title",
            "position",
            "position title",
            "job title",
            "role",
            "job",
            "ward/office",
            "district",
            "seat",
        ),
        "department": (
            "department",
            "dept",
            "division",
            "agency",
            "office",
            "bureau",
            "organization",
            "unit",
        ),
        "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
        "phone": (
            "phone",
            "telephone",
            "phone number",
            "tel",
            "work phone",
            "office phone",
            "ward office phone",
            "city hall phone",
        ),
        "url": ("website", "web site", "profile", "url"),
    },
    "candidate_list": {
        "name": (
            "name",
            "candidate",
            "candidate name",
            "name on ballot",
            "ballot name",
            "full name",
        ),
        "first_name": ("first name", "first"),
        "middle_name": ("middle name", "middle"),
        "last_name": ("last name", "last", "surname"),
        "suffix": ("suffix", "name suffix", "name suffix lbl"),
        "nickname": ("nickname", "nick name"),
        "office": (
            "office",
            "contest",
            "contest name",
            "office sought",
            "seat",
            "race",
            "position",
        ),
        "district": ("district", "ward", "district/ward", "district name", "seat number"),
        "party": ("party", "party candidate", "political party", "affiliation"),
        "filed_on": (
            "filed",
            "filed on",
            "filing date",
            "date filed",
            "candidacy date",
            "candidacy dt",
            "filing dt",
        ),
        "status": ("status", "candidate status", "filing status", "ballot status"),
        "email": ("email", "e-mail", "email address"),
        "phone": (
            "business phone",
            "office phone",
            "campaign phone",
            "phone",
            "telephone",
            "phone number",
        ),
        "website": ("website", "web site", "url", "campaign website"),
        "committee": ("committee", "committee name", "campaign committee"),
        "address": (
            "address",
            "street address",
            "street",
            "mailing address",
            "residence address",
        ),
        "external_id": ("candidate id", "filer id", "candidate number"),
        "election_name": ("election", "election name", "election type"),
        "election_date": ("election date", "election dt", "election day"),
    },
}


def normalize_header(header: str) -> str:
    text = re.sub(r"[_\-]+", " ", header.strip().lower())
    text = re.sub(r"[^a-z0-9/ ]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class ColumnMap:
    """Which source column feeds each CivicRadar field, plus the headers it could not place."""

    columns: dict[str, str]
    headers: tuple[str, ...]

    def value(self, row: Mapping[str, Any], field_name: str) -> str | None:
        column = self.columns.get(field_name)
        if column is None:
            return None
        value = lookup(row, column)
        if value is None:
            return None
        text = clean_text(str(value))
        return text or None

    def missing(self, required: Iterable[str]) -> list[str]:
        return [name for name in required if name not in self.columns]


def map_columns(
    headers: Iterable[str], source_type: str, explicit: Mapping[str, str] | None = None
) -> ColumnMap:
    """Match headers to fields: the explicit mapping first, then exact then partial words."""
    headers = tuple(h for h in headers if h is not None)
    vocabulary = VOCABULARY[source_type]
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for field_name, header in (explicit or {}).items():
        if header in headers or "." in header:  # a renamed header falls back to detection
            columns[field_name] = header
            taken.add(header)
    normalized = {header: normalize_header(header) for header in headers}
    for exact in (True, False):
        for field_name, synonyms in vocabulary.items():
            if field_name in columns:
                continue
            for synonym in synonyms:
                match = next(
                    (
                        header
                        for header, norm in normalized.items()
                        if header not in taken
                        and (norm == synonym if exact else _partial(norm, synonym))
                    ),
                    None,
                )
                if match is not None:
                    columns[field_name] = match
                    taken.add(match)
                    break
    if "name" in columns and {"first_name", "last_name"} <= columns.keys():
        if "name" in normalize_header(columns["name"]).split() or "name" in (explicit or {}):
            del columns["first_name"], columns["last_name"]
        else:  # "Contact" or "Staff" beside First/Last Name columns is not the name
            del columns["name"]
    return ColumnMap(columns=columns, headers=headers)


def _contains_words(text: str, phrase: str) -> bool:
    return re.search(rf"(^|\s){re.escape(phrase)}(\s|$)", text) is not None


OTHER_KINDS = {
    *("phone", "fax", "address", "zip", "city", "state", "email", "website", "salary"),
    *("county", "contest", "committee", "election", "party", "precinct"),
}
"""Words that make a header about something else ("County Name" is not a person's name)."""


def _partial(header: str, synonym: str) -> bool:
    """The synonym's words in the header, and no word naming another kind of column."""
    extra = set(header.split()) - set(synonym.split())
    return _contains_words(header, synonym) and not extra & OTHER_KINDS


def lookup(row: Mapping[str, Any], column: str) -> Any:
    """A column by header, or a nested JSON key by dotted path (``name.full_name``)."""
    if column in row:
        return row[column]
    value: Any = row
    for part in column.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


# --- readers ----------------------------------------------------------------------------


def decode(body: bytes, declared: str | None = None) -> str:
    """Text from bytes: the declared charset, else UTF-8, else Windows-1252 (common in exports)."""
    for encoding in filter(None, (declared, "utf-8-sig", "cp1252")):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("latin-1")


def csv_lines(text: str) -> tuple[Any, list[list[str]]]:
    """(sniffed dialect, non-blank rows of cells) of CSV text; the header row comes first."""
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return dialect, [row for row in reader if any(cell.strip() for cell in row)]


def csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Headers and rows of CSV text, sniffing the delimiter; a missing final newline is fine."""
    _, rows = csv_lines(text)
    if not rows:
        return [], []
    headers = [h.strip() for h in rows[0]]
    headers = _unique(headers)
    return headers, [dict(zip(headers, row, strict=False)) for row in rows[1:]]


def json_rows(document: Any, path: str | None = None) -> list[dict[str, Any]]:
    """The list of objects in a JSON reply: at ``path``, or the first list of objects found."""
    if path:
        found = lookup(document, path) if isinstance(document, Mapping) else None
        return [row for row in found or [] if isinstance(row, Mapping)]
    if isinstance(document, list):
        return [row for row in document if isinstance(row, Mapping)]
    if isinstance(document, Mapping):
        for key in ("results", "data", "items", "records", "value", "rows", "people"):
            if isinstance(document.get(key), list):
                return [row for row in document[key] if isinstance(row, Mapping)]
        for value in document.values():
            if isinstance(value, list) and value and isinstance(value[0], Mapping):
                return list(value)
    return []


@dataclass
class HtmlCell:
    text: str
    links: list[str]
    emails: list[str]


def html_tables(html: str | Selector) -> list[tuple[list[str], list[dict[str, HtmlCell]]]]:
    """Every table on a page as (headers, rows of cells); header row from th or the first row."""
    selector = html if isinstance(html, Selector) else Selector(text=html)
    tables = []
    for table in selector.css("table"):
        rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        if not rows:
            continue
        leading = []
        for i, row in enumerate(rows):
            if not row.xpath("./th") or row.xpath("./td"):
                break
            leading.append((len(row.xpath("./th")), i))
        header_index = max(leading)[1] if leading else 0
        headers = _unique(
            [
                clean_text(" ".join(c.css("::text").getall()))
                for c in rows[header_index].xpath("./th | ./td")
            ]
        )
        body = []
        for row in rows[header_index + 1 :]:
            cells = row.xpath("./th | ./td")
            if not cells:
                continue
            values = [_cell(cell) for cell in cells]
            if all(not v.text and not v.links for v in values):
                continue
            body.append(dict(zip(headers, values, strict=False)))
        tables.append((headers, body))
    return tables


def _cell(cell: Selector) -> HtmlCell:
    text = clean_text(
        " ".join(cell.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall())
    )
    hrefs = [h.strip() for h in cell.css("a::attr(href)").getall()]
    emails = [h.split(":", 1)[1].split("?")[0] for h in hrefs if h.lower().startswith("mailto:")]
    links = [h for h in hrefs if not h.lower().startswith(("mailto:", "javascript:", "tel:"))]
    return HtmlCell(text=text, links=links, emails=emails)


def _unique(headers: list[str]) -> list[str]:
    """Make repeated headers distinct ("City", "City 2") so no column is lost."""
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        count = seen.get(header, 0)
        seen[header] = count + 1
        unique.append(header if count == 0 else f"{header} {count + 1}")
    return unique
