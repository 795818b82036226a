"""``platform: rss`` for ``type: agendas`` — any RSS 2.0 or Atom feed of meetings.

Legistar calendar feeds (``Feed.ashx?M=Calendar``), CivicPlus AgendaCenter and calendar
feeds (``RSSFeed.aspx?ModID=65`` / ``58``) and Granicus publisher feeds
(``ViewPublisherRSS.php?mode=agendas``) all say the same things in different places:

- the meeting day is written into the title or description, or a dedicated field
  (CivicPlus ``calendarEvent:EventDates``/``EventTimes``), or the agenda's file name
  (CivicPlus ``_12032026-123``), or Granicus ``gran:pubDateParts``; ``pubDate`` is when
  the entry was published and is used only when nothing else says when the meeting is;
- Legistar's ``guid`` ends with the entry's modification time
  (``08396C01-...-2025-09-22-16-48-13``), so it is cut off to keep an edited entry the
  same meeting;
- an entry has no agenda items, so its title and description become one item
  (:data:`FEED_ENTRY_ITEM`) that initiative matching reads.

An unchanged feed costs one ``304 Not Modified``: the validators of the last healthy
crawl (kept in the source's cursor) go out as ``If-None-Match``/``If-Modified-Since``
(``crawlers/conditional.py``).

A feed whose XML is broken is read leniently when it is complete (a stray ``&``), and
fails when its root element is never closed: a file cut after a few entries would
otherwise read as a healthy feed with fewer meetings.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin
from xml.sax import SAXException
from zoneinfo import ZoneInfo

import feedparser
from pydantic import ValidationError

from civicradar.crawlers import meeting_text as text
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.conditional import ConditionalFetching, header
from civicradar.crawlers.documents import DocumentFetching, changed_since_store
from civicradar.crawlers.entry_documents import EntryLinkProbing, declares_pdf, stored_identity
from civicradar.crawlers.truncation import feed_cut_short
from civicradar.models.records import (
    FEED_ENTRY_ITEM,
    AgendaItemRecord,
    BodyRecord,
    DocumentRecord,
    MeetingRecord,
)

log = logging.getLogger(__name__)

_LEGISTAR_GUID_STAMP = re.compile(r"-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$")
_ENCODING_ONLY = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_LOCATION_LINE = re.compile(
    r"^\s*(?:location|place|where|meeting location)\s*:\s*(.+)$", re.I | re.M
)


# --- one entry -------------------------------------------------------------------------


def entry_id(entry: Any) -> str | None:
    """A stable id: the guid (minus Legistar's modification stamp), else the link."""
    guid = (entry.get("id") or "").strip()
    if guid:
        return _LEGISTAR_GUID_STAMP.sub("", guid)
    link = (entry.get("link") or "").strip()
    return link or None


def entry_when(
    entry: Any,
    title: str,
    description: str,
    description_links: list[tuple[str, str]],
    zone: ZoneInfo,
) -> tuple[dt.date | None, dt.datetime | None]:
    """(local meeting day, zoned start or None), from the most specific place that says."""
    day: dt.date | None = None
    time: dt.time | None = None
    event_dates = _field(entry, "calendarevent_eventdates", "ev_startdate", "startdate")
    event_times = _field(entry, "calendarevent_eventtimes")
    if (found := text.find_date(event_dates)) is not None:
        day = found[0]
        time = text.find_time(event_times) or text.find_time(event_dates, found[1])
    for words in (title, description):
        if day is not None:
            break
        if (found := text.find_date(words)) is not None:
            day, time = found[0], text.find_time(words, found[1]) or text.find_time(words)
    if day is None:
        urls = _entry_urls(entry, description_links)
        day = next(filter(None, (text.date_in_link(u) for u in urls)), None)
    granicus = _granicus_parts(entry)
    if day is None and granicus is not None:
        day, time = granicus
    if day is not None and time is None:
        time = text.find_time(event_times) or text.find_time(title) or text.find_time(description)
        if time is None and granicus is not None and granicus[0] == day:
            time = granicus[1]
    if day is None:
        published = _stamp(entry, "published_parsed", "updated_parsed")
        if published is None:
            return None, None
        instant = dt.datetime(*published[:6], tzinfo=dt.UTC)
        return instant.astimezone(zone).date(), None
    start = dt.datetime.combine(day, time, tzinfo=zone) if time is not None else None
    return day, start


def _granicus_parts(entry: Any) -> tuple[dt.date, dt.time | None] | None:
    """``<gran:pubDateParts yr= mo= day= hr= min=/>``: feedparser keeps its attributes."""
    parts = entry.get("gran_pubdateparts")
    if not isinstance(parts, dict):
        return None
    try:
        day = dt.date(int(parts["yr"]), int(parts["mo"]), int(parts["day"]))
    except (KeyError, TypeError, ValueError):
        return None
    try:
        return day, dt.time(int(parts["hr"]), int(parts.get("min") or 0))
    except (KeyError, TypeError, ValueError):
        return day, None


def entry_links(entry: Any, description_links: list[tuple[str, str]], base: str) -> dict:
    """{"url", "agenda", "minutes", "packet"}: the entry's page and its documents, from the
    entry link, enclosures and the links written into the description; a PDF that no
    address or label names otherwise is the agenda."""
    found: dict[str, str] = {}
    link = (entry.get("link") or "").strip()
    link_type = next(
        (x.get("type") for x in entry.get("links") or [] if x.get("href") == link), None
    )
    candidates: list[tuple[str, str, bool]] = (
        [(link, entry.get("title") or "", declares_pdf(link, link_type))] if link else []
    )
    for extra in entry.get("links") or []:
        href = extra.get("href")
        if not href or href == link:
            continue
        candidates.append((href, extra.get("title") or "", declares_pdf(href, extra.get("type"))))
    candidates.extend((href, label, declares_pdf(href)) for href, label in description_links)
    for href, label, pdf in candidates:
        url = urljoin(base, href.strip())
        if not url.startswith(("http://", "https://", "file://")):
            continue
        kind = text.link_kind(url, label) or ("agenda" if pdf else None)
        if kind is not None:
            found.setdefault(kind, url)
    if link:
        found["url"] = urljoin(base, link)
    return found


def entry_location(entry: Any, description: str) -> str | None:
    location = _field(entry, "calendarevent_location", "ev_location", "location")
    if location:
        return " ".join(location.split())
    found = _LOCATION_LINE.search(description)
    return " ".join(found.group(1).split()) if found else None


def entry_body(entry: Any, title: str, feed_title: str | None) -> str:
    """The body: the entry's category, else the title's leading part, else the feed's title."""
    for tag in entry.get("tags") or []:
        term = (tag.get("term") or "").strip()
        if term and not text.find_date(term):
            return term
    return text.body_from_title(title) or (feed_title or "").strip() or "Unnamed body"


def entry_meeting(
    entry: Any, *, zone: ZoneInfo, base: str, feed_title: str | None
) -> MeetingRecord | None:
    """One feed entry as a meeting, or None when nothing in it says which day it is."""
    external_id = entry_id(entry)
    title = " ".join((entry.get("title") or "").split())
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value") or ""
    description, description_links = text.html_text_and_links(summary)
    if not external_id:
        return None
    day, start = entry_when(entry, title, description, description_links, zone)
    if day is None:
        return None
    status, evidence = text.meeting_status(title, description)
    links = entry_links(entry, description_links, base)
    body = entry_body(entry, title, feed_title)
    agenda_url = links.get("agenda")
    item_text = "\n".join(part for part in (title, description) if part)
    return MeetingRecord(
        external_id=external_id,
        body_external_id=text.body_key(body),
        body_name=body,
        title=title or None,
        meeting_date=day,
        start=start,
        location=entry_location(entry, description),
        status=status,
        status_evidence=evidence,
        url=links.get("url"),
        agenda_url=agenda_url,
        minutes_url=links.get("minutes"),
        source_modified=_instant(_stamp(entry, "updated_parsed", "published_parsed")),
        items=[
            AgendaItemRecord(
                external_id=FEED_ENTRY_ITEM,
                title=title or body,
                text=description or None,
            )
        ]
        if item_text
        else [],
        documents=[DocumentRecord(kind="agenda", url=agenda_url)] if agenda_url else [],
    )


def _field(entry: Any, *names: str) -> str | None:
    for name in names:
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _entry_urls(entry: Any, description_links: list[tuple[str, str]]) -> Iterator[str]:
    if entry.get("link"):
        yield entry["link"]
    for extra in entry.get("links") or []:
        if extra.get("href"):
            yield extra["href"]
    yield from (href for href, _ in description_links)


def _stamp(entry: Any, *names: str) -> Any:
    """A parsed date field, read without feedparser's deprecated updated/published aliasing."""
    return next((dict.get(entry, n) for n in names if dict.get(entry, n)), None)


def _instant(parsed: Any) -> dt.datetime | None:
    return dt.datetime(*parsed[:6], tzinfo=dt.UTC) if parsed else None


# --- the spider ------------------------------------------------------------------------


class RssAgendaSpider(ConditionalFetching, EntryLinkProbing, DocumentFetching, SourceSpider):
    """Reads the feed once (conditionally) and yields one meeting per entry in the window,
    with its agenda and minutes files (``crawlers/documents.py``); an entry link that may
    be the agenda file itself is asked once (``crawlers/entry_documents.py``)."""

    async def start(self) -> AsyncIterator[Any]:
        yield self.conditional_request(self.read_feed)

    def read_feed(self, response: Any) -> Iterator[Any]:
        if self.not_modified(response):
            return
        # No content-location: feedparser would resolve relative guids against the feed's
        # address, and a feed moved elsewhere would double every meeting. Links are
        # resolved here, against the address they were read from.
        feed = feedparser.parse(
            response.body,
            response_headers={
                "content-type": header(response, "Content-Type") or "application/xml",
            },
        )
        entries = feed.get("entries") or []
        if feed.get("bozo") and not entries:
            problem = feed.get("bozo_exception")
            self.outcome.fail(f"not a readable RSS/Atom feed at {response.url}: {problem}")
            return
        broken = None
        if feed.get("bozo") and not isinstance(feed.get("bozo_exception"), _ENCODING_ONLY):
            broken = feed.get("bozo_exception")
            if isinstance(broken, SAXException) and feed_cut_short(response.body):
                self.outcome.fail(
                    f"not a readable RSS/Atom feed at {response.url}: it ends before its "
                    f"root element is closed (truncated?): {broken}"
                )
                return
            log.info("%s: feed not well-formed, read leniently: %s", self.job.label, broken)
        if not entries:
            self.outcome.suspect(f"the feed at {response.url} has no entries")
            return
        yield from self.meetings(entries, response.url, feed.get("feed", {}).get("title"), broken)
        self.remember_validators(response)

    def meetings(
        self, entries: list[Any], base: str, feed_title: str | None, broken: Any = None
    ) -> Iterator[Any]:
        """The entries in the window as meetings, with their bodies; a feed none of whose
        entries names a day is a problem (failed when its XML was broken, else suspicious)."""
        first, last = self.job.meeting_window
        bodies: dict[str, str] = {}
        undated = 0
        known = set(self.job.state.meetings_modified or ())
        pages = self.known_pages() & {urljoin(base, e.get("link") or "") for e in entries}
        self.remember_pages(pages)
        for entry in entries:
            try:
                record = entry_meeting(entry, zone=self.job.zone, base=base, feed_title=feed_title)
            except (ValidationError, ValueError) as exc:
                self.outcome.suspect(
                    f"entry {entry.get('id') or entry.get('link')} unreadable: {exc}"
                )
                continue
            if record is None:
                undated += 1
                continue
            if not first <= record.meeting_date <= last:
                continue
            if record.external_id not in known and (
                old := stored_identity(record.external_id, known)
            ):
                record.external_id = old
            if record.body_external_id and record.body_external_id not in bodies:
                bodies[record.body_external_id] = record.body_name
                yield BodyRecord(external_id=record.body_external_id, name=record.body_name)
            changed = changed_since_store(self.job, record)
            if not self.known_document_link(record) and self.needs_probe(record, pages):
                yield self.probe(record, changed, pages)
            else:
                yield from self.with_documents(record, changed=changed)
        if undated:
            log.info(
                "%s: %d feed entries say nothing about when they meet", self.job.label, undated
            )
        if undated == len(entries) and broken is not None:
            self.outcome.fail(f"not a readable RSS/Atom feed at {base}: {broken}")
        elif undated == len(entries):
            self.outcome.suspect(f"no entry of the feed at {base} names a meeting day")
