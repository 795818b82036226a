"""``platform: legistar`` — the Legistar Web API: bodies, events and their items; officials.

Facts of the API this module honours: replies hold at most 1,000 rows (page with
``$top``/``$skip`` and dedupe on the id); dates filter as ``EventDate ge datetime'...'``;
a bad filter is an HTTP 400 with a JSON ``Message``; ``EventDate`` is a local midnight
and ``EventTime`` a separate, sometimes missing, 12- or 24-hour string; a changed time
or a cancellation does not move ``EventLastModifiedUtc``. So every run re-reads the
cheap event list of the whole window, and fetches items only for new or modified events.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import scrapy
from dateutil import parser as dateparser
from pydantic import ValidationError

from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.documents import DocumentFetching
from civicradar.models.records import (
    AgendaItemRecord,
    BodyRecord,
    DocumentRecord,
    MeetingRecord,
    PersonRecord,
)

DEFAULT_BASE_URL = "https://webapi.legistar.com/v1"
PAGE_SIZE = 1000  # the API never returns more rows than this in one reply

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s*m?\.?)?\s*$", re.IGNORECASE)
_CANCELLED = re.compile(r"\bcancel(?:l?ed|lation|s)?\b", re.IGNORECASE)
_POSTPONED = re.compile(r"\bpostpone(?:d|ment)?\b", re.IGNORECASE)

Rows = list[dict[str, Any]]


# --- reading fields ---------------------------------------------------------------------


def event_start(event_date: str | None, event_time: str | None, zone: ZoneInfo) -> tuple:
    """(local date, zoned start or None): ``EventDate`` is a local midnight, ``EventTime``
    a separate string like "6:30 PM" or "18:30" that may be missing or unreadable."""
    if not event_date:
        return None, None
    day = dateparser.isoparse(event_date).date()
    found = _TIME.match(event_time or "")
    if not found:
        return day, None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    half = (found.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return day, None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return day, None
    return day, dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def api_instant(value: str | None) -> dt.datetime | None:
    """A ``...Utc`` field (ISO text without a zone) as an aware UTC datetime."""
    if not value:
        return None
    try:
        parsed = dateparser.isoparse(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def cancellation(event: dict[str, Any]) -> tuple[str, str | None]:
    """(status, evidence): cancelled or postponed when the agenda status, the comment or
    the title says so, with the words that said it; else scheduled."""
    places = (
        ("agenda status", event.get("EventAgendaStatusName")),
        ("comment", event.get("EventComment")),
        ("title", event.get("EventBodyName")),
    )
    for status, pattern in (("cancelled", _CANCELLED), ("postponed", _POSTPONED)):
        for label, text in places:
            if text and pattern.search(str(text)):
                return status, f"{label}: {str(text).strip()}"
    return "scheduled", None


def agenda_item(row: dict[str, Any]) -> AgendaItemRecord | None:
    """An event item as an agenda item; headings without any title are skipped."""
    title = row.get("EventItemTitle") or row.get("EventItemMatterName")
    if not title or not str(title).strip() or row.get("EventItemId") is None:
        return None
    notes = [row.get("EventItemMatterName"), row.get("EventItemAgendaNote")]
    text = "\n".join(str(n).strip() for n in notes if n and str(n).strip() != str(title).strip())
    return AgendaItemRecord(
        external_id=str(row["EventItemId"]),
        sequence=int(row.get("EventItemAgendaSequence") or 0),
        number=_text(row.get("EventItemAgendaNumber")),
        title=str(title),
        text=text or None,
        matter_file=_text(row.get("EventItemMatterFile")),
        matter_type=_text(row.get("EventItemMatterType")),
        action=_text(row.get("EventItemActionName")),
        mover=_text(row.get("EventItemMover")),
        seconder=_text(row.get("EventItemSeconder")),
    )


def meeting(event: dict[str, Any], zone: ZoneInfo, items: Rows | None) -> MeetingRecord | None:
    """An event as a meeting; ``items`` None means they were not refetched this run."""
    day, start = event_start(event.get("EventDate"), event.get("EventTime"), zone)
    if day is None or event.get("EventId") is None:
        return None
    status, evidence = cancellation(event)
    agenda_url = _text(event.get("EventAgendaFile"))
    parsed_items = [i for i in map(agenda_item, items or []) if i is not None]
    return MeetingRecord(
        external_id=str(event["EventId"]),
        body_external_id=_text(event.get("EventBodyId")),
        body_name=_text(event.get("EventBodyName")) or "Unnamed body",
        title=_text(event.get("EventBodyName")),
        meeting_date=day,
        start=start,
        location=_text(event.get("EventLocation")),
        status=status,
        status_evidence=evidence,
        url=_text(event.get("EventInSiteURL")),
        agenda_url=agenda_url,
        minutes_url=_text(event.get("EventMinutesFile")),
        agenda_status=_text(event.get("EventAgendaStatusName")),
        source_modified=api_instant(event.get("EventLastModifiedUtc")),
        items_fetched=items is not None,
        items=sorted(parsed_items, key=lambda i: (i.sequence, i.external_id)),
        documents=[DocumentRecord(kind="agenda", url=agenda_url)] if agenda_url else [],
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# --- talking to the API -----------------------------------------------------------------


class LegistarSpider(SourceSpider):
    """What both Legistar spiders share: URLs with the token, paged lists, error replies."""

    def api_url(self, path: str, params: dict[str, Any] | None = None) -> str:
        base = (self.source.base_url or DEFAULT_BASE_URL).rstrip("/")
        query = dict(params or {})
        if self.source.token:
            query["token"] = self.source.token
        url = f"{base}/{quote(self.source.client or '')}/{path}"
        return f"{url}?{urlencode(query, quote_via=quote, safe=chr(39))}" if query else url

    def paged(
        self,
        path: str,
        id_field: str,
        done: Callable[[Rows], Iterator[Any]],
        params: dict[str, Any] | None = None,
    ) -> scrapy.Request:
        """Request a list page by page (``$top``/``$skip``), deduped on ``id_field``;
        ``done`` gets all rows once a page comes back short."""
        rows: dict[Any, dict[str, Any]] = {}

        def page(skip: int) -> scrapy.Request:
            query = {**(params or {}), "$top": PAGE_SIZE, "$skip": skip}
            return self.request(
                self.api_url(path, query),
                self._page,
                cb_kwargs={"read": lambda reply, s=skip: on_page(reply, s)},
                meta={"handle_httpstatus_all": True},
                dont_filter=True,
            )

        def on_page(reply: Rows, skip: int) -> Iterator[Any]:
            for row in reply:
                if isinstance(row, dict):
                    rows.setdefault(row.get(id_field, f"#{len(rows)}"), row)
            if len(reply) >= PAGE_SIZE:
                yield page(skip + len(reply))
            else:
                yield from done(list(rows.values()))

        return page(0)

    def _page(self, response: Any, read: Callable[[Rows], Iterator[Any]]) -> Iterator[Any]:
        reply = self.read_list(response)
        if reply is not None:
            yield from read(reply)

    def read_list(self, response: Any) -> Rows | None:
        """The JSON list in a reply, or None after recording why the reply is unusable."""
        reply = self.json_reply(response, "Legistar API", _message)
        if reply is None:
            return None
        where = response.url.split("?")[0]
        if not isinstance(reply, list):
            self.outcome.fail(f"expected a JSON list from {where}, got {type(reply).__name__}")
            return None
        return reply


def _message(response: Any) -> str:
    """The API's explanation of an error reply (its ``Message``), when it gave one."""
    try:
        message = json.loads(response.body).get("Message")
    except (ValueError, AttributeError):
        message = None
    return f": {message}" if message else ""


class LegistarAgendaSpider(DocumentFetching, LegistarSpider):
    """Bodies, the events of the window around today, the items of new or changed events,
    and their agenda and minutes files (``crawlers/documents.py``)."""

    async def start(self) -> AsyncIterator[Any]:
        first, last = self.job.meeting_window
        after_last = last + dt.timedelta(days=1)  # EventDate is a local midnight
        event_filter = (
            f"EventDate ge datetime'{first.isoformat()}' and "
            f"EventDate lt datetime'{after_last.isoformat()}'"
        )
        yield self.paged("bodies", "BodyId", self.read_bodies)
        yield self.paged(
            "events",
            "EventId",
            self.read_events,
            {"$filter": event_filter, "$orderby": "EventId"},
        )

    def read_bodies(self, rows: Rows) -> Iterator[Any]:
        for row in rows:
            if row.get("BodyId") is None or not _text(row.get("BodyName")):
                continue
            yield BodyRecord(
                external_id=str(row["BodyId"]),
                name=str(row["BodyName"]),
                kind=_text(row.get("BodyTypeName")),
            )

    def read_events(self, rows: Rows) -> Iterator[Any]:
        for event in rows:
            if self.needs_items(event):
                yield self.paged(
                    f"events/{event['EventId']}/eventitems",
                    "EventItemId",
                    lambda items, e=event: self.emit(e, items),
                    {"AgendaNote": 1},
                )
            else:
                yield from self.emit(event, None)

    def needs_items(self, event: dict[str, Any]) -> bool:
        """Items are fetched for events the store has not seen or that changed since."""
        known = self.job.state.meetings_modified
        if known is None or event.get("EventId") is None:
            return True
        key = str(event["EventId"])
        if key not in known:
            return True
        modified = api_instant(event.get("EventLastModifiedUtc"))
        stored = known[key]
        if modified is None:
            return self.job.last_healthy_at is None
        return stored is None or modified > stored

    def emit(self, event: dict[str, Any], items: Rows | None) -> Iterator[Any]:
        try:
            record = meeting(event, self.job.zone, items)
        except (ValidationError, ValueError) as exc:
            self.outcome.suspect(f"event {event.get('EventId')} unreadable: {exc}")
            return
        if record is not None:
            yield from self.with_documents(record, changed=items is not None)


class LegistarPeopleSpider(LegistarSpider):
    """Officials: persons joined with their current office records (one record per seat)."""

    async def start(self) -> AsyncIterator[Any]:
        yield self.paged("persons", "PersonId", self.read_persons)

    def read_persons(self, persons: Rows) -> Iterator[Any]:
        by_id = {p.get("PersonId"): p for p in persons}
        yield self.paged(
            "officerecords",
            "OfficeRecordId",
            lambda records: self.read_office_records(by_id, records),
        )

    def read_office_records(self, by_id: dict[Any, dict[str, Any]], rows: Rows) -> Iterator[Any]:
        today = self.job.today
        for row in rows:
            ends = row.get("OfficeRecordEndDate")
            if ends and dateparser.isoparse(ends).date() < today:
                continue
            starts = row.get("OfficeRecordStartDate")
            if starts and dateparser.isoparse(starts).date() > today:
                continue
            person = by_id.get(row.get("OfficeRecordPersonId"), {})
            name = _text(person.get("PersonFullName")) or _text(row.get("OfficeRecordFullName"))
            if not name:
                continue
            yield PersonRecord(
                name=name,
                title=_text(row.get("OfficeRecordTitle")),
                department=_text(row.get("OfficeRecordBodyName")),
                email=_text(person.get("PersonEmail")) or _text(row.get("OfficeRecordEmail")),
                phone=_text(person.get("PersonPhone")),
                external_id=_text(row.get("OfficeRecordPersonId")),
                url=_text(person.get("PersonWWW")),
                role="official",
            )
