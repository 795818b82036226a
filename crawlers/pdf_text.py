"""Text out of agenda documents, page by page: PDFs with pypdf, HTML agendas with parsel.

Extraction never raises on bad input. A PDF whose pages carry no text layer (a scan) is
``no_text``; a file pypdf cannot read (truncated, not a PDF, encrypted) is ``failed`` with
the reason. The text is tidied the way a reader would want it and the matcher needs it:
whitespace collapsed per line, words hyphenated across a line break joined, and the
"every letter doubled" artefact of fake-bold headings ("CCHHIICCAAGGOO") undone.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from typing import Literal

from parsel import Selector
from pypdf import PdfReader

MAX_PAGES = 400  # text of later pages is not extracted: agendas are short, packets are not
MIN_TEXT_CHARS = 20  # fewer letters/digits than this in the whole file: a scan, not text

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TOKEN = re.compile(r"\S+")
_HYPHEN_END = re.compile(r"([^\W\d_]{2,}|\d+)-$")  # "Com-" / "FY2020-" at a line end
_NEXT_WORD = re.compile(r"^([^\W_][\w'’]*)(.*)$")
_ALNUM = re.compile(r"[^\W_]")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)

Status = Literal["ok", "no_text", "failed"]


@dataclass
class ExtractedText:
    """One document's text: one string per page (lines kept), or why there is none."""

    status: Status
    pages: list[str] = field(default_factory=list)
    error: str | None = None
    page_count: int = 0


def extract_document(data: bytes, content_type: str | None = None) -> ExtractedText:
    """Text of a downloaded document: HTML agendas as one page, anything else as a PDF.

    Markup is recognised by its first character too: agenda viewers (Granicus) send
    fragments that start with ``<style>`` or ``<table>``, without ``html``/``body``."""
    kind = (content_type or "").split(";")[0].strip().lower()
    head = data[:512].lstrip().lower()
    if kind in ("text/html", "application/xhtml+xml") or head.startswith(b"<"):
        return extract_html(data)
    return extract_pdf(data)


def extract_pdf(data: bytes, *, max_pages: int = MAX_PAGES) -> ExtractedText:
    """Each page's text, tidied; ``no_text`` for scans and ``failed`` for unreadable files."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        return ExtractedText("failed", error="not a PDF file (no %PDF header)")
    raw: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return ExtractedText("failed", error="encrypted PDF (needs a password)")
        total = len(reader.pages)
        for page in reader.pages[:max_pages]:
            raw.append(page.extract_text() or "")
    except Exception as exc:  # pypdf raises many types on broken files; each is "unreadable"
        logging.getLogger(__name__).debug("unreadable PDF", exc_info=True)
        return ExtractedText("failed", error=f"unreadable PDF: {type(exc).__name__}: {exc}")
    pages = tidy_pages(raw)
    if sum(len(_ALNUM.findall(page)) for page in pages) < MIN_TEXT_CHARS:
        return ExtractedText(
            "no_text", pages=pages, page_count=total, error="no text layer (scanned image?)"
        )
    return ExtractedText("ok", pages=pages, page_count=total)


def extract_html(data: bytes) -> ExtractedText:
    """An HTML agenda (CivicPlus ``?html=true``, Legistar HTML) as a single page of lines."""
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        html = data.decode("cp1252", errors="replace")
    selector = Selector(text=_BREAK.sub("\n", html))  # "CITY HALL<br>1666 N. MAIN" keeps a space
    body = selector.css("body") or selector
    blocks = body.xpath(
        ".//*[self::p or self::li or self::h1 or self::h2 or self::h3 or self::h4 "
        "or self::td or self::div[not(.//p or .//div or .//li or .//td)]]"
    )
    lines = [" ".join(b.xpath("string(.)").get("").split()) for b in blocks]
    text = "\n".join(line for line in lines if line)
    pages = tidy_pages([text])
    if sum(len(_ALNUM.findall(page)) for page in pages) < MIN_TEXT_CHARS:
        return ExtractedText("no_text", pages=pages, page_count=1, error="no text in HTML")
    return ExtractedText("ok", pages=pages, page_count=1)


# --- tidying ----------------------------------------------------------------------------


def tidy_pages(pages: list[str]) -> list[str]:
    """Every page tidied (see :func:`tidy_page`); hyphen decisions consult the whole file."""
    joined = "\n".join(pages)
    return [tidy_page(page, context=joined) for page in pages]


def tidy_page(text: str, *, context: str = "") -> str:
    """Lines with single spaces, at most one blank line in a row, doubled letters undone
    and line-end hyphenation joined."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = undouble(_SPACES.sub(" ", raw).strip())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(join_hyphenated(lines, context or text))


def join_hyphenated(lines: list[str], context: str) -> list[str]:
    """Move the rest of a word hyphenated at a line end up to its first half.

    "Com-" + "missioners" becomes "Commissioners"; "FY2020-" + "2021" stays "FY2020-2021";
    "College-" + "wide" keeps its hyphen when the file writes "College-wide" elsewhere.
    """
    out = list(lines)
    for index in range(len(out) - 1):
        found = _HYPHEN_END.search(out[index])
        nxt = _NEXT_WORD.match(out[index + 1])
        if not found or not nxt:
            continue
        first, rest = found.group(1), nxt.group(1)
        word = rest.rstrip("'’.,;:")
        keep_hyphen = _keeps_hyphen(first, word, context)
        out[index] = out[index][:-1] + ("-" if keep_hyphen else "") + rest
        out[index + 1] = nxt.group(2).lstrip()
    return [line for i, line in enumerate(out) if line or (i and out[i - 1])]


def _keeps_hyphen(first: str, second: str, context: str) -> bool:
    if not (first[-1].isalpha() and second[:1].islower()):
        return True  # digits or capitals on either side: a real hyphen ("Nash-Rocky", "2020-21")
    written = rf"\b{re.escape(first)}-{re.escape(second)}\b"
    return re.search(written, context, re.IGNORECASE) is not None


def undouble(line: str) -> str:
    """Undo fake-bold text where every character is printed twice ("TTIIMMEE::").

    A token is undone when all its characters come in equal pairs and either it is long
    (six or more characters) or every token of the line is doubled that way.
    """
    tokens = _TOKEN.findall(line)
    doubled = [_is_doubled(t) for t in tokens]
    if not any(d and len(t) >= 6 for d, t in zip(doubled, tokens, strict=True)):
        return line
    whole_line = all(doubled)
    parts = []
    for token, is_doubled in zip(tokens, doubled, strict=True):
        if is_doubled and (whole_line or len(token) >= 6):
            token = token[::2]
        parts.append(token)
    return " ".join(parts)


def _is_doubled(token: str) -> bool:
    return len(token) >= 2 and len(token) % 2 == 0 and token[::2] == token[1::2]
