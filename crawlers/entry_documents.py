"""Feed entries that link their agenda file directly, and entry identities that survive a
feed moving to another address.

An entry's link or enclosure is the meeting's agenda document when it is a PDF: by its
declared type (``application/pdf`` on an enclosure or Atom link), by its extension
(``…/agenda.pdf``), or — for a link with no extension at all, such as a document
centre's ``/DocumentCenter/View/4410`` — by what the server answers. Such a link is
asked once (:class:`EntryLinkProbing`); a PDF answer is read as the agenda there and
then, and an HTML answer is remembered in the source's cursor (``entry_pages``) so the
page is not asked again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy

from civicradar.crawlers.base import describe_failure
from civicradar.crawlers.conditional import header
from civicradar.crawlers.documents import MAX_DOCUMENT_BYTES, read_document
from civicradar.models.records import DocumentRecord, MeetingRecord

log = logging.getLogger(__name__)

PDF_TYPE = "application/pdf"


def declares_pdf(url: str, media_type: str | None = None) -> bool:
    """A link that says it is a PDF, by its type or its file name."""
    if PDF_TYPE in (media_type or "").lower():
        return True
    return urlsplit(url).path.lower().endswith(".pdf")


def may_be_document(url: str | None) -> bool:
    """A web link whose last path segment has no extension: a document centre's download
    address as often as a page, so only its answer can tell."""
    if not url or not url.startswith(("http://", "https://")):
        return False
    segment = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return bool(segment) and "." not in segment


def answers_pdf(content_type: str | None, body: bytes) -> bool:
    return PDF_TYPE in (content_type or "").lower() or body[:1024].lstrip().startswith(b"%PDF-")


def stored_identity(raw: str, known: Iterable[str]) -> str | None:
    """The id an earlier version stored for an entry whose guid (or link) is relative.

    Ids used to be resolved against the feed's address by feedparser ("4410" read at
    ``https://old.example/feeds/a.xml`` became ``https://old.example/feeds/4410``); a
    known absolute id that ``raw`` resolves to from its own address is that meeting.
    """
    if not raw or urlsplit(raw).scheme:
        return None
    tail = raw.rstrip("/").rsplit("/", 1)[-1]
    for candidate in known:
        if (
            candidate.endswith(tail)
            and candidate.startswith(("http://", "https://"))
            and urljoin(candidate, raw) == candidate
        ):
            return candidate
    return None


class EntryLinkProbing:
    """Mixin for the feed spider (with :class:`~civicradar.crawlers.documents.DocumentFetching`):
    ask an entry link that may be a PDF once, before the meeting's documents are fetched."""

    job: Any
    outcome: Any
    source: Any

    def known_pages(self) -> set[str]:
        return set(self.job.cursor.get("entry_pages") or [])

    def remember_pages(self, pages: set[str]) -> None:
        self.outcome.cursor["entry_pages"] = sorted(pages)

    def known_document_link(self, record: MeetingRecord) -> bool:
        """A link the store already holds as a document is that agenda again, asked
        conditionally with the documents: no probe. Sets it on the record."""
        url = record.url
        if record.agenda_url or not url or self.job.state.document(url) is None:
            return False
        record.agenda_url = url
        record.documents = [DocumentRecord(kind="agenda", url=url)]
        return True

    def needs_probe(self, record: MeetingRecord, pages: set[str]) -> bool:
        """The meeting has no agenda, and its link may be one that was never asked."""
        if record.agenda_url or not getattr(self.source, "fetch_documents", True):
            return False
        return may_be_document(record.url) and record.url not in pages

    def probe(self, record: MeetingRecord, changed: bool, pages: set[str]) -> scrapy.Request:
        assert record.url is not None
        return scrapy.Request(
            record.url,
            callback=self._probed,
            errback=self._probe_failed,
            meta={"download_maxsize": MAX_DOCUMENT_BYTES},
            cb_kwargs={"record": record, "changed": changed, "pages": pages},
            dont_filter=True,
        )

    def _probed(
        self, response: Any, record: MeetingRecord, changed: bool, pages: set[str]
    ) -> Iterator[Any]:
        content_type = header(response, "Content-Type")
        if answers_pdf(content_type, response.body):
            headers = {
                name.lower(): value
                for name in ("ETag", "Last-Modified", "Content-Type")
                if (value := header(response, name)) is not None
            }
            agenda = DocumentRecord(kind="agenda", url=record.url or response.url)
            record.agenda_url = agenda.url
            record.documents = [read_document(agenda, response.body, headers, None)]
        else:
            pages.add(record.url or response.url)
            self.remember_pages(pages)
        fetching: Any = self
        yield from fetching.with_documents(record, changed=changed)

    def _probe_failed(self, failure: Any) -> Iterator[Any]:
        """A link that cannot be asked today is asked again tomorrow; the meeting stands."""
        kwargs = failure.request.cb_kwargs
        log.info("%s: entry link not readable: %s", self.job.label, describe_failure(failure))
        fetching: Any = self
        yield from fetching.with_documents(kwargs["record"], changed=kwargs["changed"])
