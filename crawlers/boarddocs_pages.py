"""What BoardDocs replies say: the XML export, the public page's committees, a row of the
meetings list, a meeting's notice and its agenda (``crawlers/boarddocs.py`` fetches them)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree
from parsel import Selector

from civicradar.crawlers import meeting_text as text
from civicradar.models.records import AgendaItemRecord, MeetingRecord

_EXPORT_END = re.compile(rb"</meetings\s*>", re.IGNORECASE)
_ARCHIVE = re.compile(r"\barchives?\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*[a-z]?|[A-Za-z](?=[.)]))[.)]?\s+(.+)$", re.DOTALL)
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True)
_LENIENT = etree.HTMLParser(recover=True, no_network=True)


def is_html_page(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_export(body: bytes) -> tuple[list[Any] | None, str | None]:
    """The export's ``meeting`` elements, or (None, why the file cannot be trusted)."""
    if not _EXPORT_END.search(body[-1024:]):
        if b"<meetings" in body[:4096].lower():
            return None, "the BoardDocs export ends before </meetings> (truncated?)"
        return None, "not a BoardDocs meetings export (no <meetings> root)"
    try:
        root = etree.fromstring(body, _STRICT)
    except etree.XMLSyntaxError:
        root = etree.fromstring(body, _LENIENT)  # keeps going past a mismatched end tag
        if root is None or root.find(".//meetings") is None:
            return None, "not a BoardDocs meetings export (no <meetings> root)"
        return root.findall(".//meeting"), None
    if root.tag != "meetings":
        return None, f"not a BoardDocs meetings export (root <{root.tag}>)"
    return root.findall("meeting"), None


def export_meeting(element: Any, base: str, zone: ZoneInfo) -> MeetingRecord | None:
    """One ``<meeting>`` of the export with its items; None for archive folders and
    meetings without an id or a date."""
    meeting_id = (element.get("id") or "").strip()
    name = _clean(element.findtext("name"))
    day = _iso_day(element.findtext("start/date"))
    if not meeting_id or day is None or _ARCHIVE.search(name):
        return None
    body = _clean(element.get("bodyname")) or "Board"
    description = "\n".join(
        line
        for line in (_clean(x) for x in (element.findtext("description") or "").splitlines())
        if line
    )
    status, evidence = text.meeting_status(name, description)
    items = [
        item
        for sequence, node in enumerate(element.iter("item"), start=1)
        if (item := _export_item(node, sequence)) is not None
    ]
    return MeetingRecord(
        external_id=meeting_id,
        body_external_id=(element.get("bodyid") or "").strip() or text.body_key(body),
        body_name=body,
        title=name or None,
        meeting_date=day,
        start=start_in_notice(description, day, zone),
        status=status,
        status_evidence=evidence,
        url=_link(element) or f"{base}/goto?open&id={meeting_id}",
        items=items,
    )


def _export_item(node: Any, sequence: int) -> AgendaItemRecord | None:
    item_id = (node.get("id") or "").strip()
    name = _clean(node.findtext("name"))
    if not item_id or not name:
        return None
    return agenda_item(
        item_id,
        name,
        sequence,
        action_type=_clean(node.findtext("actiontype")),
        notes=_clean(node.findtext("recommendedaction")),
    )


def agenda_item(
    item_id: str, name: str, sequence: int, *, action_type: str = "", notes: str = ""
) -> AgendaItemRecord:
    """ "1.1 Roll Call" as number "1.1" and title "Roll Call"."""
    numbered = _NUMBERED.match(name)
    number, title = (numbered.group(1), numbered.group(2)) if numbered else (None, name)
    return AgendaItemRecord(
        external_id=item_id,
        sequence=sequence,
        number=number,
        title=_clean(title) or name,
        text=notes or None,
        matter_type=action_type.strip(" ,") or None,
    )


def start_in_notice(notice: str, day: dt.date, zone: ZoneInfo) -> dt.datetime | None:
    """The meeting's time from its notice: the time written after the meeting's own date
    ("Monday, August 12, 2019, at 5:30 p.m."), or the first time in a notice naming no
    date at all; a time next to another date (the next meeting's) is not taken."""
    offset, any_date = 0, False
    while (found := text.find_date(notice[offset:])) is not None:
        any_date = True
        end = offset + found[1]
        if found[0] == day:
            clock = text.find_time(notice[end : end + 40])
            return dt.datetime.combine(day, clock, tzinfo=zone) if clock else None
        offset = end
    if any_date:
        return None
    clock = text.find_time(notice)
    return dt.datetime.combine(day, clock, tzinfo=zone) if clock else None


# --- the public page and the meetings list ---------------------------------------------


def committees(html: str) -> dict[str, str]:
    """Committee id -> name, from the board/committee menu or selector of ``Board.nsf/Public``."""
    page = Selector(text=html)
    found: dict[str, str] = {}
    for link in page.css("a.committee-trigger[committeeid]"):
        name = _clean(link.attrib.get("aria-label") or " ".join(link.css("::text").getall()))
        found.setdefault(link.attrib["committeeid"].strip(), name or "Board")
    for option in page.css("select[name=committeeid] option[value]"):
        name = _clean(" ".join(option.css("::text").getall()))
        if option.attrib["value"].strip():
            found.setdefault(option.attrib["value"].strip(), name or "Board")
    return found


def list_meeting(row: Any, committee_id: str, committee: str, base: str) -> MeetingRecord | None:
    """A row of ``BD-GetMeetingsList`` ({"unique", "name", "numberdate", …}); its items
    and time come from the notice and agenda replies."""
    if not isinstance(row, dict):
        return None
    meeting_id = str(row.get("unique") or "").strip()
    name = _clean(str(row.get("name") or ""))
    try:
        day = dt.datetime.strptime(str(row.get("numberdate") or ""), "%Y%m%d").date()
    except ValueError:
        return None
    if not meeting_id or _ARCHIVE.search(name):
        return None
    status, evidence = text.meeting_status(name, None)
    return MeetingRecord(
        external_id=meeting_id,
        body_external_id=committee_id,
        body_name=committee,
        title=name or None,
        meeting_date=day,
        status=status,
        status_evidence=evidence,
        url=f"{base}/goto?open&id={meeting_id}",
        items_fetched=False,
    )


def notice_start(html: str, day: dt.date, zone: ZoneInfo) -> dt.datetime | None:
    """The time in a ``BD-GetMeeting`` reply's ``.meeting-description``."""
    page = Selector(text=html.replace("<br>", "\n").replace("<br/>", "\n"))
    notice = "\n".join(_clean(t) for t in page.css(".meeting-description ::text").getall())
    return start_in_notice(notice, day, zone)


def agenda_items(html: str) -> list[AgendaItemRecord]:
    """The ``li.item`` rows of a ``BD-GetAgenda`` reply, in agenda order."""
    items = []
    for sequence, row in enumerate(Selector(text=html).css("li.item[unique]"), start=1):
        number = _clean(" ".join(row.css("span.order ::text").getall())).rstrip(".")
        title = _clean(" ".join(row.css("span.title ::text").getall()))
        if not title:
            continue
        action = _clean(" ".join(row.css("div.actiontype ::text").getall()))
        item = agenda_item(row.attrib["unique"], title, sequence, action_type=action)
        items.append(item.model_copy(update={"number": number or item.number}))
    return items


def _link(element: Any) -> str | None:
    """The ``<link>``'s address (its tail in the lenient parse, where link is a void tag)."""
    node = element.find("link")
    if node is None:
        return None
    value = (node.text or node.tail or "").strip()
    return value if value.startswith(("http://", "https://")) else None


def _iso_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())
