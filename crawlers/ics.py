"""``platform: ics`` for ``type: agendas`` — any iCalendar (``.ics``) address of meetings.

Read with ``icalendar`` and expanded with ``recurring-ical-events``: every ``VEVENT``
occurrence in the source's window is one meeting. What the format says and how it is read:

- times carry a ``TZID`` (an IANA name, a Windows name, or a ``VTIMEZONE`` of the file),
  are UTC (``…Z``), or are floating: floating times are in the calendar's
  ``X-WR-TIMEZONE`` when it has one, else in the jurisdiction's zone; an all-day event
  (``VALUE=DATE``) has a day and no time;
- ``RRULE``/``RDATE`` series are expanded within the window, ``EXDATE`` dropped, and an
  overridden occurrence (``RECURRENCE-ID``) keeps the identity of the one it replaces
  (``UID@original start``), so a moved occurrence is a rescheduled meeting;
- ``STATUS:CANCELLED`` (on the event or one occurrence) is a cancellation;
- ``ATTACH`` (by ``FMTTYPE`` or file name) and ``URL`` properties, and links in the
  description, are the agenda, minutes and packet documents; the event's ``URL`` that is
  not a document is the meeting's page;
- the body is the event's ``CATEGORIES``, else the summary's leading words, else the
  calendar's ``X-WR-CALNAME``.

Like a feed, an event has no agenda items: its summary and description are one item
(:data:`FEED_ENTRY_ITEM`). The file is one conditional request; a file that is not
iCalendar or ends before ``END:VCALENDAR`` fails the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from pydantic import ValidationError

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.conditional import ConditionalFetching
from civicradar.crawlers.documents import DocumentFetching, changed_since_store
from civicradar.crawlers.entry_documents import declares_pdf
from civicradar.models.records import (
    FEED_ENTRY_ITEM,
    AgendaItemRecord,
    BodyRecord,
    DocumentRecord,
    MeetingRecord,
)

log = logging.getLogger(__name__)

_TIMEZONE_BLOCK = re.compile(rb"BEGIN:VTIMEZONE\r?\n.*?END:VTIMEZONE\r?\n", re.S)
_TZID_LINE = re.compile(rb"^TZID[:;]", re.M)
_PLAIN_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_SERIES = ("RRULE", "RDATE", "RECURRENCE-ID")


# --- the file -------------------------------------------------------------------------


def read_calendar(body: bytes) -> tuple[icalendar.Calendar | None, str | None]:
    """(calendar, None), or (None, why the file cannot be trusted)."""
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper()
    if not head.startswith(b"BEGIN:VCALENDAR"):
        return None, "not an iCalendar file (no BEGIN:VCALENDAR)"
    if b"END:VCALENDAR" not in body[-512:].upper():
        return None, "the file ends before END:VCALENDAR (truncated?)"
    try:
        return icalendar.Calendar.from_ical(body), None
    except Exception as first:  # icalendar raises several types on bad input
        repaired = _without_broken_timezones(body)
        if repaired == body:
            return None, f"unreadable iCalendar: {type(first).__name__}: {first}"
        try:
            calendar = icalendar.Calendar.from_ical(repaired)
        except Exception as exc:
            return None, f"unreadable iCalendar: {type(exc).__name__}: {exc}"
        log.info("calendar read without its malformed VTIMEZONE blocks (%s)", first)
        return calendar, None


def _without_broken_timezones(body: bytes) -> bytes:
    """The file without ``VTIMEZONE`` blocks that name more than one ``TZID`` (seen in the
    wild); their events' IANA ``TZID`` names still resolve."""
    return _TIMEZONE_BLOCK.sub(
        lambda m: b"" if len(_TZID_LINE.findall(m.group(0))) > 1 else m.group(0), body
    )


def occurrences(calendar: icalendar.Calendar, first: dt.date, last: dt.date) -> list[Any]:
    """Every event occurrence that may fall in [first, last] (a day wider each side, the
    local day is checked per meeting)."""
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    return list(query.between(first - dt.timedelta(days=1), last + dt.timedelta(days=2)))


def series_uids(calendar: icalendar.Calendar) -> set[str]:
    return {
        str(event.get("UID"))
        for event in calendar.walk("VEVENT")
        if any(name in event for name in _SERIES)
    }


# --- one occurrence -------------------------------------------------------------------


def event_identity(event: Any, series: set[str]) -> str:
    """The UID; for an occurrence of a series, the UID and the start it was planned for."""
    uid = str(event.get("UID") or "").strip()
    if not uid:
        seed = f"{event.get('SUMMARY')}|{_property_date(event, 'DTSTART')}"
        uid = "nouid:" + hashlib.sha1(seed.encode()).hexdigest()[:16]
    if uid not in series:
        return uid
    planned = _property_date(event, "RECURRENCE-ID") or _property_date(event, "DTSTART")
    return f"{uid}@{_stamp(planned)}"


def event_when(event: Any, zone: ZoneInfo) -> tuple[dt.date | None, dt.datetime | None]:
    """(local day, zoned start or None for an all-day event)."""
    value = _property_date(event, "DTSTART")
    if value is None:
        return None, None
    if not isinstance(value, dt.datetime):
        return value, None
    start = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return start.date(), start


def event_links(event: Any, description_links: list[tuple[str, str]]) -> dict[str, str]:
    """{"url", "agenda", "minutes", "packet"} from ``ATTACH``, ``URL`` and the description."""
    found: dict[str, str] = {}
    candidates: list[tuple[str, str, bool]] = []
    for attach in _as_list(event.get("ATTACH")):
        params = getattr(attach, "params", {}) or {}
        if str(params.get("VALUE", "")).upper() == "BINARY":
            continue  # an inline file: not fetched
        url = str(attach).strip()
        label = str(
            params.get("FILENAME") or params.get("X-FILENAME") or params.get("LABEL") or ""
        ) or _file_name(url)
        candidates.append((url, label, declares_pdf(url, params.get("FMTTYPE"))))
    page = str(event.get("URL") or "").strip()
    if page:
        candidates.append((page, str(event.get("SUMMARY") or ""), declares_pdf(page)))
    candidates.extend((url, label, declares_pdf(url)) for url, label in description_links)
    for url, label, pdf in candidates:
        if not url.startswith(("http://", "https://")):
            continue
        kind = text.link_kind(url, label) or ("agenda" if pdf else None)
        if kind is not None:
            found.setdefault(kind, url)
    if page and page not in found.values():
        found["url"] = page
    return found


def event_body(event: Any, title: str, calendar_name: str | None) -> str:
    for category in _categories(event):
        if category and not text.find_date(category):
            return category
    return text.body_from_title(title) or (calendar_name or "").strip() or "Calendar"


def event_meeting(
    event: Any, *, zone: ZoneInfo, series: set[str], calendar_name: str | None
) -> MeetingRecord | None:
    day, start = event_when(event, zone)
    if day is None:
        return None
    title = " ".join(str(event.get("SUMMARY") or "").split())
    description, links_in_text = _description(event)
    if str(event.get("STATUS") or "").upper() == "CANCELLED":
        status, evidence = "cancelled", "STATUS:CANCELLED"
    else:
        status, evidence = text.meeting_status(title, description)
    links = event_links(event, links_in_text)
    body = event_body(event, title, calendar_name)
    agenda_url = links.get("agenda")
    location = " ".join(str(event.get("LOCATION") or "").split()) or None
    return MeetingRecord(
        external_id=event_identity(event, series),
        body_external_id=text.body_key(body),
        body_name=body,
        title=title or None,
        meeting_date=day,
        start=start,
        location=location,
        status=status,
        status_evidence=evidence,
        url=links.get("url"),
        agenda_url=agenda_url,
        minutes_url=links.get("minutes"),
        source_modified=_utc(_property_date(event, "LAST-MODIFIED")),
        items=[
            AgendaItemRecord(
                external_id=FEED_ENTRY_ITEM, title=title or body, text=description or None
            )
        ],
        documents=[DocumentRecord(kind="agenda", url=agenda_url)] if agenda_url else [],
    )


def _description(event: Any) -> tuple[str, list[tuple[str, str]]]:
    """Plain text and links of the description, HTML (as some calendars write it) or not."""
    raw = str(event.get("DESCRIPTION") or "")
    if "<" in raw and ">" in raw:
        return text.html_text_and_links(raw)
    plain = "\n".join(line.strip() for line in raw.splitlines() if line.strip())
    urls = [url.rstrip(".,;") for url in _PLAIN_URL.findall(raw)]
    return plain, [(url, _file_name(url)) for url in urls]


def _file_name(url: str) -> str:
    """A bare address's last segment stands for its label ("minutes-2026-11-23.pdf")."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ").replace("_", " ")


def _categories(event: Any) -> Iterator[str]:
    for value in _as_list(event.get("CATEGORIES")):
        for category in getattr(value, "cats", [value]):
            yield " ".join(str(category).split())


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _property_date(event: Any, name: str) -> dt.date | None:
    """A date or datetime property; None when absent or unreadable (icalendar keeps a
    malformed value as a "broken" property that raises when read)."""
    value = event.get(name)
    try:
        found = getattr(value, "dt", None) if value is not None else None
    except Exception:
        return None
    return found if isinstance(found, dt.date) else None


def _stamp(value: dt.date | None) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d") if value else ""


def _utc(value: dt.date | None) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# --- the spider -----------------------------------------------------------------------


class IcsAgendaSpider(ConditionalFetching, DocumentFetching, SourceSpider):
    """Reads the calendar once (conditionally) and yields a meeting per occurrence in the
    window, with its agenda and minutes files."""

    async def start(self) -> AsyncIterator[Any]:
        yield self.conditional_request(self.read_file)

    def read_file(self, response: Any) -> Iterator[Any]:
        if self.not_modified(response):
            return
        calendar, problem = read_calendar(response.body)
        if calendar is None:
            self.outcome.fail(f"{problem} at {response.url}")
            return
        events = calendar.walk("VEVENT")
        if not events:
            self.outcome.suspect(f"the calendar at {response.url} has no events")
            return
        undated = [e for e in events if not isinstance(_property_date(e, "DTSTART"), dt.date)]
        if len(undated) == len(events):
            self.outcome.fail(
                f"unreadable iCalendar: no event with a readable DTSTART at {response.url}"
            )
            return
        if undated:
            self.outcome.suspect(
                f"{len(undated)} events without a readable DTSTART at {response.url}"
            )
        first, last = self.job.meeting_window
        try:
            found = occurrences(calendar, first, last)
        except Exception as exc:  # a series the library cannot expand at all
            self.outcome.fail(f"cannot expand the events of {response.url}: {exc}")
            return
        yield from self.meetings(calendar, found)
        self.remember_validators(response)

    def meetings(self, calendar: icalendar.Calendar, found: list[Any]) -> Iterator[Any]:
        first, last = self.job.meeting_window
        series = series_uids(calendar)
        name = str(calendar.get("X-WR-CALNAME") or "") or None
        bodies: set[str] = set()
        seen: set[str] = set()
        for event in found:
            try:
                record = event_meeting(event, zone=self.job.zone, series=series, calendar_name=name)
            except (ValidationError, ValueError) as exc:
                self.outcome.suspect(f"event {event.get('UID')} unreadable: {exc}")
                continue
            if record is None or not first <= record.meeting_date <= last:
                continue
            if record.external_id in seen:
                continue  # the same UID listed twice: the first one stands
            seen.add(record.external_id)
            if record.body_external_id and record.body_external_id not in bodies:
                bodies.add(record.body_external_id)
                yield BodyRecord(external_id=record.body_external_id, name=record.body_name)
            yield from self.with_documents(record, changed=changed_since_store(self.job, record))
