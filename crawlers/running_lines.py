"""Running headers and footers out of a document's pages, before its items are read.

A line that recurs near the top of most pages, or near the bottom, and never mid-page is
the document's furniture (the body's name, the meeting date, "Page 2 of 3"): never an
item or item text. Numbered lines and matter numbers are never furniture.
"""

from __future__ import annotations

import re
from collections import Counter

from civicradar.crawlers.agenda_lines import lone_matter, starts_with_marker

_PAGE_LINE = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
HEADER_DEPTH = 8  # lines at the top and bottom of a page where running headers sit
PAGE_NUMBER_DEPTH = 3  # where a page number sits


def drop_running_lines(pages: list[str]) -> list[str]:
    """Pages without their running headers and footers: page numbers, and lines that
    recur near the top of most pages, or near the bottom, and never mid-page (digits
    ignored, so "Page 1 of 2" and "Page 2 of 2" are the same line). Boilerplate that an item
    repeats ("RECOMMENDATION: It is recommended that …") stays."""
    if len(pages) < 2:
        return [_without_page_numbers(page.split("\n")) for page in pages]
    split = [page.split("\n") for page in pages]
    edges = [_edge_lines(lines) for lines in split]
    inside = {_shape(line) for edge in edges for line in edge[2]}  # mid-page: not running
    enough = max(2, (len(pages) - 1) / 2)  # on most pages (the first may have its own top)
    repeated = []
    for side in (0, 1):
        seen = Counter(shape for edge in edges for shape in {_shape(line) for line in edge[side]})
        repeated.append({shape for shape, n in seen.items() if n >= enough and shape not in inside})
    kept = []
    for lines, edge in zip(split, edges, strict=True):
        running = {
            line
            for side in (0, 1)
            for line in edge[side]
            if _shape(line) in repeated[side]
            and not starts_with_marker(line)
            and lone_matter(line) is None
        }
        kept.append(_without_page_numbers([line for line in lines if line not in running]))
    return kept


def _without_page_numbers(lines: list[str]) -> str:
    """The page without a page number ("3", "Page 3 of 9") among its first or last few
    lines; a number elsewhere ends a wrapped title ("… phase" / "1")."""
    content = [index for index, line in enumerate(lines) if line]
    edges = set(content[:PAGE_NUMBER_DEPTH] + content[-PAGE_NUMBER_DEPTH:])
    return "\n".join(
        line
        for index, line in enumerate(lines)
        if index not in edges
        or not _PAGE_LINE.match(line)
        or (index and lines[index - 1].endswith(","))  # "July 15," / "2026"
    )


def _edge_lines(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The non-blank lines near the top of a page, near its bottom, and in between."""
    content = [line for line in lines if line]
    return content[:HEADER_DEPTH], content[-HEADER_DEPTH:], content[HEADER_DEPTH:-HEADER_DEPTH]


def _shape(line: str) -> str:
    return _DIGITS.sub("#", line.lower()) if _DIGITS.search(line) else line.lower()
