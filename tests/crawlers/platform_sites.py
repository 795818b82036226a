"""Five meeting platforms served from one list of meetings, so a test can script days (a new
meeting, a cancellation, an amended agenda, an outage) and watch what CivicRadar reports.

Each site renders the same :class:`SiteMeeting` list in its platform's format (Granicus
ViewPublisher HTML, PrimeGov portal JSON, CivicClerk OData, eScribe page method, Legistar
InSite grid) at the platform's real paths; agendas are PDFs served with ETags by
:class:`Documents`, which answers a request bringing the current ETag back with a 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.conftest import Reply, Request
from tests.crawlers.insite_pages import InSiteCalendar, Row


@dataclass
class SiteMeeting:
    key: int
    body: str
    body_id: int
    start: dt.datetime  # local wall clock
    location: str = "Council Chambers, City Hall"
    cancelled: bool = False
    agenda: bytes | None = None  # the agenda PDF, when published


class Documents:
    """Agenda files by path and query, with ETags; counts full downloads and 304s."""

    def __init__(self, server: Any) -> None:
        self.server, self.files = server, {}
        self.seen: list[Request] = []

    def put(self, path: str, query: dict[str, str], body: bytes) -> str:
        key = path + ("?" + urlencode(query) if query else "")
        self.files[key] = body
        self.server.routes[path] = self.reply
        return key

    def reply(self, request: Request) -> Reply:
        self.seen.append(request)
        query = {k: v[0] for k, v in request.query.items()}
        body = self.files.get(request.path + ("?" + urlencode(query) if query else ""))
        if body is None:
            return Reply(status=404, body=b"no such file", content_type="text/plain")
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == tag:
            return Reply(status=304, headers={"ETag": tag}, content_type="application/pdf")
        return Reply(body=body, headers={"ETag": tag}, content_type="application/pdf")


class Site:
    """One platform's listing of ``meetings`` on the local server; ``fault`` replaces it."""

    platform = ""
    listing_paths: tuple[str, ...] = ()
    broken_layout = Reply(body="<html><body><p>We are updating this site.</p></body></html>")

    def __init__(self, server: Any) -> None:
        self.server = server
        self.meetings: list[SiteMeeting] = []
        self.documents = Documents(server)
        self.fault: Reply | None = None
        for path in self.listing_paths:
            server.routes[path] = self.answer

    @property
    def url(self) -> str:
        raise NotImplementedError

    def answer(self, request: Request) -> Reply:
        if self.fault is not None:
            return self.fault
        self.publish_agendas()
        return self.listing(request)

    def listing(self, request: Request) -> Reply:
        raise NotImplementedError

    def publish_agendas(self) -> None:
        for meeting in self.meetings:
            if meeting.agenda is not None:
                path, query = self.agenda_address(meeting)
                self.documents.put(path, query, meeting.agenda)

    def agenda_address(self, meeting: SiteMeeting) -> tuple[str, dict[str, str]]:
        raise NotImplementedError

    def title(self, meeting: SiteMeeting) -> str:
        return meeting.body + (" - CANCELLED" if meeting.cancelled else "")

    def listing_requests(self) -> list[Request]:
        return [r for r in self.server.requests if r.path in self.listing_paths]


JSON = "application/json; charset=utf-8"


class GranicusSite(Site):
    platform = "granicus"
    listing_paths = ("/ViewPublisher.php",)

    @property
    def url(self) -> str:
        return self.server.url + "/ViewPublisher.php?view_id=3"

    def agenda_address(self, meeting):
        return "/AgendaViewer.php", {"view_id": "3", "event_id": str(meeting.key)}

    def listing(self, request):
        rows = []
        for m in self.meetings:
            path, query = self.agenda_address(m)
            link = f"{self.server.url}{path}?{html.escape(urlencode(query))}"
            agenda = f'<a href="{link}" target="_blank">Agenda</a>' if m.agenda else ""
            when = m.start.strftime("%B&nbsp;%d,&nbsp;%Y - %I:%M&nbsp;%p")
            name = ("CANCELLED - " if m.cancelled else "") + m.body + " Meeting"
            rows.append(
                f'<tr class="listingRow"><td class="listItem" headers="Name" scope="row">'
                f'{html.escape(name)}</td><td class="listItem" headers="Date">{when}</td>'
                f'<td class="listItem" headers="AgendaLink">{agenda}</td></tr>'
            )
        body = (
            "<html><head><title>Maplewood - Granicus</title></head><body>"
            f'<table class="listingTable"><tbody>{"".join(rows)}</tbody></table></body></html>'
        )
        return Reply(body=body)


class PrimeGovSite(Site):
    platform = "primegov"
    listing_paths = (
        "/api/committee/GetCommitteeesListByShowInPublicPortal",
        "/api/v2/PublicPortal/ListUpcomingMeetings",
        "/api/v2/PublicPortal/ListArchivedMeetings",
    )
    broken_layout = Reply(body='{"meetings": []}', content_type=JSON)

    @property
    def url(self) -> str:
        return self.server.url + "/public/portal"

    def agenda_address(self, meeting):
        template = str(meeting.key * 10)
        return "/Public/CompiledDocument", {"meetingTemplateId": template, "compileOutputType": "1"}

    def listing(self, request):
        if request.path.endswith("GetCommitteeesListByShowInPublicPortal"):
            committees = {m.body_id: m.body for m in self.meetings}
            found: Any = [{"id": k, "name": v} for k, v in committees.items()]
        elif request.path.endswith("ListArchivedMeetings"):
            found = []
        else:
            found = [self.meeting(m) for m in self.meetings]
        return Reply(body=json.dumps(found), content_type=JSON)

    def meeting(self, m: SiteMeeting) -> dict[str, Any]:
        documents = []
        if m.agenda:
            documents.append(self.document(m, m.key * 10, "Agenda"))
        if m.cancelled:
            documents.append(self.document(m, m.key * 10 + 1, "Notice of Cancellation"))
        return {
            "id": m.key,
            "committeeId": m.body_id,
            "title": m.body + " Meeting",
            "dateTime": m.start.strftime("%Y-%m-%dT%H:%M:%S"),
            "date": m.start.strftime("%b %d, %Y"),
            "time": m.start.strftime("%I:%M %p"),
            "documentList": documents,
        }

    def document(self, m: SiteMeeting, template: int, name: str) -> dict[str, Any]:
        return {"id": template + 5, "templateId": template, "templateName": name,
                "compileOutputType": 1, "meetingId": m.key, "sortOrder": 1}  # fmt: skip


class CivicClerkSite(Site):
    platform = "civicclerk"
    listing_paths = ("/v1/Events",)
    broken_layout = Reply(body='{"value": "maintenance"}', content_type=JSON)

    @property
    def url(self) -> str:
        return self.server.url

    def agenda_address(self, meeting):
        return f"/v1/Meetings/GetMeetingFileStream(fileId={meeting.key},plainText=false)", {}

    def listing(self, request):
        events = []
        for m in self.meetings:
            files = [{"fileId": m.key, "type": "Agenda", "name": "Agenda"}] if m.agenda else []
            events.append(
                {
                    "id": m.key,
                    "eventName": self.title(m),
                    "eventDescription": "",
                    "startDateTime": m.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "categoryName": m.body,
                    "categoryId": m.body_id,
                    "eventLocation": {"address1": m.location, "city": "Maplewood"},
                    "publishedFiles": files,
                }
            )
        return Reply(body=json.dumps({"value": events}), content_type=JSON)


class EscribeSite(Site):
    platform = "escribe"
    listing_paths = ("/MeetingsCalendarView.aspx/GetCalendarMeetings",)

    @property
    def url(self) -> str:
        return self.server.url

    def agenda_address(self, meeting):
        return "/FileStream.ashx", {"DocumentId": str(meeting.key)}

    def listing(self, request):
        found = []
        for m in self.meetings:
            links = []
            if m.agenda:
                path, query = self.agenda_address(m)
                url = f"{path[1:]}?{urlencode(query)}"
                links.append(
                    {"Title": "Agenda (PDF)", "Type": "Agenda", "Format": ".pdf", "Url": url}
                )
            found.append(
                {
                    "ID": f"00000000-0000-0000-0000-{m.key:012d}",
                    "MeetingName": ("CANCELLED - " if m.cancelled else "") + m.body + " Meeting",
                    "MeetingType": m.body,
                    "StartDate": m.start.strftime("%Y/%m/%d %H:%M:%S"),
                    "Location": m.location,
                    "Description": m.location,
                    "Url": f"{self.server.url}/Meeting.aspx?Id={m.key}",
                    "MeetingDocumentLink": links,
                }
            )
        return Reply(body=json.dumps({"d": found}), content_type=JSON)


@dataclass
class _Grid(InSiteCalendar):
    site: Any = None

    def __call__(self, request: Request) -> Reply:
        if self.site.fault is not None:
            return self.site.fault
        self.site.publish_agendas()
        this_year = [m for m in self.site.meetings if m.start.year == 2026]
        next_year = [m for m in self.site.meetings if m.start.year == 2027]
        self.years = {
            "This Year": self.site.rows(this_year),
            "Next Year": self.site.rows(next_year),
        }
        return super().__call__(request)


class InSiteSite(Site):
    platform = "legistar"
    listing_paths = ("/Calendar.aspx",)

    def __init__(self, server: Any) -> None:
        super().__init__(server)
        self.grid = _Grid(years={}, site=self)
        server.routes["/Calendar.aspx"] = self.grid

    @property
    def url(self) -> str:
        return self.server.url + "/Calendar.aspx"

    def agenda_address(self, meeting):
        guid = f"9D3A{meeting.key:04d}-1C2B-4E5F-8A9B-00000000{meeting.key:04d}"
        return "/View.ashx", {"M": "A", "ID": str(meeting.key), "GUID": guid}

    def rows(self, meetings: list[SiteMeeting]) -> list[Row]:
        return [
            Row(
                m.key,
                m.body,
                m.body_id,
                f"{m.start.month}/{m.start.day}/{m.start.year}",
                m.start.strftime("%I:%M %p").lstrip("0"),
                m.location,
                "CANCELLED" if m.cancelled else "",
                agenda=m.agenda is not None,
            )
            for m in sorted(meetings, key=lambda m: m.start, reverse=True)
        ]


SITES: dict[str, type[Site]] = {
    site.platform: site
    for site in (GranicusSite, PrimeGovSite, CivicClerkSite, EscribeSite, InSiteSite)
}
