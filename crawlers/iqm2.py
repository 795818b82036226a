"""``platform: iqm2`` for ``type: agendas`` — an iQM2 (Accela) citizens' portal,
``https://CITY.iqm2.com/Citizens/calendar.aspx``.

One run asks for the calendar in its list view for the source's window
(``calendar.aspx?View=List&From=M/D/YYYY&To=M/D/YYYY``). Each meeting is a
``div.MeetingRow``: its ``div.RowLink`` links ``Detail_Meeting.aspx?ID=N`` (the meeting's
identity) with the day and time as text ("Jan 4, 2023 8:00 AM"), and the link's title
tooltip packs the rest, one fact a line (``&#13;``), label and value split by a tab
(``&#09;``): ``Board:``, ``Type:``, ``Status:`` (Scheduled, Closed — held — or Cancelled),
then the location's lines. The row links the published files by label: Agenda, Agenda
Packet, Minutes (``FileOpen.aspx?Type=…&ID=…``).

A meeting's detail page (``Detail_Meeting.aspx?ID=N``) adds its agenda outline — the
items, with their legislation ids — and the location; it is asked only for meetings new
to the store or whose calendar row changed since the last healthy run (a digest of each
row is kept in the cursor, ``rows``). Agenda and minutes files are fetched by the
documents pipeline, conditionally, so an agenda amended in place is still seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit
from zoneinfo import ZoneInfo

from parsel import Selector
from pydantic import ValidationError

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider, describe_failure
from civicradar.crawlers.documents import DocumentFetching, changed_since_store
from civicradar.crawlers.truncation import html_cut_short
from civicradar.models.records import (
    AgendaItemRecord,
    BodyRecord,
    DocumentRecord,
    MeetingRecord,
)

_MEETING_ID = re.compile(r"Detail_Meeting\.aspx\?(?:[^\"']*&)?ID=(\d+)", re.IGNORECASE)
_ITEM_LINK = re.compile(r"Detail_(LegiFile|Motion)\.aspx\?(?:.*?&)?ID=(\d+)", re.IGNORECASE)
_STATUS = {"cancelled": "cancelled", "canceled": "cancelled", "postponed": "postponed"}


def calendar_url(url: str, first: dt.date, last: dt.date) -> str:
    """The list view of the calendar for [first, last], on the host (and page) given."""
    parts = urlsplit(url)
    path = parts.path if parts.path.lower().endswith("calendar.aspx") else "/Citizens/calendar.aspx"
    query = {
        k: v[-1]
        for k, v in parse_qs(parts.query).items()
        if k.lower() not in ("view", "from", "to")
    }
    query.update(View="List", From=_us_date(first), To=_us_date(last))
    return f"{parts.scheme}://{parts.netloc}{path}?{urlencode(query, safe='/')}"


def _us_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


# --- the calendar list ----------------------------------------------------------------


def tooltip_facts(tooltip: str) -> tuple[dict[str, str], str | None]:
    """({"board": …, "type": …, "status": …}, location) from a row's title tooltip."""
    facts: dict[str, str] = {}
    location: list[str] = []
    for line in tooltip.replace("\r\n", "\r").replace("\n", "\r").split("\r")[1:]:
        label, tab, value = line.partition("\t")
        if tab and label.strip():
            facts[label.strip().rstrip(":").lower()] = " ".join(value.split())
        elif line.strip() and facts:
            location.append(" ".join(line.split()))
    return facts, ", ".join(location) or None


def row_digest(row: Selector) -> str:
    """What a calendar row says, without its position on the page."""
    parts = [
        row.css("div.RowLink a::attr(href)").get() or "",
        row.css("div.RowLink a::attr(title)").get() or "",
        _clean(" ".join(row.css("div.RowLink a ::text").getall())),
        _clean(" ".join(row.css(".RowDetails ::text").getall())),
        *(f"{label}={href}" for label, href in _row_files(row)),
    ]
    return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:16]


def row_meeting(row: Selector, page_url: str, zone: ZoneInfo) -> MeetingRecord | None:
    link = row.css("div.RowLink a")
    href = link.attrib.get("href", "") if link else ""
    found = _MEETING_ID.search(href)
    if not found:
        return None
    tooltip = link.attrib.get("title", "")
    facts, location = tooltip_facts(tooltip)
    when = _clean(" ".join(link.css("::text").getall()))
    day, start = _when(when, zone) if text.find_date(when) else _when(tooltip, zone)
    if day is None:
        return None
    details = _clean(" ".join(row.css(".RowDetails ::text").getall()))
    body = facts.get("board") or text.body_from_title(details) or "Meetings"
    title = details or " - ".join(p for p in (body, facts.get("type")) if p)
    status, evidence = _status(facts.get("status"), title)
    documents = _documents(_row_files(row), page_url)
    return MeetingRecord(
        external_id=found.group(1),
        body_external_id=text.body_key(body),
        body_name=body,
        title=title,
        meeting_date=day,
        start=start,
        location=location,
        status=status,
        status_evidence=evidence,
        url=urljoin(page_url, href),
        agenda_url=next((d.url for d in documents if d.kind == "agenda"), None),
        minutes_url=next((d.url for d in documents if d.kind == "minutes"), None),
        items_fetched=False,
        documents=documents,
    )


def _row_files(row: Selector) -> list[tuple[str, str]]:
    files = []
    for anchor in row.css(".MeetingLinks a"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href == "#" or href.startswith("javascript:"):
            continue
        files.append((_clean(" ".join(anchor.css("::text").getall())), href))
    return files


def _documents(files: list[tuple[str, str]], page_url: str) -> list[DocumentRecord]:
    documents: dict[str, DocumentRecord] = {}
    for label, href in files:
        kind = text.link_kind(urljoin(page_url, href), label)
        if kind is not None and kind not in documents:
            documents[kind] = DocumentRecord(kind=kind, url=urljoin(page_url, href))
    return list(documents.values())


def _status(status: str | None, title: str) -> tuple[str, str | None]:
    said = _STATUS.get((status or "").strip().lower())
    if said:
        return said, f"status: {status}"
    return text.meeting_status(title, None)


# --- a meeting's detail page ----------------------------------------------------------


def detail_meeting(
    html: str, record: MeetingRecord, page_url: str, zone: ZoneInfo
) -> MeetingRecord | None:
    """The record completed from its detail page; None when the page is not one."""
    page = Selector(text=html)
    stamp = _clean(page.css("#ContentPlaceholder1_lblMeetingDate ::text").get())
    if not stamp:
        return None
    day, start = _when(stamp, zone)
    heading = page.css("td.MeetingHeading")
    address = _clean(" ".join(heading.css(".MeetingAddress ::text").getall()))
    room = _clean(" ".join(heading.xpath("./text()").getall()))
    location = ", ".join(p for p in (room, address) if p) or record.location
    status_text = _clean(page.css("#ContentPlaceholder1_lblMeetingStatus ::text").get())
    status, evidence = (
        _status(status_text, record.title or "")
        if status_text
        else (
            record.status,
            record.status_evidence,
        )
    )
    files = [
        (_clean(" ".join(a.css("::text").getall())), a.attrib["href"])
        for a in page.css("#ContentPlaceholder1_pnlDownloads a[href]")
        if "FileOpen" in a.attrib["href"] or "FileView" in a.attrib["href"]
    ]
    found = _documents(files, page_url)
    listed = {d.kind for d in found}
    documents = found + [d for d in record.documents if d.kind not in listed]
    return record.model_copy(
        update={
            "meeting_date": day or record.meeting_date,
            "start": start or record.start,
            "location": location,
            "status": status,
            "status_evidence": evidence,
            "items": outline_items(page),
            "items_fetched": True,
            "documents": documents,
            "agenda_url": next((d.url for d in documents if d.kind == "agenda"), None),
            "minutes_url": next((d.url for d in documents if d.kind == "minutes"), None),
        }
    )


def outline_items(page: Selector) -> list[AgendaItemRecord]:
    """The agenda outline (``table#MeetingDetail``): one item per numbered row, numbered
    by its place ("7.1"); attachment rows add their file names to the item above."""
    items: list[AgendaItemRecord] = []
    path: list[str] = []
    for row in page.css("table#MeetingDetail tr"):
        title_cell = row.css("td.Title")
        number = _clean(row.css("td.Num ::text").get()).rstrip(".")
        title = _clean(" ".join(title_cell.css("::text").getall()))
        if not title_cell or not title:
            continue
        href = title_cell.css("a::attr(href)").get() or ""
        depth = len(row.css("td:not(.Num):not(.Title)"))
        if "FileOpen.aspx" in href and items:
            last = items[-1]
            items[-1] = last.model_copy(
                update={"text": "\n".join(filter(None, (last.text, title)))}
            )
            continue
        path = [*path[:depth], number or str(len(items) + 1)]
        linked = _ITEM_LINK.search(href)
        item_id = f"{linked.group(1)[0]}{linked.group(2)}" if linked else "row:" + ".".join(path)
        items.append(
            AgendaItemRecord(
                external_id=item_id,
                sequence=len(items) + 1,
                number=".".join(path),
                title=title,
            )
        )
    return items


def _when(words: str, zone: ZoneInfo) -> tuple[dt.date | None, dt.datetime | None]:
    """(day, zoned start); iQM2 writes "12:00 AM" for a meeting without a time."""
    found = text.find_date(words)
    if found is None:
        return None, None
    clock = text.find_time(words, found[1])
    if clock is None or clock == dt.time(0, 0):
        return found[0], None
    return found[0], dt.datetime.combine(found[0], clock, tzinfo=zone)


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


# --- the spider -----------------------------------------------------------------------


class Iqm2AgendaSpider(DocumentFetching, SourceSpider):
    """The calendar list for the window, and the detail pages of new or changed meetings."""

    async def start(self) -> AsyncIterator[Any]:
        first, last = self.job.meeting_window
        url = calendar_url(self.source.url or "", first, last)
        yield self.request(url, self.read_calendar, dont_filter=True)

    def read_calendar(self, response: Any) -> Iterator[Any]:
        if (cut := html_cut_short(response.body)) is not None:
            self.outcome.fail(f"{cut}: {response.url}")
            return
        page = Selector(text=response.text)
        rows = page.css("div.MeetingRow")
        if not rows:
            if page.css("#ContentPlaceholder1_pnlMeetings, a[href*='calendar.aspx']"):
                self.outcome.suspect(f"the iQM2 calendar at {response.url} lists no meetings")
            else:
                self.outcome.fail(f"not an iQM2 calendar (no div.MeetingRow) at {response.url}")
            return
        first, last = self.job.meeting_window
        known_rows: dict[str, str] = self.job.cursor.get("rows") or {}
        digests: dict[str, str] = {}
        self.outcome.cursor["rows"] = digests
        bodies: set[str] = set()
        for row in rows:
            try:
                record = row_meeting(row, response.url, self.job.zone)
            except (ValidationError, ValueError) as exc:
                self.outcome.suspect(f"calendar row unreadable: {exc}")
                continue
            if record is None or not first <= record.meeting_date <= last:
                continue
            if record.body_external_id and record.body_external_id not in bodies:
                bodies.add(record.body_external_id)
                yield BodyRecord(external_id=record.body_external_id, name=record.body_name)
            digest = row_digest(row)
            if (
                self.job.state.known_meeting(record.external_id)
                and known_rows.get(record.external_id) == digest
            ):
                digests[record.external_id] = digest
                yield from self.with_documents(record, changed=False)
                continue
            yield self.request(
                record.url or "",
                self.read_detail,
                errback=self.detail_failed,
                cb_kwargs={"record": record, "digest": digest, "digests": digests},
                dont_filter=True,
            )

    def read_detail(
        self, response: Any, record: MeetingRecord, digest: str, digests: dict[str, str]
    ) -> Iterator[Any]:
        try:
            detailed = detail_meeting(response.text, record, response.url, self.job.zone)
        except (ValidationError, ValueError) as exc:
            detailed, problem = None, str(exc)
        else:
            problem = "no meeting date (span#ContentPlaceholder1_lblMeetingDate)"
        if detailed is None:
            self.outcome.suspect(f"meeting page not understood ({problem}): {response.url}")
            yield from self.with_documents(record, changed=changed_since_store(self.job, record))
            return
        digests[record.external_id] = digest
        yield from self.with_documents(detailed, changed=True)

    def detail_failed(self, failure: Any) -> Iterator[Any]:
        """The calendar's facts still hold; the page is asked again next run."""
        record: MeetingRecord = failure.request.cb_kwargs["record"]
        self.outcome.suspect(f"meeting page not read: {describe_failure(failure)}")
        yield from self.with_documents(record, changed=changed_since_store(self.job, record))
