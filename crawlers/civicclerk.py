"""``platform: civicclerk`` — the CivicClerk events API (``https://CITY.api.civicclerk.com``).

The public portal (``CITY.portal.civicclerk.com``) is a script that reads an OData API;
the spider asks it for the window only:
``/v1/Events?$filter=startDateTime ge 2026-10-26T00:00:00Z and startDateTime lt
2027-03-26T00:00:00Z&$orderby=startDateTime``. The reply is an OData envelope
(``{"@odata.context": …, "value": [...]}``) and continues at ``@odata.nextLink`` when
the server pages it.

An event has ``id``, ``eventName``, ``eventDescription``, ``categoryName``/``categoryId``
(the body), ``eventLocation`` (``address1``, ``city``, …) and ``startDateTime``. The
times end in "Z" but are the local wall clock (a 7 PM council meeting is
"…T19:00:00Z"; "Agenda Posted on April 9, 2026 12:22 PM" is ``publishOn``
"2026-04-09T12:22:47Z"), so the "Z" is dropped and the filter's day bounds are local too.
``publishedFiles`` list the documents (``type`` "Agenda", "Agenda Packet", "Minutes",
``fileId``); each is served at ``/v1/Meetings/GetMeetingFileStream(fileId=N,plainText=false)``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlsplit

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.meeting_lists import (
    MeetingListing,
    body_id,
    clean,
    entry_item,
    wall_clock,
)
from civicradar.models.records import DocumentRecord, MeetingRecord

FILE = "/v1/Meetings/GetMeetingFileStream(fileId={file_id},plainText=false)"


def events_url(base: str, first: dt.date, last: dt.date) -> str:
    after_last = last + dt.timedelta(days=1)
    query = (
        f"startDateTime ge {first.isoformat()}T00:00:00Z and "
        f"startDateTime lt {after_last.isoformat()}T00:00:00Z"
    )
    return f"{base}/v1/Events?$filter={quote(query)}&$orderby=startDateTime"


def portal_base(base: str) -> str:
    """The portal's address for meeting pages: ``CITY.portal…`` beside ``CITY.api…``."""
    return base.replace(".api.civicclerk.com", ".portal.civicclerk.com")


def file_kind(kind: str) -> str:
    name = kind.lower()
    for word, found in (("minute", "minutes"), ("packet", "packet"), ("agenda", "agenda")):
        if word in name:
            return found
    return "other"


def location(event: dict[str, Any]) -> str | None:
    place = event.get("eventLocation") or {}
    if not isinstance(place, dict):
        return None
    state = " ".join(clean(place.get(k)) for k in ("state", "zipCode") if place.get(k))
    parts: list[str] = []
    for part in (place.get("address1"), place.get("address2"), place.get("city"), state):
        if clean(part) and clean(part) not in parts:  # address2 often repeats address1
            parts.append(clean(part))
    return ", ".join(parts) or None


def event_fields(event: dict[str, Any], base: str, zone: Any) -> dict[str, Any] | None:
    """An event as a record's fields, or None without an id or a start."""
    when = wall_clock(event.get("startDateTime") or event.get("eventDate"))
    if event.get("id") is None or when is None:
        return None
    title = clean(event.get("eventName")) or clean(event.get("agendaName")) or "Meeting"
    description = "\n".join(
        clean(event.get(k)) for k in ("eventDescription", "eventNotice") if clean(event.get(k))
    )
    documents = []
    for published in event.get("publishedFiles") or []:
        if isinstance(published, dict) and published.get("fileId") is not None:
            url = base + FILE.format(file_id=published["fileId"])
            documents.append(DocumentRecord(kind=file_kind(published.get("type") or ""), url=url))
    status, evidence = text.meeting_status(title, description)
    body = clean(event.get("categoryName")) or text.body_from_title(title) or title
    return {
        "external_id": str(event["id"]),
        "body_external_id": body_id(body, event.get("categoryId")),
        "body_name": body,
        "title": title,
        "meeting_date": when.date(),
        "start": when.replace(tzinfo=zone),
        "location": location(event),
        "status": status,
        "status_evidence": evidence,
        "url": f"{portal_base(base)}/event/{event['id']}/overview",
        "agenda_url": next((d.url for d in documents if d.kind == "agenda"), None),
        "minutes_url": next((d.url for d in documents if d.kind == "minutes"), None),
        "agenda_status": clean(event.get("publishedAgendaTimeStamp")) or None,
        "items": entry_item(title, description),
        "documents": documents,
    }


class CivicClerkAgendaSpider(MeetingListing, SourceSpider):
    """The window's events, page after page; the meetings with their documents."""

    base = ""

    async def start(self) -> AsyncIterator[Any]:
        parts = urlsplit(self.source.url or "")
        host = parts.netloc.replace(".portal.civicclerk.com", ".api.civicclerk.com")
        self.base = f"{parts.scheme}://{host}"
        first, last = self.job.meeting_window
        yield self.page(events_url(self.base, first, last), {}, 1)

    def page(self, url: str, found: dict[str, MeetingRecord], number: int) -> Any:
        return self.request(
            url,
            self.read_page,
            cb_kwargs={"found": found, "number": number},
            headers={"Accept": "application/json"},
            dont_filter=True,
        )

    def read_page(
        self, response: Any, found: dict[str, MeetingRecord], number: int
    ) -> Iterator[Any]:
        try:
            reply = json.loads(response.body)
        except ValueError:
            self.layout_changed(response.url, "OData JSON of events", response.text)
            return
        events = reply.get("value") if isinstance(reply, dict) else None
        if not isinstance(events, list) or any(
            not isinstance(e, dict) or "id" not in e or "startDateTime" not in e for e in events
        ):
            self.layout_changed(response.url, "OData envelope of events (value[].startDateTime)")
            return
        for event in events:
            fields = event_fields(event, self.base, self.job.zone)
            record = self.meeting(f"event {event.get('id')}", **fields) if fields else None
            if record is not None:
                found.setdefault(record.external_id, record)
        following = reply.get("@odata.nextLink")
        if isinstance(following, str) and following:
            if number >= self.source.max_pages:
                self.outcome.suspect(
                    f"more than max_pages ({self.source.max_pages}) pages of events; "
                    "the rest was not read"
                )
            else:
                yield self.page(response.urljoin(following), found, number + 1)
                return
        yield from self.emit(found.values())
