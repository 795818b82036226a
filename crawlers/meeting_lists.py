"""What the spiders of meeting-list platforms share: the window, bodies, documents, faults.

Granicus, PrimeGov, CivicClerk, eScribe and Legistar InSite list meetings (a page or an
API reply) with links to their documents but without agenda items. Each spider turns its
listing into :class:`MeetingRecord` s and hands them to :meth:`MeetingListing.emit`:
meetings outside ``CrawlJob.meeting_window`` are dropped, each body is yielded once, and
each meeting's agenda and minutes go through ``crawlers/documents.py``.

A known document is downloaded again only when it can have changed: it carries
validators (then the request is conditional and costs a 304), or the meeting is new to
the store, or — these platforms give no modification stamp — the meeting is still ahead:
agendas are amended before a meeting, not after it; minutes arrive under a new address.

A listing that is not in the platform's shape (no rows where rows must be, JSON of
another shape, a sign-in page) fails the run: read as "no meetings" it would be a
healthy run that hides every meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from parsel import Selector
from pydantic import ValidationError

from civicradar.crawlers.documents import DocumentFetching
from civicradar.crawlers.meeting_text import body_key
from civicradar.models.records import FEED_ENTRY_ITEM, AgendaItemRecord, BodyRecord, MeetingRecord

_SIGN_IN = re.compile(r"\b(?:sign|log)\s*-?\s*in\b", re.IGNORECASE)
_SIGN_IN_ADDRESS = re.compile(r"(?:log|sign)-?in|/auth|/account/", re.IGNORECASE)


def clean(value: str | None) -> str:
    """Text with runs of whitespace (and non-breaking spaces) as single spaces."""
    return " ".join((value or "").replace("\u00a0", " ").split())


def entry_item(title: str, text: str | None = None) -> list[AgendaItemRecord]:
    """The listing's own words for a meeting as the one item matching reads (see
    :data:`FEED_ENTRY_ITEM`): the platforms list meetings, not their items."""
    return [AgendaItemRecord(external_id=FEED_ENTRY_ITEM, title=title, text=text or None)]


def local_start(day: dt.date, clock: dt.time | None, zone: ZoneInfo) -> dt.datetime | None:
    return dt.datetime.combine(day, clock, tzinfo=zone) if clock is not None else None


def wall_clock(value: str | None) -> dt.datetime | None:
    """An API's date-time read as the local wall-clock time it shows, without its zone
    suffix: CivicClerk writes local times with a "Z", PrimeGov and eScribe with none."""
    if not value:
        return None
    text = value.strip().replace("/", "-")
    text = re.sub(r"(?:Z|[+-]\d{2}:?\d{2})$", "", text)
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None


def absolute(base: str, href: str | None) -> str | None:
    """A link made absolute against the page or API address it came from."""
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "#", "mailto:")):
        return None
    url = urljoin(base, href)
    return url if url.startswith(("http://", "https://")) else None


def body_id(name: str, platform_id: Any = None) -> str:
    """A body's id: the platform's own (committee, category) when it gives one, else the
    normalized name (``meeting_text.body_key``)."""
    if platform_id not in (None, "", 0):
        return f"id:{platform_id}"
    return body_key(name)


def sign_in_page(html: str, url: str = "") -> bool:
    """A page asking to sign in (a portal behind a login, a redirect to one) rather than
    a listing. A site-wide sign-in box on a normal page does not count."""
    if _SIGN_IN_ADDRESS.search(url):
        return True
    page = Selector(text=html)
    if _SIGN_IN.search(clean(page.css("title::text").get())):
        return True
    actions = " ".join(page.xpath("//form[.//input[@type='password']]/@action").getall())
    return bool(_SIGN_IN_ADDRESS.search(actions))


class MeetingListing(DocumentFetching):
    """Mixin for a :class:`~civicradar.crawlers.base.SourceSpider` that reads listings of
    meetings: window, bodies once each, documents when they can have changed, faults."""

    job: Any
    outcome: Any
    source: Any

    def emit(self, records: Iterable[MeetingRecord]) -> Iterator[Any]:
        """The records in the window, each after its body's first appearance, with their
        documents fetched (or a request chain that ends by yielding the record)."""
        first, last = self.job.meeting_window
        bodies: set[str] = getattr(self, "_bodies_emitted", set())
        self._bodies_emitted = bodies
        for record in records:
            if not first <= record.meeting_date <= last:
                continue
            body_id = record.body_external_id or ""
            if body_id and body_id not in bodies:
                bodies.add(body_id)
                yield BodyRecord(external_id=body_id, name=record.body_name)
            yield from self.with_documents(record, changed=self.documents_may_change(record))

    def documents_may_change(self, record: MeetingRecord) -> bool:
        """New meetings, meetings whose platform stamp moved, and meetings still ahead."""
        known = self.job.state.meetings_modified
        if known is None or record.external_id not in known:
            return True
        if record.source_modified is not None:
            return known[record.external_id] != record.source_modified
        return record.meeting_date >= self.job.today

    def meeting(self, what: str, **fields: Any) -> MeetingRecord | None:
        """A validated record, or None after noting why the platform's entry is unusable."""
        try:
            return MeetingRecord(**fields)
        except (ValidationError, ValueError) as exc:
            self.outcome.suspect(f"{what} unreadable: {exc}")
            return None

    def layout_changed(self, url: str, expected: str, html: str | None = None) -> None:
        """Fail the run: the reply at ``url`` is not what the platform serves."""
        where = url.split("?")[0]
        if html is not None and sign_in_page(html, url):
            self.outcome.fail(f"a sign-in page instead of {expected} at {where}")
        else:
            self.outcome.fail(f"no {expected} at {where}: the platform's layout changed?")
