"""Legistar InSite calendar pages (Calendar.aspx) in the platform's markup, made from rows, and a
local "site" that answers the grid's postbacks (pager, year filter) like ASP.NET does."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from tests.conftest import Reply, Request

PAGER_TARGET = "ctl00$ContentPlaceHolder1$gridCalendar$ctl00$ctl02$ctl00$ctl{:02d}"
YEARS = "ctl00$ContentPlaceHolder1$lstYears"
YEARS_STATE = "ctl00_ContentPlaceHolder1_lstYears_ClientState"
COOKIE = "ASP.NET_SessionId=k2p0mbx5yq3"
CURRENT = ' class="rgCurrentPage"'


@dataclass
class Row:
    meeting_id: int
    body: str
    body_id: int
    day: str  # M/D/YYYY
    time: str = "6:00 PM"
    location: str = "Council Chambers"
    note: str = ""
    public: bool = True
    agenda: bool = False
    minutes: bool = False
    packet: bool = False


def _link(kind: str, n: int, href: str | None, label: str) -> str:
    anchor = f'id="ctl00_ContentPlaceHolder1_gridCalendar_ctl00_ctl{n:02d}_{kind}"'
    if href is None:
        return f'<a {anchor}><font color="Gray">Not&nbsp;available</font></a>'
    return f'<a {anchor} href="{html.escape(href)}"><font color="Blue">{label}</font></a>'


def row_html(row: Row, index: int) -> str:
    n = 4 + 2 * index
    guid = f"9D3A{row.meeting_id:04d}-1C2B-4E5F-8A9B-00000000{row.meeting_id:04d}"
    ids = f"ID={row.meeting_id}&GUID={guid}"
    detail = f"MeetingDetail.aspx?{ids}&Options=info|&Search=" if row.public else None
    cls = "rgRow" if index % 2 == 0 else "rgAltRow"
    cells = [
        _link("hypBody", n, f"DepartmentDetail.aspx?ID={row.body_id}&GUID=B0D1", row.body),
        html.escape(row.day),
        _link("hypiCal", n, f"View.ashx?M=IC&{ids}", '<img src="Images/ical.gif" alt="iCal">'),
        f'<span id="ctl00_ContentPlaceHolder1_gridCalendar_ctl00_ctl{n:02d}_lblTime">'
        f"{html.escape(row.time)}</span>",
        f"{html.escape(row.location)}<br><em>{html.escape(row.note)}</em>",
        _link("hypMeetingDetail", n, detail, "Meeting&nbsp;details"),
        _link("hypExtra1", n, f"View.ashx?M=PA&{ids}" if row.packet else None, "Packet"),
        _link("hypAgenda", n, f"View.ashx?M=A&{ids}" if row.agenda else None, "Agenda"),
        _link("hypMinutes", n, f"View.ashx?M=M&{ids}" if row.minutes else None, "Minutes"),
        _link("hypVideo", n, None, "Video"),
    ]
    tds = "".join(f'<td><font face="Tahoma" size="2">{c}</font></td>' for c in cells)
    row_id = f"ctl00_ContentPlaceHolder1_gridCalendar_ctl00__{index}"
    return f'<tr class="{cls}" valign="top" id="{row_id}">{tds}</tr>'


HEADERS = [
    "Name",
    "Meeting Date",
    "",
    "Meeting Time",
    "Meeting Location",
    "Meeting Details",
    "Proposed Amendments Packet",
    "Agenda",
    "Minutes",
    "Video",
]


def calendar_page(
    rows: list[Row], *, year_label: str, page: int, pages: int, viewstate: str, title: str
) -> str:
    """A whole Calendar.aspx answer: form, hidden state, year filter, pager and grid."""
    links = "".join(
        f'<a onclick="return false;"{CURRENT if p == page else ""}'
        f" href=\"javascript:__doPostBack('{PAGER_TARGET.format(2 + 2 * p)}','')\">"
        f"<span>{p}</span></a>"
        for p in range(1, pages + 1)
    )
    pager = (
        f'<tr class="rgPager"><td colspan="10"><table summary="Data pager"><tbody><tr>'
        f'<td class="rgPagerCell NumericPages"><div class="rgWrap rgNumPart">{links}</div>'
        f'<div class="rgWrap rgInfoPart">Page <strong>{page}</strong> of <strong>{pages}</strong>'
        f"</div></td></tr></tbody></table></td></tr>"
    )
    head = "".join(f'<th scope="col" class="rgHeader">{h}</th>' for h in HEADERS)
    body = "".join(row_html(r, i) for i, r in enumerate(rows)) or (
        '<tr class="rgNoRecords"><td colspan="10"><div>No records to display.</div></td></tr>'
    )
    return f"""<!DOCTYPE html>
<html><head><title>{html.escape(title)} - Meeting Calendar</title></head>
<body>
<!-- Written for CivicRadar's tests in the markup of a Legistar InSite Calendar.aspx page. -->
<form name="aspnetForm" method="post" action="./Calendar.aspx" id="aspnetForm">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{viewstate}">
<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="E28D3B1A">
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="ev-{viewstate}">
<div id="ctl00_ContentPlaceHolder1_lstYears" class="RadComboBox">
<input name="{YEARS}" type="text" class="rcbInput" id="ctl00_ContentPlaceHolder1_lstYears_Input"
 value="{year_label}" readonly>
<input id="{YEARS_STATE}" name="{YEARS_STATE}" type="hidden">
</div>
<div id="ctl00_ContentPlaceHolder1_lstBodies" class="RadComboBox">
<input name="ctl00$ContentPlaceHolder1$lstBodies" type="text" value="All Legislative Bodies"
 readonly>
</div>
<div id="ctl00_ContentPlaceHolder1_gridCalendar" class="RadGrid RadGrid_Default">
<table class="rgMasterTable" id="ctl00_ContentPlaceHolder1_gridCalendar_ctl00">
<thead>{pager}<tr>{head}</tr></thead>
<tbody>{body}</tbody>
</table>
</div>
</form>
</body></html>
"""


@dataclass
class InSiteCalendar:
    """Calendar.aspx on the local server. ``years`` maps "This Year"/"Next Year"/"Last Year"
    to their rows (newest first, as the grid sorts them); pages of ``page_size`` rows."""

    years: dict[str, list[Row]]
    page_size: int = 5
    default: str = "This Year"
    title: str = "City of Maplewood, MN"
    fault: Reply | None = None
    seen: list[Request] = field(default_factory=list)

    def page(self, label: str, number: int) -> str:
        rows = self.years.get(label, [])
        pages = max(1, -(-len(rows) // self.page_size))
        chunk = rows[(number - 1) * self.page_size : number * self.page_size]
        state = f"{label.replace(' ', '')}-p{number}"
        return calendar_page(
            chunk, year_label=label, page=number, pages=pages, viewstate=state, title=self.title
        )

    def __call__(self, request: Request) -> Reply:
        self.seen.append(request)
        if self.fault is not None:
            return self.fault
        headers = {"Set-Cookie": f"{COOKIE}; path=/; HttpOnly"}
        if request.method == "GET":
            return Reply(body=self.page(self.default, 1), headers=headers)
        form = {k: v[0] for k, v in _form(request.body).items()}
        if request.headers.get("cookie") != COOKIE or not form.get("__EVENTVALIDATION"):
            return Reply(status=500, body="Invalid postback or callback argument.")
        label = form.get("__VIEWSTATE", "").partition("-p")[0]
        target = form.get("__EVENTTARGET", "")
        if target == YEARS:
            choice = json.loads(form[YEARS_STATE])["value"]
            return Reply(body=self.page(choice, 1))
        for page in range(1, 50):
            if target == PAGER_TARGET.format(2 + 2 * page):
                year = {"ThisYear": "This Year", "NextYear": "Next Year", "LastYear": "Last Year"}
                return Reply(body=self.page(year[label], page))
        return Reply(status=500, body="Invalid postback or callback argument.")


def _form(body: bytes) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(body.decode("utf-8"), keep_blank_values=True)
