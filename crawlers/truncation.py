"""Files cut off on the server's side: a complete transfer of an incomplete document.

A download cut short in transit is caught by the engine (the reply is shorter than its
``Content-Length``). A file that was already cut when it was written — an export job that
died, a half-copied file behind a ``file://`` source, a page whose renderer stopped — is
transferred whole, and read naively it looks like a healthy list whose last row is wrong
("Budget Analyst, Finance" read as "Budget") or missing. These checks say when the
document itself shows that it ends early, so the run fails instead of crying wolf.
"""

from __future__ import annotations

import re

from civicradar.crawlers.tabular import csv_lines

_HTML_OPEN = re.compile(rb"<html[\s>]", re.I)
_HTML_CLOSE = re.compile(rb"</html\s*>", re.I)
_TABLE_OPEN = re.compile(rb"<table[\s>]", re.I)
_TABLE_CLOSE = re.compile(rb"</table\s*>", re.I)


def csv_cut_short(text: str) -> str | None:
    """Why a CSV text ends mid-row, or None.

    Only a text without a final newline can have been cut inside its last row (a file cut
    exactly at a line end is caught as a drop in size). Its last row is cut when it has
    fewer fields than the header, or when it ends inside a quoted field. A last row as
    short as the row before it is a ragged export (trailing empty fields left out), not a
    cut: such files are common and must not fail every day."""
    if not text or text.endswith(("\n", "\r")):
        return None
    dialect, rows = csv_lines(text)
    if len(rows) < 2:
        return None
    header, last = rows[0], rows[-1]
    quote = getattr(dialect, "quotechar", '"') or '"'
    last_line = text.rsplit("\n", 1)[-1]
    if text.count(quote) % 2 and last_line.count(quote) % 2:
        return "the file ends inside a quoted field (truncated?)"
    if len(last) >= len(header):
        return None
    previous = rows[-2] if len(rows) > 2 else None
    if previous is not None and len(previous) <= len(last):
        return None
    return (
        f"the file ends mid-row (truncated?): the last row has {len(last)} of "
        f"{len(header)} fields and no final newline"
    )


def html_cut_short(body: bytes) -> str | None:
    """Why an HTML page ends early, or None: it opened ``<html`` and never closed it, or the
    last table it opened (the one holding the rows, on a cut page) is never closed."""
    if _HTML_OPEN.search(body[:65536]) and not _HTML_CLOSE.search(body):
        return "the page ends before </html> (truncated?)"
    opened = [m.start() for m in _TABLE_OPEN.finditer(body)]
    if opened and not _TABLE_CLOSE.search(body, opened[-1]):
        return "the page ends inside a table that is never closed (truncated?)"
    return None


_FEED_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|rdf)\s*>", re.I)


def feed_cut_short(body: bytes) -> bool:
    """Whether a feed's root element (``rss``, ``feed``, ``rdf:RDF``) is never closed."""
    return _FEED_CLOSE.search(body[-8192:]) is None
