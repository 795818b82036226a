"""``platform: novusagenda`` for ``type: agendas`` — a NovusAGENDA (Granicus) public site,
``https://CITY.novusagenda.com/agendapublic/``.

The public meetings search answers a date range in its address
(``meetingsgeneral.aspx?Date=cus&From=MM/DD/YYYY&To=MM/DD/YYYY``, any ``MeetingType`` of
the configured address kept); one run asks it for the source's window. Two layouts are read:

- the Telerik grid of ``meetingsgeneral.aspx`` (``table.rgMasterTable`` rows), whose
  "Items" tab lists agenda items (``Coversheet.aspx?ItemID=…&MeetingID=…``) in a second
  grid, paged 15 at a time;
- the responsive table of ``meetingsresponsive.aspx``, where each meeting and item row is
  followed by an expanded copy (``tr.collapse``) for small screens, which is skipped.

A meeting row gives the day (two-digit years: ``09/27/22``), the meeting type (the body),
the location, the agenda PDF (``DisplayAgendaPDF.ashx?MeetingID=N``: N is the meeting's
identity), the HTML agenda (``MeetingView.aspx?MeetingID=N…``, the meeting's page) and the
legal minutes (``DisplayAgendaPDF.ashx?MinutesMeetingID=M``). Rows carry no time. Items
listed for a meeting become its items only when the list shows all of them: the item list
is unpaged, or the meeting is dated after the last row of the (date-ordered) first page;
otherwise the agenda PDF's items stand alone. More pages of the meeting grid are asked
with the grid's own postback, up to ``max_pages``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from form2request import form2request
from parsel import Selector
from pydantic import ValidationError

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.documents import DocumentFetching, changed_since_store
from civicradar.crawlers.truncation import html_cut_short
from civicradar.models.records import AgendaItemRecord, BodyRecord, DocumentRecord, MeetingRecord

_DAY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\s*$")
_MEETING_ID = re.compile(r"[?&]MeetingID=(\d+)", re.IGNORECASE)
_MINUTES_ID = re.compile(r"DisplayAgendaPDF\.ashx\?MinutesMeetingID=(\d+)", re.IGNORECASE)
_AGENDA_VIEW = re.compile(r"MeetingView\.aspx\?[^'\"]*?MeetingID=\d+[^'\"]*", re.IGNORECASE)
_ITEM = re.compile(r"Coversheet\.aspx\?ItemID=(\d+)&(?:amp;)?MeetingID=(\d+)", re.IGNORECASE)
_PAGES = re.compile(r"items\s+in\s+(\d+)\s+pages?", re.IGNORECASE)
_POSTBACK = re.compile(r"__doPostBack\('([^']+)','([^']*)'\)")
_SEARCH_PAGES = ("meetingsgeneral.aspx", "meetingsresponsive.aspx")


def search_url(url: str, first: dt.date, last: dt.date) -> str:
    """The meetings search for [first, last] on the configured site and page."""
    parts = urlsplit(url)
    path = parts.path
    if not path.lower().endswith(_SEARCH_PAGES):
        path = path.rstrip("/") + "/meetingsgeneral.aspx"
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in ("date", "from", "to")]
    query += [
        ("Date", "cus"),
        ("From", first.strftime("%m/%d/%Y")),
        ("To", last.strftime("%m/%d/%Y")),
    ]
    return f"{parts.scheme}://{parts.netloc}{path}?{urlencode(query, safe='/')}"


@dataclass
class ListedItem:
    meeting_id: str
    item: AgendaItemRecord
    day: dt.date | None


def row_day(value: str) -> dt.date | None:
    found = _DAY.match(value)
    if not found:
        return None
    month, day, year = (int(p) for p in found.groups())
    try:
        return dt.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def _cells(row: Selector) -> list[str]:
    """Each direct cell's text; where a cell repeats its text for small screens
    (a label and a div), the text once."""
    found = []
    for cell in row.xpath("./td"):
        texts = (
            " ".join(" ".join(cell.xpath(f".//{path}//text()").getall()).split())
            for path in (
                "*[contains(@class, 'mobile-table-td-label')]",
                "*[contains(@class, 'mobile-table-td-div')]",
                "self::td",
            )
        )
        found.append(next((t for t in texts if t), ""))
    return found


def _row_markup(row: Selector) -> str:
    return " ".join(row.css("a::attr(href), a::attr(onclick)").getall())


def meeting_rows(page: Selector) -> list[Selector]:
    """Rows that are meetings: a date cell and a link naming a MeetingID, not items."""
    rows = []
    for row in page.xpath("//tr[not(contains(concat(' ', @class, ' '), ' collapse '))]"):
        markup = _row_markup(row)
        if _ITEM.search(markup) or not (_MEETING_ID.search(markup) or _MINUTES_ID.search(markup)):
            continue
        if any(row_day(cell) for cell in _cells(row)):
            rows.append(row)
    return rows


def row_meeting(row: Selector, page_url: str) -> MeetingRecord | None:
    cells = _cells(row)
    at = next((i for i, cell in enumerate(cells) if row_day(cell)), None)
    markup = _row_markup(row)
    agenda = re.search(r"DisplayAgendaPDF\.ashx\?MeetingID=(\d+)", markup, re.IGNORECASE)
    found = agenda or _MEETING_ID.search(markup)
    if at is None or found is None:
        return None  # minutes only, or no identity: nothing stable to call it by
    day = row_day(cells[at])
    assert day is not None
    rest = [cell for cell in cells[at + 1 :] if cell]
    body = rest[0] if rest else "Meetings"
    location = rest[1] if len(rest) > 1 else None
    view = _AGENDA_VIEW.search(markup)
    minutes = _MINUTES_ID.search(markup)
    agenda_url = urljoin(page_url, agenda.group(0)) if agenda else None
    documents = [DocumentRecord(kind="agenda", url=agenda_url)] if agenda_url else []
    status, evidence = text.meeting_status(body, None)
    if status == "scheduled" and location:  # clerks also write "CANCELLED" in the place
        status, evidence = text.meeting_status(location, None, title_label="location")
    return MeetingRecord(
        external_id=found.group(1),
        body_external_id=text.body_key(body),
        body_name=body,
        title=body,
        meeting_date=day,
        location=location,
        status=status,
        status_evidence=evidence,
        url=urljoin(page_url, view.group(0).replace("&amp;", "&")) if view else agenda_url,
        agenda_url=agenda_url,
        minutes_url=urljoin(page_url, minutes.group(0)) if minutes else None,
        items_fetched=False,
        documents=documents,
    )


def listed_items(page: Selector) -> list[ListedItem]:
    """The item rows (date, title, category, …, ``Coversheet.aspx?ItemID=&MeetingID=``)."""
    found = []
    for row in page.xpath("//tr[not(contains(concat(' ', @class, ' '), ' collapse '))]"):
        link = _ITEM.search(_row_markup(row))
        if link is None:
            continue
        cells = _cells(row)
        at = next((i for i, cell in enumerate(cells) if row_day(cell)), 0)
        title = cells[at + 1] if len(cells) > at + 1 else ""
        if not title:
            continue
        item = AgendaItemRecord(external_id=link.group(1), sequence=len(found) + 1, title=title)
        found.append(ListedItem(link.group(2), item, row_day(cells[at]) if cells else None))
    return found


def complete_item_lists(page: Selector, items: list[ListedItem]) -> set[str] | None:
    """The meetings whose items are all on this page: all of them (None) when the list is
    not paged; when it is, those dated after its last row, provided rows run newest first."""
    info = " ".join(page.css("[id$=radGridItems] .rgInfoPart ::text").getall())
    telerik_pages = _PAGES.search(" ".join(info.split()))
    responsive_pages = len(page.css("[id$=dlItemPaging] a"))
    if not (telerik_pages and int(telerik_pages.group(1)) > 1) and responsive_pages <= 1:
        return None
    days = [i.day for i in items]
    dated = [d for d in days if d is not None]
    if not dated or len(dated) < len(days) or any(a < b for a, b in itertools.pairwise(dated)):
        return set()
    return {i.meeting_id for i in items if i.day is not None and i.day > dated[-1]}


def next_page(page: Selector) -> tuple[str, str] | None:
    """The postback (target, argument) of the meeting grid's "Next Page" link."""
    href = page.css("[id$=radGridMeetings] a[title='Next Page']::attr(href)").get() or ""
    found = _POSTBACK.search(href.replace("&#39;", "'"))
    return (found.group(1), found.group(2)) if found else None


def is_search_page(page: Selector) -> bool:
    return bool(
        page.css("[id$=radGridMeetings], [id*=rptMeetings], select[name$=ddlDateRange]")
        or "novusagenda" in (page.css("title::text").get() or "").lower()
    )


class NovusAgendaSpider(DocumentFetching, SourceSpider):
    """The meetings search for the window (and its further grid pages), with agendas."""

    async def start(self) -> AsyncIterator[Any]:
        first, last = self.job.meeting_window
        yield self.request(
            search_url(self.source.url or "", first, last), self.read_page, dont_filter=True
        )

    def read_page(
        self, response: Any, page_number: int = 1, seen: set[str] | None = None
    ) -> Iterator[Any]:
        seen = set() if seen is None else seen
        if (cut := html_cut_short(response.body)) is not None:
            self.outcome.fail(f"{cut}: {response.url}")
            return
        page = Selector(text=response.text)
        rows = meeting_rows(page)
        if not rows:
            if not is_search_page(page):
                self.outcome.fail(f"not a NovusAGENDA meetings page at {response.url}")
            elif page_number == 1:
                self.outcome.suspect(f"the NovusAGENDA search at {response.url} lists no meetings")
            return
        items = listed_items(page)
        complete = complete_item_lists(page, items)
        by_meeting: dict[str, list[AgendaItemRecord]] = {}
        for listed in items:
            by_meeting.setdefault(listed.meeting_id, []).append(listed.item)
        first, last = self.job.meeting_window
        bodies: set[str] = set()
        for row in rows:
            try:
                record = row_meeting(row, response.url)
            except (ValidationError, ValueError) as exc:
                self.outcome.suspect(f"meeting row unreadable: {exc}")
                continue
            if record is None or record.external_id in seen:
                continue
            seen.add(record.external_id)
            if not first <= record.meeting_date <= last:
                continue
            if complete is None or record.external_id in complete:
                listed_for = by_meeting.get(record.external_id, [])
                record.items = [
                    i.model_copy(update={"sequence": n}) for n, i in enumerate(listed_for, 1)
                ]
                record.items_fetched = True
            if record.body_external_id and record.body_external_id not in bodies:
                bodies.add(record.body_external_id)
                yield BodyRecord(external_id=record.body_external_id, name=record.body_name)
            yield from self.with_documents(record, changed=changed_since_store(self.job, record))
        yield from self._more(response, page, page_number, seen)

    def _more(
        self, response: Any, page: Selector, page_number: int, seen: set[str]
    ) -> Iterator[Any]:
        postback = next_page(page)
        if postback is None:
            return
        if page_number >= self.source.max_pages:
            self.outcome.suspect(f"more than max_pages ({self.source.max_pages}) pages of meetings")
            return
        target, argument = postback
        form = Selector(text=response.text, base_url=response.url).xpath("//form[1]")
        request = form2request(
            form, {"__EVENTTARGET": target, "__EVENTARGUMENT": argument}, click=False
        )
        yield request.to_scrapy(
            callback=self.read_page,
            errback=self.request_failed,
            cb_kwargs={"page_number": page_number + 1, "seen": seen},
            dont_filter=True,
        )
