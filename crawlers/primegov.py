"""``platform: primegov`` — a PrimeGov public portal (``https://CITY.primegov.com``).

The portal's HTML (``/public/portal``) is a shell that scripts fill in, so the spider reads
the JSON the portal itself reads, one list after the other:

- ``/api/committee/GetCommitteeesListByShowInPublicPortal`` (sic) — ``[{id, name}]``, the
  bodies' names (meetings carry only a ``committeeId``); without it, names come from the
  meetings' titles;
- ``/api/v2/PublicPortal/ListUpcomingMeetings`` — a bare JSON array of meetings;
- ``/api/v2/PublicPortal/ListArchivedMeetings?year=YYYY`` — held meetings of one year,
  asked for each year the window reaches back into.

A meeting has ``id``, ``title`` (the committee's meeting name), ``dateTime`` (local wall
clock, no zone: "2024-10-01T08:30:00"), ``time`` ("08:30 AM"; empty when not set),
``committeeId`` and a ``documentList`` of compiled documents: ``templateName`` ("Agenda",
"Revised Agenda", "Packet", "Minutes", "Notice of Cancellation"), ``templateId`` and
``compileOutputType`` (1 = PDF, 3 = HTML). Document addresses are built as the portal
builds its links: the PDF is ``/Public/CompiledDocument?meetingTemplateId=T&
compileOutputType=1`` and the HTML version ``/Portal/Meeting?meetingTemplateId=T`` (the
meeting's page). A "Notice of Cancellation" document marks the meeting cancelled.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

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

COMMITTEES = "/api/committee/GetCommitteeesListByShowInPublicPortal"
UPCOMING = "/api/v2/PublicPortal/ListUpcomingMeetings"
ARCHIVED = "/api/v2/PublicPortal/ListArchivedMeetings?year={year}"
PDF, HTML = 1, 3


def document_kind(template: str) -> str:
    name = template.lower()
    if "cancel" in name:
        return "other"
    for word, kind in (("minute", "minutes"), ("packet", "packet"), ("agenda", "agenda")):
        if word in name:
            return kind
    return "other"


def documents(meeting: dict[str, Any], base: str) -> list[DocumentRecord]:
    """The meeting's compiled documents: the PDF of each template, the HTML version only
    of templates published without a PDF."""
    listed = [d for d in meeting.get("documentList") or [] if isinstance(d, dict)]
    with_pdf = {d.get("templateId") for d in listed if d.get("compileOutputType") == PDF}
    found: list[DocumentRecord] = []
    for doc in sorted(listed, key=lambda d: (d.get("sortOrder") or 0, d.get("id") or 0)):
        template, output = doc.get("templateId"), doc.get("compileOutputType")
        if template is None or output not in (PDF, HTML):
            continue
        if output == HTML and template in with_pdf:
            continue
        url = (
            f"{base}/Public/CompiledDocument?meetingTemplateId={template}&compileOutputType={PDF}"
            if output == PDF
            else f"{base}/Portal/Meeting?meetingTemplateId={template}"
        )
        found.append(DocumentRecord(kind=document_kind(doc.get("templateName") or ""), url=url))
    return found


def meeting_fields(
    meeting: dict[str, Any], base: str, zone: Any, committees: dict[Any, str] | None = None
) -> dict[str, Any] | None:
    """A listed meeting as a record's fields, or None when it has no id or date."""
    when = wall_clock(meeting.get("dateTime"))
    if meeting.get("id") is None or when is None:
        return None
    title = clean(meeting.get("title")) or "Meeting"
    listed = [d for d in meeting.get("documentList") or [] if isinstance(d, dict)]
    by_pdf_first = sorted(listed, key=lambda d: d.get("compileOutputType") != PDF)
    names = [clean(d.get("templateName")) for d in by_pdf_first]
    status, evidence = text.meeting_status(title, None)
    notice = next((n for n in names if "cancel" in n.lower()), None)
    if notice and status == "scheduled":
        status, evidence = "cancelled", f"document: {notice}"
    docs = documents(meeting, base)
    agenda = next((d.url for d in docs if d.kind == "agenda"), None)
    pages = [
        (document_kind(d.get("templateName") or "") != "agenda", d.get("id") or 0, d["templateId"])
        for d in listed
        if d.get("compileOutputType") == HTML and d.get("templateId") is not None
    ]
    page = f"{base}/Portal/Meeting?meetingTemplateId={min(pages)[2]}" if pages else None
    committee = meeting.get("committeeId")
    body = (committees or {}).get(committee) or text.body_from_title(title) or title
    has_time = bool(clean(meeting.get("time")))
    return {
        "external_id": str(meeting["id"]),
        "body_external_id": body_id(body, committee),
        "body_name": body,
        "title": title,
        "meeting_date": when.date(),
        "start": when.replace(tzinfo=zone) if has_time else None,
        "location": clean(meeting.get("location")) or None,
        "status": status,
        "status_evidence": evidence,
        "url": page or f"{base}/public/portal",
        "agenda_url": agenda,
        "minutes_url": next((d.url for d in docs if d.kind == "minutes"), None),
        "agenda_status": next((n for n in names if document_kind(n) == "agenda"), None),
        "items": entry_item(title),
        "documents": docs,
    }


class PrimeGovAgendaSpider(MeetingListing, SourceSpider):
    """The committees, upcoming meetings, then the archived meetings of each year in the
    window, read one after the other; the meetings of the window with their documents."""

    base = ""
    committees: dict[Any, str]

    async def start(self) -> AsyncIterator[Any]:
        parts = urlsplit(self.source.url or "")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.committees = {}
        first, last = self.job.meeting_window
        years = range(first.year, min(last, self.job.today).year + 1)
        lists = [UPCOMING, *(ARCHIVED.format(year=year) for year in years)]
        yield self.request(
            self.base + COMMITTEES,
            self.read_committees,
            errback=self.no_committees,
            cb_kwargs={"lists": lists},
            headers={"Accept": "application/json"},
            dont_filter=True,
        )

    def read_committees(self, response: Any, lists: list[str]) -> Iterator[Any]:
        try:
            reply = json.loads(response.body)
        except ValueError:
            reply = None
        for committee in reply if isinstance(reply, list) else []:
            if isinstance(committee, dict) and clean(committee.get("name")):
                self.committees[committee.get("id")] = clean(committee.get("name"))
        yield self.next_list(lists, {})

    def no_committees(self, failure: Any) -> Iterator[Any]:
        """Body names are a nicety: without the list, they come from meeting titles."""
        yield self.next_list(failure.request.cb_kwargs["lists"], {})

    def next_list(self, lists: list[str], found: dict[str, MeetingRecord]) -> Any:
        return self.request(
            self.base + lists[0],
            self.read_list,
            cb_kwargs={"lists": lists, "found": found},
            headers={"Accept": "application/json"},
            dont_filter=True,
        )

    def read_list(
        self, response: Any, lists: list[str], found: dict[str, MeetingRecord]
    ) -> Iterator[Any]:
        try:
            reply = json.loads(response.body)
        except ValueError:
            self.layout_changed(response.url, "JSON list of meetings", response.text)
            return
        if not isinstance(reply, list) or any(
            not isinstance(m, dict) or "dateTime" not in m or "id" not in m for m in reply
        ):
            self.layout_changed(response.url, "JSON list of meetings (id, dateTime)")
            return
        for meeting in reply:
            fields = meeting_fields(meeting, self.base, self.job.zone, self.committees)
            record = self.meeting(f"meeting {meeting.get('id')}", **fields) if fields else None
            if record is not None:
                found.setdefault(record.external_id, record)
        if len(lists) > 1:
            yield self.next_list(lists[1:], found)
        else:
            yield from self.emit(found.values())
