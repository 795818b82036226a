"""Scripted days for the BoardDocs, iQM2, NovusAGENDA and iCalendar spiders through
`civicradar run`: a new meeting, a cancellation, an amended agenda and a platform error
each give exactly the expected changes, and the day after the error nothing at all."""

from __future__ import annotations

from tests.conftest import Reply
from tests.crawlers.agenda_pdfs import text_pdf
from tests.crawlers.agenda_sites import AgendaDays, agendas_config, kinds
from tests.crawlers.test_boarddocs import BOARD, XML_TYPE, export
from tests.crawlers.test_ics import serve_calendar
from tests.crawlers.test_iqm2 import Iqm2Site
from tests.crawlers.test_novusagenda import NovusSite

FIRST_ROW = '<tr class="rgRow" id="SearchAgendasMeetings_radGridMeetings_ctl00__0">'
SERVER_ERROR = Reply(status=500, body="Internal Server Error")
EXPECTED_DAYS = [
    ("2026-11-26", [("agenda_match", "Child Care Center Licensing Update")]),  # a new meeting
    ("2026-11-27", [("meeting_change", "cancelled")]),  # the first matching one, cancelled
    (
        "2026-11-28",  # the new meeting's agenda, amended with one more matching item
        [("agenda_match", "Pre-K Classroom Grant"), ("meeting_change", "agenda amended")],
    ),
    ("2026-11-29", [("source_problem", "failed")]),  # the platform errs
    ("2026-11-30", []),  # and recovers: nothing is news
]

NEW_MEETING_XML = """\
<meeting bodyid="C8MPLW41A2B0" bodyname="Board of Education" id="D2MPLW5E0E51" order="5">
<name>SPECIAL BOARD MEETING</name>
<start><date format="yyyy-mm-dd">2026-12-14</date></start>
<description>Monday, December 14, 2026 at 5:00 PM</description>
<link>https://go.boarddocs.com/mn/isd622/Board.nsf/goto?open&amp;id=D2MPLW5E0E51</link>
<category id="D2MPLW5E0E52" order="1"><name>1. NEW BUSINESS</name><agendaitems>
<item id="D2MPLW5E0E53" order="1"><name>1.1 Child Care Center Licensing Update</name>
<actiontype>Discussion</actiontype></item>
</agendaitems></category>
</meeting>
</meetings>"""
ADDED_ITEM_XML = """\
<item id="D2MPLW5E0E54" order="2"><name>1.2 Pre-K Classroom Grant</name>
<actiontype>Action</actiontype></item>
</agendaitems></category>
</meeting>
</meetings>"""


def check_days(days: AgendaDays, script) -> None:
    """Run each day after its edit; the changes must be exactly the expected ones."""
    for (date, expected), edit in zip(EXPECTED_DAYS, script, strict=True):
        edit()
        found = days.day(date)
        assert kinds(found) == expected, (date, found)


def test_boarddocs_days(tmp_path, http_server, cli_run):
    state = {"body": export(), "fault": None}
    http_server.routes[f"{BOARD}/XML-ActiveMeetings"] = lambda request: (
        state["fault"] or Reply(body=state["body"], content_type=XML_TYPE, etag=True)
    )
    days = AgendaDays(
        tmp_path, cli_run, agendas_config(tmp_path, "boarddocs", http_server.url + BOARD)
    )
    assert kinds(days.day("2026-11-25")) == [
        ("agenda_match", "Pre-K Expansion at Gladstone Elementary")
    ]

    def edit(old: str, new: str) -> None:
        assert old in state["body"]
        state["body"] = state["body"].replace(old, new, 1)

    check_days(
        days,
        [
            lambda: edit("</meetings>", NEW_MEETING_XML),
            lambda: edit(
                "<name>REGULAR BOARD MEETING</name>",
                "<name>CANCELLED - REGULAR BOARD MEETING</name>",
            ),
            lambda: edit("</agendaitems></category>\n</meeting>\n</meetings>", ADDED_ITEM_XML),
            lambda: state.update(fault=SERVER_ERROR),
            lambda: state.update(fault=None),
        ],
    )
    assert [r.status for r in days.runs()] == ["ok"] * 4 + ["failed", "ok"]
    assert days.runs()[-1].unchanged  # the last good export's validators: a 304


def test_iqm2_days(tmp_path, http_server, cli_run):
    site = Iqm2Site(http_server)
    config = agendas_config(tmp_path, "iqm2", site.url, fetch_documents=True)
    days = AgendaDays(tmp_path, cli_run, config)
    assert kinds(days.day("2026-11-25")) == [("agenda_match", "Pre-K Lease at Gladstone")]
    row = site.calendar.split('<div class="Row MeetingRow Alt" >')[1].split("</div>\n    </div>")[0]

    def new_meeting() -> None:
        added = (
            row.replace("2210", "2220")
            .replace("DECEMBER 7, 2026  7:00 PM", "MONDAY, DECEMBER 14, 2026  6:00 PM")
            .replace("Dec 7, 2026 7:00 PM", "Dec 14, 2026 6:00 PM")
            .replace("City Council", "Human Services Commission")
            .replace("ID=1810", "ID=1820")
        )
        site.calendar = site.calendar.replace(
            "    </div>\n</div>\n</form>",
            f'<div class="Row MeetingRow Alt" >{added}</div>\n    </div>\n</div>\n</form>',
        )
        site.details["2220"] = (
            "Human Services Commission",
            "12/14/2026 6:00 PM",
            "1820",
            "Child Care Center Licensing Update",
        )
        site.put_agenda(
            "1820", ["HUMAN SERVICES", "1. Call to order", "2. Child Care Center Licensing Update"]
        )

    def cancel() -> None:
        site.calendar = site.calendar.replace(
            "City Council&#13;Type:&#09;Regular Meeting&#13;Status:&#09;Scheduled",
            "City Council&#13;Type:&#09;Regular Meeting&#13;Status:&#09;Cancelled",
        )

    def amend() -> None:
        site.put_agenda(
            "1820",
            [
                "HUMAN SERVICES",
                "1. Call to order",
                "2. Child Care Center Licensing Update",
                "3. Pre-K Classroom Grant",
            ],
        )

    check_days(
        days,
        [
            new_meeting,
            cancel,
            amend,
            lambda: setattr(site, "calendar_fault", SERVER_ERROR),
            lambda: setattr(site, "calendar_fault", None),
        ],
    )
    assert days.meetings()["2210"].status == "cancelled"


def test_novusagenda_days(tmp_path, http_server, cli_run):
    site = NovusSite(http_server)
    config = agendas_config(
        tmp_path, "novusagenda", http_server.url + "/agendapublic/", fetch_documents=True
    )
    days = AgendaDays(tmp_path, cli_run, config)
    assert kinds(days.day("2026-11-25")) == [
        ("agenda_match", "Pre-K Lease at Gladstone Community Center")
    ]
    first_row = (
        site.pages[1]
        .split('<tr class="rgRow" id="SearchAgendasMeetings_radGridMeetings_ctl00__0">')[1]
        .split("</tr>")[0]
    )

    def new_meeting() -> None:
        added = (
            first_row.replace("512", "515")
            .replace("12/14/26", "12/16/26")
            .replace("City Council", "Human Services Commission")
        )
        site.pages[1] = site.pages[1].replace(FIRST_ROW, f'<tr id="added">{added}</tr>{FIRST_ROW}')
        site.put("MeetingID=515", ["HUMAN SERVICES", "1. Child Care Center Licensing Update"])

    def cancel() -> None:  # the clerk writes it where the place was
        place = ">City Hall Council Chambers, 1830 County Road B East<"
        head, tail = site.pages[1].split(FIRST_ROW)  # in meeting 512's row
        site.pages[1] = head + FIRST_ROW + tail.replace(place, ">CANCELLED<", 1)

    def amend() -> None:
        site.put(
            "MeetingID=515",
            ["HUMAN SERVICES", "1. Child Care Center Licensing Update", "2. Pre-K Classroom Grant"],
        )

    check_days(
        days,
        [
            new_meeting,
            cancel,
            amend,
            lambda: setattr(site, "fault", SERVER_ERROR),
            lambda: setattr(site, "fault", None),
        ],
    )
    council = days.meetings()["512"]
    assert (council.status, council.status_evidence) == ("cancelled", "location: CANCELLED")


def test_ics_days(tmp_path, http_server, cli_run):
    route, files, url = serve_calendar(http_server)
    days = AgendaDays(tmp_path, cli_run, agendas_config(tmp_path, "ics", url, fetch_documents=True))
    assert kinds(days.day("2026-11-25")) == [("agenda_match", "Pre-K Lease at Gladstone")]
    new_event = (
        "BEGIN:VEVENT\r\nUID:human-services-2026-12@maplewoodmn.gov\r\n"
        "SUMMARY:Human Services Commission\r\n"
        "DTSTART;TZID=America/Chicago:20261216T180000\r\n"
        f"ATTACH;FMTTYPE=application/pdf:{http_server.url}/files/agendas/hsc-2026-12-16\r\n"
        "END:VEVENT\r\nEND:VCALENDAR"
    )

    def new_meeting() -> None:
        files.put(
            "/files/agendas/hsc-2026-12-16",
            text_pdf([["HUMAN SERVICES", "1. Child Care Center Licensing Update"]]),
        )
        route.edit("END:VCALENDAR", new_event, "Thu, 26 Nov 2026 08:00:00 GMT")

    def cancel() -> None:
        route.edit(
            "RECURRENCE-ID;TZID=America/Chicago:20261207T190000\r\n",
            "RECURRENCE-ID;TZID=America/Chicago:20261207T190000\r\nSTATUS:CANCELLED\r\n",
            "Fri, 27 Nov 2026 08:00:00 GMT",
        )

    def amend() -> None:
        files.put(
            "/files/agendas/hsc-2026-12-16",
            text_pdf(
                [
                    [
                        "HUMAN SERVICES",
                        "1. Child Care Center Licensing Update",
                        "2. Pre-K Classroom Grant",
                    ]
                ]
            ),
        )
        route.edit(
            "SUMMARY:Human Services Commission",
            "SUMMARY:Human Services Commission (amended agenda)",
            "Sat, 28 Nov 2026 08:00:00 GMT",
        )

    check_days(
        days,
        [
            new_meeting,
            cancel,
            amend,
            lambda: setattr(route, "fault", SERVER_ERROR),
            lambda: setattr(route, "fault", None),
        ],
    )
    # A week later the commission moves a day: the same meeting, rescheduled.
    route.edit("20261216T180000", "20261217T180000", "Mon, 30 Nov 2026 08:00:00 GMT")
    (moved,) = days.day("2026-12-01")
    assert (moved["data"]["what"], moved["data"]["previous_date"]) == ("rescheduled", "2026-12-16")
