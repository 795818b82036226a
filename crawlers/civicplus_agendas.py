"""``platform: civicplus`` for ``type: agendas`` — a CivicPlus AgendaCenter page.

The page (``/AgendaCenter`` or a ``/AgendaCenter/Search/?...`` result) holds one
``div.listing`` per body, headed by an ``h2`` with the body's name, and one
``tr.catAgendaRow`` per meeting: the day in the heading's ``strong`` ("Sep 4, 2024"),
followed by "— Posted …" or "— Amended …" (when the agenda was published, *not* when the
meeting is); the agenda's title in a ``p`` or the link's ``title``; the agenda link
``/AgendaCenter/ViewFile/Agenda/_MMDDYYYY-ID`` (its number is the agenda's id) and the
minutes in ``td.minutes``. Rows carry no meeting time, so ``start`` stays unknown.

(``crawlers/civicplus.py`` is the staff directory spider of the same platform.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from parsel import Selector
from pydantic import ValidationError

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.documents import DocumentFetching, changed_since_store
from civicradar.models.records import (
    FEED_ENTRY_ITEM,
    AgendaItemRecord,
    BodyRecord,
    DocumentRecord,
    MeetingRecord,
)

_AGENDA_ID = re.compile(r"/ViewFile/Agenda/_(\d{8})-(\d+)", re.IGNORECASE)
_PUBLISHED = re.compile(r"\b(Posted|Amended)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)


def _clean(value: str | None) -> str:
    return " ".join((value or "").replace("\u25bc", " ").split())


def listing_body(listing: Selector) -> str | None:
    """The body a listing is for: its ``h2`` without the expand arrow."""
    return _clean(" ".join(listing.css("h2 ::text").getall())) or None


def row_meeting(row: Selector, body: str, base_url: str, zone: ZoneInfo) -> MeetingRecord | None:
    """One ``tr.catAgendaRow`` as a meeting; None when it names no agenda or no day."""
    agenda_links = [h for h in row.css("a::attr(href)").getall() if _AGENDA_ID.search(h)]
    if not agenda_links:
        return None
    agenda_href = next((h for h in agenda_links if "packet=" not in h.lower()), agenda_links[0])
    found = _AGENDA_ID.search(agenda_href)
    assert found is not None
    heading = row.css("h3, h4")
    day_text = _clean(" ".join(heading.css("strong ::text").getall()))
    day = (text.find_date(day_text) or (None,))[0] or text.date_in_link(agenda_href)
    if day is None:
        return None
    title = _row_title(row, body)
    published = _PUBLISHED.search(_clean(" ".join(heading.css("::text").getall())))
    minutes = row.css("td.minutes a::attr(href)").get()
    status, evidence = text.meeting_status(title, None)
    agenda_url = _absolute(base_url, agenda_href)
    return MeetingRecord(
        external_id=found.group(2),
        body_external_id=text.body_key(body),
        body_name=body,
        title=title,
        meeting_date=day,
        start=None,
        status=status,
        status_evidence=evidence,
        url=agenda_url,
        agenda_url=agenda_url,
        minutes_url=_absolute(base_url, minutes) if minutes else None,
        agenda_status=" ".join(published.groups()).strip() if published else None,
        source_modified=_published_at(published.group(2), zone) if published else None,
        items=[AgendaItemRecord(external_id=FEED_ENTRY_ITEM, title=title)],
        documents=[DocumentRecord(kind="agenda", url=agenda_url)],
    )


def _row_title(row: Selector, body: str) -> str:
    """The agenda's own title: the row's paragraph, else the link's ``title``; a bare
    "Agenda" (as some sites write) becomes "<body> Agenda"."""
    for candidate in (
        _clean(" ".join(row.css("td:first-of-type p ::text").getall())),
        _clean(row.css("td:first-of-type h4 a[title]::attr(title)").get()),
        _clean(row.css("td:first-of-type h3 a[title]::attr(title)").get()),
    ):
        if candidate and candidate.lower() not in ("agenda", "html", "pdf"):
            return candidate
    return f"{body} Agenda"


def _absolute(base_url: str, href: str) -> str:
    return urljoin(base_url, href.strip())


def _published_at(stamp: str | None, zone: ZoneInfo) -> dt.datetime | None:
    """When the agenda was posted or amended ("Nov 18, 2020 9:40 AM"), as UTC."""
    found = text.find_date(stamp)
    if found is None:
        return None
    clock = text.find_time(stamp, found[1]) or dt.time(0, 0)
    return dt.datetime.combine(found[0], clock, tzinfo=zone).astimezone(dt.UTC)


class CivicPlusAgendaSpider(DocumentFetching, SourceSpider):
    """Reads one AgendaCenter page and yields a meeting per agenda row in the window."""

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.source.url or "", self.read_page, dont_filter=True)

    def read_page(self, response: Any) -> Iterator[Any]:
        page = Selector(text=response.text)
        listings = page.css("div.listing")
        rows = listings.css("tr.catAgendaRow")
        if not rows:
            self.outcome.suspect(
                f"no AgendaCenter rows (div.listing tr.catAgendaRow) at {response.url}: "
                "an empty page or a changed layout"
            )
            return
        first, last = self.job.meeting_window
        seen_bodies: set[str] = set()
        for listing in listings:
            body = listing_body(listing)
            if not body:
                self.outcome.suspect(
                    f"an AgendaCenter listing without a body name at {response.url}"
                )
                continue
            for row in listing.css("tr.catAgendaRow"):
                try:
                    record = row_meeting(row, body, response.url, self.job.zone)
                except (ValidationError, ValueError) as exc:
                    self.outcome.suspect(f"agenda row unreadable in {body}: {exc}")
                    continue
                if record is None or not first <= record.meeting_date <= last:
                    continue
                if record.body_external_id not in seen_bodies:
                    seen_bodies.add(record.body_external_id or "")
                    yield BodyRecord(external_id=record.body_external_id or "", name=body)
                yield from self.with_documents(
                    record, changed=changed_since_store(self.job, record)
                )
