"""``platform: escribe`` — an eScribe meetings portal (``https://pub-CITY.escribemeetings.com``).

The portal's calendar reads its meetings from an ASP.NET page method, which the spider
calls for the window: ``POST /MeetingsCalendarView.aspx/GetCalendarMeetings`` with the
JSON body ``{"calendarStartDate": "2026-10-26T00:00:00-07:00", "calendarEndDate": …}``
(a ``MeetingViewId`` in the configured address is passed on). The answer is wrapped as
ASP.NET wraps page methods: ``{"d": [...]}``.

A meeting has ``ID`` (a GUID), ``MeetingName``, ``MeetingType`` (the body's meeting
series), ``StartDate`` ("2025/12/17 17:15:00", local time), ``Location``, ``Description``
(HTML: location and address), ``Url`` (its page) and ``MeetingDocumentLink``: documents
with a ``Type`` ("Agenda", "AgendaCover", "PostAgenda", "Minutes", "AdditionalDocuments",
…), a ``Format`` (".pdf" or "HTML") and a relative ``Url`` (``FileStream.ashx?DocumentId=N``
for files, ``Meeting.aspx?Id=…&Agenda=Agenda`` for the HTML agenda). The PDF agenda is
read; the HTML agenda is the meeting's page when no PDF is published.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from scrapy.http import JsonRequest

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.meeting_lists import (
    MeetingListing,
    absolute,
    body_id,
    clean,
    entry_item,
    wall_clock,
)
from civicradar.models.records import DocumentRecord, MeetingRecord

CALENDAR = "/MeetingsCalendarView.aspx/GetCalendarMeetings"


def document_kind(kind: str, title: str) -> str:
    """agenda, minutes or packet by the link's ``Type`` (then its title); covers,
    post-meeting agendas and attachments are ``other``."""
    name = kind.lower()
    if name == "agenda":
        return "agenda"
    if "minute" in name:
        return "minutes"
    if "package" in name or "packet" in name:
        return "packet"
    if name in ("", "document") and (found := text.link_kind("", title)) is not None:
        return found
    return "other"


def meeting_fields(meeting: dict[str, Any], base: str, zone: Any) -> dict[str, Any] | None:
    """A calendar meeting as a record's fields, or None without an id or start."""
    when = wall_clock(meeting.get("StartDate"))
    if not meeting.get("ID") or when is None:
        return None
    title = clean(meeting.get("MeetingName")) or "Meeting"
    description, _links = text.html_text_and_links(meeting.get("Description"))
    documents: list[DocumentRecord] = []
    pages: list[str] = []
    for link in meeting.get("MeetingDocumentLink") or []:
        if not isinstance(link, dict):
            continue
        url = absolute(base + "/", link.get("Url"))
        if url is None:
            continue
        kind = document_kind(clean(link.get("Type")), clean(link.get("Title")))
        if clean(link.get("Format")).lower() == "html":
            if kind == "agenda":
                pages.append(url)
            continue
        if all(d.url != url for d in documents):
            documents.append(DocumentRecord(kind=kind, url=url))
    if not any(d.kind == "agenda" for d in documents) and pages:
        documents.insert(0, DocumentRecord(kind="agenda", url=pages[0]))
    status, evidence = text.meeting_status(title, description)
    series = clean(meeting.get("MeetingType")) or title
    body = text.body_from_title(series) or series
    location = clean(meeting.get("Location")) or (description.split("\n")[0] if description else "")
    return {
        "external_id": str(meeting["ID"]),
        "body_external_id": body_id(body),
        "body_name": body,
        "title": title,
        "meeting_date": when.date(),
        "start": when.replace(tzinfo=zone),
        "location": location or None,
        "status": status,
        "status_evidence": evidence,
        "url": absolute(base + "/", meeting.get("Url")) or (pages[0] if pages else None),
        "agenda_url": next((d.url for d in documents if d.kind == "agenda"), None),
        "minutes_url": next((d.url for d in documents if d.kind == "minutes"), None),
        "items": entry_item(title),
        "documents": documents,
    }


class EscribeAgendaSpider(MeetingListing, SourceSpider):
    """One call of the calendar for the window; its meetings with their documents."""

    base = ""

    async def start(self) -> AsyncIterator[Any]:
        parts = urlsplit(self.source.url or "")
        self.base = f"{parts.scheme}://{parts.netloc}"
        view = {
            key: values[0]
            for key, values in parse_qs(parts.query).items()
            if key.lower() == "meetingviewid"
        }
        first, last = self.job.meeting_window
        start = dt.datetime.combine(first, dt.time(0, 0), tzinfo=self.job.zone)
        end = dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=self.job.zone)
        yield JsonRequest(
            self.base + CALENDAR + (f"?{urlencode(view)}" if view else ""),
            data={"calendarStartDate": start.isoformat(), "calendarEndDate": end.isoformat()},
            callback=self.read_calendar,
            errback=self.request_failed,
            headers={"X-Requested-With": "XMLHttpRequest"},
            dont_filter=True,
        )

    def read_calendar(self, response: Any) -> Iterator[Any]:
        try:
            reply = json.loads(response.body)
        except ValueError:
            self.layout_changed(response.url, "JSON answer of the calendar", response.text)
            return
        meetings = reply.get("d") if isinstance(reply, dict) else None
        if not isinstance(meetings, list) or any(
            not isinstance(m, dict) or "ID" not in m or "StartDate" not in m for m in meetings
        ):
            self.layout_changed(response.url, 'calendar meetings ({"d": [{ID, StartDate}]})')
            return
        found: dict[str, MeetingRecord] = {}
        for meeting in meetings:
            fields = meeting_fields(meeting, self.base, self.job.zone)
            record = self.meeting(f"meeting {meeting.get('ID')}", **fields) if fields else None
            if record is not None:
                found.setdefault(record.external_id, record)
        yield from self.emit(found.values())
