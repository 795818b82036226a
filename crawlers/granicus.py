"""``platform: granicus`` — a Granicus publisher page (``ViewPublisher.php?view_id=N``).

The page lists held meetings (archived clips, in collapsible panels) and upcoming events,
one table row each. Sites pick different templates; what they share, and what is read:

- cells ``td.listItem`` whose ``headers`` attribute starts with ``Name``/``EventName``
  (the meeting's name) and ``Date``/``EventDate`` ("November 19, 2025 - 5:00 PM", or a
  day alone). Some templates put a Unix timestamp in a ``display:none`` span before the
  date, for sorting; hidden text is skipped. Times are local. Rows of the ``listingRow``
  template without ``headers`` are read by position (name, then date).
- links to ``AgendaViewer.php`` (agenda), ``MinutesViewer.php`` (minutes) or labelled
  "Packet", as ``href`` or inside an ``onclick="window.open('…')"``; hrefs are
  HTML-escaped (``&amp;``) and often protocol-relative (``//city.granicus.com/…``). The
  agenda viewer answers with the agenda (an HTML page, sometimes without ``html``/``body``
  wrapper) or redirects to its PDF; ``crawlers/documents.py`` reads either.

Identity: an upcoming meeting is an ``event_id``; once held it is listed as a clip
(``clip_id``) and the event row goes. Both rows carry the same name and day, so a meeting
is keyed by those (status words such as "CANCELLED" left out), not by either id. A row
"In Progress" (no date) is skipped for that run; the store keeps the meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from parsel import Selector

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.meeting_lists import (
    MeetingListing,
    absolute,
    body_id,
    clean,
    entry_item,
    local_start,
)
from civicradar.models.records import DocumentRecord, MeetingRecord

_ROWS = "//tr[td[starts-with(@headers, 'Name') or starts-with(@headers, 'EventName')]]"
_NAME_CELL = "./td[starts-with(@headers, 'Name') or starts-with(@headers, 'EventName')]"
_DATE_CELL = "./td[starts-with(@headers, 'Date') or starts-with(@headers, 'EventDate')]"
_VISIBLE = ".//text()[not(ancestor::*[contains(translate(@style, ' ', ''), 'display:none')])]"
_QUOTED = re.compile(r"""['"]([^'"]+\.php\?[^'"]+)['"]""")
_KEY_NOISE = re.compile(
    r"\b(?:cancel(?:l?ed|lation)|postpone(?:d|ment)?|re-?scheduled|amended|revised)\b|[^\w]+",
    re.IGNORECASE,
)


def meeting_key(name: str, day: dt.date) -> str:
    """A meeting's identity on a Granicus page: its name (without status words) and day."""
    words = " ".join(_KEY_NOISE.sub(" ", name).lower().split())
    return f"{words}|{day.isoformat()}"


def _visible_text(cell: Selector | None) -> str:
    if cell is None:
        return ""
    return clean(" ".join(cell.xpath(_VISIBLE).getall()))


def row_links(row: Selector, base: str) -> list[tuple[str, str]]:
    """(url, label) of every link in a row: hrefs, and addresses opened by ``onclick``."""
    found: list[tuple[str, str]] = []
    for element in row.xpath(".//*[@href or @onclick]"):
        label = clean(element.xpath("string(.)").get() or element.attrib.get("value"))
        candidates = [element.attrib.get("href")]
        candidates += _QUOTED.findall(element.attrib.get("onclick") or "")
        for href in candidates:
            url = absolute(base, href)
            if url and url not in (u for u, _ in found):
                found.append((url, label))
    return found


def row_meeting(row: Selector, base: str, zone: Any) -> dict[str, Any] | None:
    """A row as a meeting's fields (a dict, validated by the spider), or None without a
    readable day."""
    name_cell = row.xpath(_NAME_CELL)
    date_cell = row.xpath(_DATE_CELL)
    cells = row.xpath("./td")
    name = _visible_text(name_cell[0] if name_cell else (cells[0] if cells else None))
    when = _visible_text(date_cell[0] if date_cell else (cells[1] if len(cells) > 1 else None))
    found = text.find_date(when)
    if not name or found is None:
        return None
    day = found[0]
    documents: list[DocumentRecord] = []
    for url, label in row_links(row, base):
        kind = text.link_kind(url, label)
        if kind is not None and all(d.url != url for d in documents):
            documents.append(DocumentRecord(kind=kind, url=url))
    agenda = next((d.url for d in documents if d.kind == "agenda"), None)
    minutes = next((d.url for d in documents if d.kind == "minutes"), None)
    status, evidence = text.meeting_status(name, when)
    body = text.body_from_title(name) or name
    return {
        "external_id": meeting_key(name, day),
        "body_external_id": body_id(body),
        "body_name": body,
        "title": name,
        "meeting_date": day,
        "start": local_start(day, text.find_time(when, found[1]), zone),
        "status": status,
        "status_evidence": evidence,
        "url": agenda or base,
        "agenda_url": agenda,
        "minutes_url": minutes,
        "items": entry_item(name),
        "documents": documents,
    }


class GranicusAgendaSpider(MeetingListing, SourceSpider):
    """One request for the publisher page; the meetings of the window, with their
    agenda and minutes (``crawlers/meeting_lists.py``)."""

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.source.url or "", self.read_page, dont_filter=True)

    def read_page(self, response: Any) -> Iterator[Any]:
        html = response.text
        page = Selector(text=html)
        rows = page.xpath(_ROWS) or page.css("tr.listingRow")
        if not rows:
            self.layout_changed(response.url, "meeting rows (td.listItem Name/Date)", html)
            return
        records: dict[str, MeetingRecord] = {}
        undated = 0
        for row in rows:
            fields = row_meeting(row, response.url, self.job.zone)
            if fields is None:
                undated += 1
                continue
            record = self.meeting(f"row {fields['title']!r}", **fields)
            if record is not None:
                records[record.external_id] = _merged(records.get(record.external_id), record)
        if undated == len(rows):
            self.layout_changed(response.url, "row with a readable date")
            return
        yield from self.emit(records.values())


def _merged(earlier: MeetingRecord | None, later: MeetingRecord) -> MeetingRecord:
    """One meeting listed twice (as an event and as a clip): the later row, with the
    documents and time only the earlier one gave."""
    if earlier is None:
        return later
    extra = [d for d in earlier.documents if all(d.url != o.url for o in later.documents)]
    return later.model_copy(
        update={
            "documents": [*later.documents, *extra],
            "start": later.start or earlier.start,
            "agenda_url": later.agenda_url or earlier.agenda_url,
            "minutes_url": later.minutes_url or earlier.minutes_url,
        }
    )
