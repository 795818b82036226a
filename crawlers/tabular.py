"""Rows out of tables: CSV text, JSON lists and HTML tables, as headers and cells.

Shared by the ``csv``, ``json`` and ``html_table`` spiders for every source type; which
header holds which field is decided in ``crawlers/columns.py``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parsel import Selector

from civicradar.crawlers.columns import clean_text, lookup


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


@dataclass
class HtmlTable:
    """One table of a page: its header row, its body rows as cells, and the table itself
    (where it sits on the page says which department it lists)."""

    headers: list[str]
    rows: list[dict[str, HtmlCell]]
    node: Selector
    banner: str | None = None  # a one-cell row above the headers ("Staff", "Planning")


SCRIPT_USER = re.compile(r"""var\s+w\s*=\s*["']([^"']+)["']""")
SCRIPT_DOMAIN = re.compile(r"""var\s+x\s*=\s*["']([^"']+)["']""")
"""CivicPlus writes an address with inline script from ``var w = "user"; var x = "domain"``."""


def html_tables(html: str | Selector) -> list[HtmlTable]:
    """Every table on a page; the header row is the widest leading row of th cells, else
    the first row."""
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
        banners = [
            clean_text(" ".join(rows[i].css("::text").getall()))
            for count, i in leading
            if count == 1 and i != header_index
        ]
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
            if all(not v.text and not v.links and not v.emails for v in values):
                continue
            body.append(dict(zip(headers, values, strict=False)))
        banner = next((b for b in banners if b), None)
        tables.append(HtmlTable(headers=headers, rows=body, node=table, banner=banner))
    return tables


def _cell(cell: Selector) -> HtmlCell:
    text = clean_text(
        " ".join(cell.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall())
    )
    hrefs = [h.strip() for h in cell.css("a::attr(href)").getall()]
    emails = [h.split(":", 1)[1].split("?")[0] for h in hrefs if h.lower().startswith("mailto:")]
    links = [h for h in hrefs if not h.lower().startswith(("mailto:", "javascript:", "tel:"))]
    if not emails:
        emails = list(filter(None, [script_email(cell)]))
    return HtmlCell(text=text, links=links, emails=emails)


def script_email(node: Selector) -> str | None:
    """An address an inline script assembles from ``var w`` and ``var x`` (CivicPlus)."""
    script = " ".join(node.css("script::text").getall())
    if not script:
        return None
    user, domain = SCRIPT_USER.search(script), SCRIPT_DOMAIN.search(script)
    return f"{user.group(1)}@{domain.group(1)}" if user and domain else None


def _unique(headers: list[str]) -> list[str]:
    """Make repeated headers distinct ("City", "City 2") so no column is lost."""
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        count = seen.get(header, 0)
        seen[header] = count + 1
        unique.append(header if count == 0 else f"{header} {count + 1}")
    return unique
