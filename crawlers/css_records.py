"""Records picked out of a page with the source's own CSS ``selectors`` — the escape hatch
when a layout defeats inference.

``record`` selects one element per person or candidate; every other key is a field
(``name``, ``title``, ``office`` ...) selected inside it. A field's value is the text of the
first match, read the way a person reads it: a "Title / Phone: … / Email: …" paragraph
gives its unlabelled first line to ``title``, its labelled number to ``phone``; ``email``
takes a ``mailto:`` address, ``url`` and ``website`` a link's target. ``department`` (or,
for candidates, ``office``) not found inside a record is the nearest match above it on
the page: ``department: h3`` names each person's section. ``next_page`` selects the link
to the next page. Selectors may end in ``::text`` or ``::attr(name)``.
"""

from __future__ import annotations

import bisect
from typing import Any

from parsel import Selector, SelectorList

from civicradar.crawlers.columns import clean_text
from civicradar.crawlers.page_lines import EMAIL, PHONE, page_lines
from civicradar.crawlers.person_text import text_segments
from civicradar.crawlers.tabular import script_email

NOT_FIELDS = ("record", "next_page")
MAILTO = 'a[href^="mailto:"]::attr(href), a[href^="MAILTO:"]::attr(href)'
SECTION_FIELDS = ("department", "office", "election_name", "election_date")
"""Fields a page often states once above a group of records (a heading per section)."""


def selected_rows(selector: Selector, selectors: dict[str, str]) -> list[dict[str, str]]:
    """One row of field values per element ``selectors["record"]`` matches."""
    records = selector.css(selectors["record"])
    fields = {k: v for k, v in selectors.items() if k not in NOT_FIELDS}
    order = _document_order(selector) if set(fields) & set(SECTION_FIELDS) else {}
    above = {
        name: _positions(selector, query, order)
        for name, query in fields.items()
        if name in SECTION_FIELDS
    }
    rows = []
    for record in records:
        row: dict[str, str] = {}
        for name, query in fields.items():
            value = field_value(name, record.css(query))
            if value is None and name in above:
                value = _nearest_above(above[name], order.get(record.root, -1))
            if value:
                row[name] = value
        rows.append(row)
    return rows


def next_page_link(selector: Selector, query: str) -> str | None:
    found = selector.css(query)
    if not found:
        return None
    node = found[0]
    if isinstance(node.root, str):
        return node.root.strip() or None
    href = node.attrib.get("href") or node.css("a::attr(href)").get()
    return href.strip() if href else None


def field_value(name: str, found: SelectorList) -> str | None:
    """The value of one field from the elements (or strings) its selector matched."""
    if not found:
        return None
    first = found[0]
    if isinstance(first.root, str):  # ::text or ::attr(...)
        return clean_text(" ".join(str(f.root) for f in found)) or None
    if name == "email":
        return _email(first)
    if name in ("url", "website"):
        href = first.attrib.get("href") or first.css("a::attr(href)").get()
        return href.strip() if href else clean_text(first.xpath("string()").get() or "") or None
    if name == "phone":
        tel = first.css('a[href^="tel:"]::text').get()
        text = tel or first.xpath("string()").get() or ""
        match = PHONE.search(text)
        return match.group(0) if match else None
    return _first_line(name, first)


def _email(node: Selector) -> str | None:
    href = node.attrib.get("href", "")
    mailto = href if href.lower().startswith("mailto:") else None
    mailto = mailto or node.css(MAILTO).get()
    if mailto:
        return mailto.split(":", 1)[1].split("?")[0].strip()
    match = EMAIL.search(node.xpath("string()").get() or "")
    return match.group(0) if match else script_email(node)


def _first_line(name: str, node: Selector) -> str | None:
    """The line labelled with the field ("Title: Planner"), else the first unlabelled one;
    names take the element's whole text."""
    lines = page_lines(node.root).lines
    if name in ("name", "first_name", "last_name", "middle_name", "nickname", "suffix"):
        text = clean_text(" ".join(line.text for line in lines))
        return text or None
    segments, _ = text_segments(lines)
    for segment in segments:
        if segment.label == name:
            return segment.text
    free = next((s.text for s in segments if not s.label), None)
    return free or None


def _document_order(selector: Selector) -> dict[Any, int]:
    return {element: index for index, element in enumerate(selector.root.iter())}


def _positions(
    selector: Selector, query: str, order: dict[Any, int]
) -> tuple[list[int], list[str]]:
    """Where on the page each match of a section selector sits, and its text."""
    found = []
    for match in selector.css(query):
        if isinstance(match.root, str):
            continue
        text = clean_text(match.xpath("string()").get() or "")
        if text:
            found.append((order.get(match.root, -1), text))
    found.sort()
    return [p for p, _ in found], [t for _, t in found]


def _nearest_above(positions: tuple[list[int], list[str]], position: int) -> str | None:
    at = bisect.bisect_left(positions[0], position)
    return positions[1][at - 1] if at else None
