"""``platform: legistar`` with ``url: https://CITY.legistar.com/Calendar.aspx`` — the
public Legistar site (InSite), for clients whose Web API is closed or needs a token.

The calendar is a Telerik grid (``table#…gridCalendar_ctl00``): one ``tr.rgRow`` /
``tr.rgAltRow`` per meeting, columns named by the header row ("Name", "Meeting Date",
"Meeting Time", "Meeting Location", "Agenda", "Minutes", …; sites add their own). The
body's link (``hypBody``, ``DepartmentDetail.aspx?ID=``), the meeting's
(``hypMeetingDetail``, ``MeetingDetail.aspx?ID=``; absent when not public) and its
iCalendar link (``View.ashx?M=IC&ID=``) carry the meeting's id; agenda and minutes are
``View.ashx?M=A`` / ``M=M`` links (``hypAgenda``, ``hypMinutes``; "Not available" has no
``href``). The location cell ends with the meeting's note in ``<em>`` ("CANCELLED",
"Joint Committee Meeting"). Dates are M/D/YYYY and times "6:30 PM", local.

What is read: the grid filtered to "This Year" (the usual default; otherwise selected),
page after page while the rows can still reach the window (the grid is sorted by date),
then "Last Year" / "Next Year" when the window reaches into them. Paging and the year
filter are form postbacks: the page's hidden fields (``__VIEWSTATE``,
``__EVENTVALIDATION``) are posted back with ``__EVENTTARGET`` set to the pager link's
target, or to ``ctl00$ContentPlaceHolder1$lstYears`` with the combo box's client state
``{"value": "Next Year"}``. The session cookie of the first answer is sent back. A saved
page (``file://``) is read alone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from parsel import Selector
from scrapy.http import FormRequest

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

_GRID = "//table[contains(@id, 'gridCalendar_ctl00')]"
_ROWS = "./tbody/tr[contains(@class, 'rgRow') or contains(@class, 'rgAltRow')]"
_HEADERS = "./thead/tr/th[contains(@class, 'rgHeader')]"
_NEXT_PAGE = ".//div[contains(@class, 'rgNumPart')]//a[contains(@class, 'rgCurrentPage')]"
_POSTBACK = re.compile(r"__doPostBack\('([^']+)'")
YEARS = "ctl00$ContentPlaceHolder1$lstYears"
YEARS_STATE = "ctl00_ContentPlaceHolder1_lstYears_ClientState"
YEARS_SHOWN = "#ctl00_ContentPlaceHolder1_lstYears_Input::attr(value)"


def _link_id(url: str | None) -> str | None:
    if not url:
        return None
    values = parse_qs(urlsplit(url).query)
    found = values.get("ID") or values.get("id")
    return found[0] if found else None


def columns(grid: Selector) -> dict[str, int]:
    """Header text (lower case) -> column index."""
    names = [clean(h.xpath("string(.)").get()).lower() for h in grid.xpath(_HEADERS)]
    return {name: index for index, name in enumerate(names) if name}


def _cell(cells: list[Selector], where: dict[str, int], *names: str) -> Selector | None:
    for name in names:
        if name in where and where[name] < len(cells):
            return cells[where[name]]
    return None


def row_fields(row: Selector, where: dict[str, int], base: str, zone: Any) -> dict[str, Any] | None:
    """One grid row as a meeting record's fields, or None without an id or a date."""
    cells = row.xpath("./td")
    links = {a.attrib.get("id", "").rsplit("_", 1)[-1]: a for a in row.xpath(".//a[@id]")}

    def href(name: str) -> str | None:
        link = links.get(name)
        return absolute(base, link.attrib.get("href")) if link is not None else None

    def raw(name: str) -> str | None:  # ids are read from the link as written
        link = links.get(name)
        return link.attrib.get("href") if link is not None else None

    detail = href("hypMeetingDetail")
    meeting_id = _link_id(raw("hypMeetingDetail")) or _link_id(raw("hypiCal"))
    date_cell = _cell(cells, where, "meeting date", "date")
    found = text.find_date(clean(date_cell.xpath("string(.)").get()) if date_cell else "")
    if meeting_id is None or found is None:
        return None
    day = found[0]
    name_cell = _cell(cells, where, "name") or (cells[0] if cells else None)
    body = clean(name_cell.xpath("string(.)").get()) if name_cell is not None else ""
    body = body or "Unnamed body"
    time_cell = _cell(cells, where, "meeting time", "time")
    clock = clean(time_cell.xpath("string(.)").get()) if time_cell is not None else ""
    place = _cell(cells, where, "meeting location", "location")
    note = clean(" ".join(place.xpath(".//em//text()").getall())) if place is not None else ""
    location = ""
    if place is not None:
        location = clean(" ".join(place.xpath(".//text()[not(ancestor::em)]").getall()))
    documents = [
        DocumentRecord(kind=kind, url=url)
        for kind, url in (("agenda", href("hypAgenda")), ("minutes", href("hypMinutes")))
        if url
    ]
    for label, index in where.items():
        if "packet" in label and index < len(cells):
            url = absolute(base, cells[index].xpath(".//a/@href").get())
            if url and all(d.url != url for d in documents):
                documents.append(DocumentRecord(kind="packet", url=url))
    status, evidence = text.meeting_status(note, None, title_label="note")
    if status == "scheduled":  # some sites write "Cancelled" where the time goes
        status, evidence = text.meeting_status(clock, None, title_label="time")
    return {
        "external_id": meeting_id,
        "body_external_id": body_id(body, _link_id(raw("hypBody"))),
        "body_name": body,
        "title": " - ".join(part for part in (body, note) if part),
        "meeting_date": day,
        "start": local_start(day, text.find_time(clock), zone),
        "location": location or None,
        "status": status,
        "status_evidence": evidence,
        "url": detail or base,
        "agenda_url": href("hypAgenda"),
        "minutes_url": href("hypMinutes"),
        "items": entry_item(" - ".join(part for part in (body, note) if part)),
        "documents": documents,
    }


def form_fields(form: Selector) -> dict[str, str]:
    """The values a browser would submit: inputs (not buttons, only checked boxes), the
    chosen option of each select, text areas."""
    fields: dict[str, str] = {}
    for field in form.xpath(".//input[@name]"):
        kind = (field.attrib.get("type") or "text").lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in field.attrib:
            continue
        fields[field.attrib["name"]] = field.attrib.get("value", "")
    for select in form.xpath(".//select[@name]"):
        chosen = select.xpath(".//option[@selected]/@value").get()
        fields[select.attrib["name"]] = chosen or select.xpath(".//option/@value").get() or ""
    for area in form.xpath(".//textarea[@name]"):
        fields[area.attrib["name"]] = area.xpath("string(.)").get() or ""
    return fields


def current_page(page: Selector) -> int:
    """The grid's page number as its pager shows it (1 without a pager)."""
    shown = clean(page.xpath(_NEXT_PAGE).xpath("string(.)").get())
    return int(shown) if shown.isdigit() else 1


class LegistarInSiteSpider(MeetingListing, SourceSpider):
    """The calendar grid of the years the window reaches, page after page while in the
    window; its meetings with their agendas and minutes."""

    async def start(self) -> AsyncIterator[Any]:
        self.found: dict[str, MeetingRecord] = {}
        self.cookie = ""
        self.pages_read = 0
        yield self.request(self.source.url or "", self.read_first, dont_filter=True)

    # -- requests ------------------------------------------------------------------------

    def postback(self, response: Any, target: str, extra: dict[str, str], **kwargs: Any) -> Any:
        """The page's form posted back as its script would: every field, plus the event."""
        page = Selector(text=response.text)
        form = page.css("form#aspnetForm") or page.css("form")
        action = response.urljoin(form.attrib.get("action") or response.url) if form else ""
        fields = form_fields(form[0]) if form else {}
        return FormRequest(
            action or response.url,
            formdata={**fields, "__EVENTTARGET": target, "__EVENTARGUMENT": "", **extra},
            headers={"Cookie": self.cookie} if self.cookie else {},
            callback=self.read_grid,
            errback=self.request_failed,
            dont_filter=True,
            cb_kwargs=kwargs,
        )

    def year(self, response: Any, value: str, queue: list[str]) -> Any:
        state = json.dumps({"value": value, "text": value, "enabled": True})
        extra = {YEARS: value, YEARS_STATE: state}
        return self.postback(response, YEARS, extra, selection=value, queue=queue)

    # -- answers -------------------------------------------------------------------------

    def read_first(self, response: Any) -> Iterator[Any]:
        cookies = response.headers.getlist("Set-Cookie")
        pairs = [c.decode("latin-1").split(";")[0].strip() for c in cookies]
        self.cookie = "; ".join(c for c in pairs if "=" in c)
        if not Selector(text=response.text).xpath(_GRID):
            self.layout_changed(response.url, "calendar grid (gridCalendar)", response.text)
            return
        queue = self.years_needed()
        shown = clean(Selector(text=response.text).css(YEARS_SHOWN).get())
        if shown.lower() == "this year" or response.url.startswith("file:"):
            yield from self.read_grid(response, selection="This Year", queue=queue)
        elif not Selector(text=response.text).css("form"):
            self.layout_changed(response.url, "calendar form (aspnetForm)")
        else:
            yield self.year(response, "This Year", queue)

    def years_needed(self) -> list[str]:
        first, last = self.job.meeting_window
        year = self.job.today.year
        return [
            *(["Last Year"] if first.year < year else []),
            *(["Next Year"] if last.year > year else []),
        ]

    def read_grid(
        self, response: Any, selection: str, queue: list[str], number: int = 1
    ) -> Iterator[Any]:
        self.pages_read += 1
        page = Selector(text=response.text)
        grid = page.xpath(_GRID)
        if not grid:
            self.layout_changed(response.url, f"calendar grid ({selection})", response.text)
            return
        rows = grid[0].xpath(_ROWS)
        if not rows and not grid[0].css("tr.rgNoRecords"):
            self.layout_changed(response.url, f"calendar rows or 'no records' ({selection})")
            return
        where = columns(grid[0])
        if rows and "meeting date" not in where and "date" not in where:
            self.layout_changed(response.url, "'Meeting Date' column in the calendar grid")
            return
        saved = response.url.startswith("file:")  # a saved page: nothing to post back to
        answered = (clean(page.css(YEARS_SHOWN).get()), current_page(page))
        if not saved and answered != (selection, number):
            self.outcome.suspect(
                f"asked the calendar for {selection} page {number}, it answered "
                f"{answered[0] or '?'} page {answered[1]}: the rest of the window is not read"
            )
            yield from self.emit(self.found.values())
            return
        days = []
        for row in rows:
            fields = row_fields(row, where, self.source.url or response.url, self.job.zone)
            if fields is None:
                continue
            days.append(fields["meeting_date"])
            record = self.meeting(f"calendar row {fields['external_id']}", **fields)
            if record is not None:
                self.found.setdefault(record.external_id, record)
        if rows and not days:
            self.layout_changed(response.url, "calendar row with a meeting id and date")
            return
        following = None if saved else self.next_page_target(page, days)
        if following or (queue and not saved):
            if self.pages_read >= self.source.max_pages:
                self.outcome.suspect(
                    f"the window needs more than max_pages ({self.source.max_pages}) calendar "
                    "pages; the rest was not read"
                )
            elif following:
                yield self.postback(
                    response, following, {}, selection=selection, queue=queue, number=number + 1
                )
                return
            else:
                yield self.year(response, queue[0], queue[1:])
                return
        yield from self.emit(self.found.values())

    def next_page_target(self, page: Selector, days: list[dt.date]) -> str | None:
        """The pager's next page, when rows beyond this page can still be in the window."""
        current = page.xpath(_NEXT_PAGE)
        following = current.xpath("following-sibling::a[1]/@href").get() if current else None
        found = _POSTBACK.search(following or "")
        if not found or not days:
            return None
        first, last = self.job.meeting_window
        descending = days[0] >= days[-1]
        beyond = min(days) < first if descending else max(days) > last
        return None if beyond else found.group(1)
