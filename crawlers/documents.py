"""A meeting's documents fetched inside the crawl: once per content change, conditionally.

Any agendas spider mixes in :class:`DocumentFetching` and, instead of yielding a
:class:`MeetingRecord`, yields ``self.with_documents(record)``: the agenda and minutes
it links are requested one after the other, and the record comes out at the end of that
chain with each :class:`DocumentRecord` filled in. What the store already knows about a
document (hash, ETag, Last-Modified: ``CrawlJob.state.documents``) makes the request
conditional; a 304 or a body with the same SHA-256 is ``unchanged`` and is not parsed
again. A document that cannot be downloaded or read is marked ``failed`` on its record,
never on the source: the meeting data is still good, and the store keeps the last text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import scrapy

from civicradar.crawlers.agenda_split import split_items
from civicradar.crawlers.base import describe_failure
from civicradar.crawlers.conditional import header, validator_headers
from civicradar.crawlers.pdf_text import extract_document
from civicradar.models.crawl_state import KnownDocument
from civicradar.models.records import DocumentRecord, MeetingRecord

FETCHED_KINDS = ("agenda", "minutes")  # packets run to hundreds of pages; not fetched
SPLIT_KINDS = ("agenda",)  # minutes are prose, not numbered items
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024


def linked_documents(record: MeetingRecord) -> list[DocumentRecord]:
    """The record's documents, plus its ``agenda_url``/``minutes_url`` when not listed."""
    documents = list(record.documents)
    listed = {d.url for d in documents}
    for kind, url in (("agenda", record.agenda_url), ("minutes", record.minutes_url)):
        if url and url not in listed:
            documents.append(DocumentRecord(kind=kind, url=url))
            listed.add(url)
    return documents


def changed_since_store(job: Any, record: MeetingRecord) -> bool:
    """Is the meeting new, or edited since the store last saw it (by its own date stamp)?
    Linked documents without validators are downloaded again only then."""
    known = job.state.meetings_modified
    if known is None or record.external_id not in known:
        return True
    stored, modified = known[record.external_id], record.source_modified
    return modified is None or stored is None or stored != modified


def read_document(
    document: DocumentRecord, body: bytes, headers: dict[str, str], known: KnownDocument | None
) -> DocumentRecord:
    """The record filled from a downloaded body: ``unchanged`` when the hash is the known
    one, else the extracted pages (and items, for agendas) with ``ok``/``no_text``/``failed``."""
    digest = hashlib.sha256(body).hexdigest()
    update: dict[str, Any] = {
        "sha256": digest,
        "etag": headers.get("etag"),
        "last_modified": headers.get("last-modified"),
        "content_type": headers.get("content-type"),
        "size": len(body),
        "error": None,
    }
    if known and known.sha256 == digest:
        return document.model_copy(update={**update, "status": "unchanged"})
    text = extract_document(body, update["content_type"])
    items = split_items(text.pages) if text.status == "ok" and document.kind in SPLIT_KINDS else []
    return document.model_copy(
        update={
            **update,
            "status": text.status,
            "error": text.error,
            "pages": text.pages if text.status != "failed" else None,
            "page_count": text.page_count or None,
            "items": items,
        }
    )


class DocumentFetching:
    """Mixin for agendas spiders (needs ``self.job``, ``self.source``): fetch linked documents."""

    job: Any
    source: Any

    def with_documents(self, record: MeetingRecord, *, changed: bool = True) -> Iterator[Any]:
        """The record, or a request chain that ends by yielding it with documents filled.

        ``changed`` says the meeting may have changed since the last crawl; a known document
        without validators (no ETag, no Last-Modified) is only re-downloaded then.
        """
        if not getattr(self.source, "fetch_documents", True):
            yield record
            return
        record.documents = linked_documents(record)
        todo = [
            i
            for i, d in enumerate(record.documents)
            if d.status == "pending" and self._wanted(d, changed)  # not read already
        ]
        yield from self._fetch_next(record, todo)

    def _known(self, url: str) -> KnownDocument | None:
        return self.job.state.document(url)

    def _wanted(self, document: DocumentRecord, changed: bool) -> bool:
        if document.kind not in FETCHED_KINDS or not document.url.startswith(("http:", "https:")):
            return False
        known = self._known(document.url)
        return not known or changed or bool(known.etag or known.last_modified)

    def _fetch_next(self, record: MeetingRecord, todo: list[int]) -> Iterator[Any]:
        if not todo:
            yield record
            return
        document = record.documents[todo[0]]
        known = self._known(document.url)
        yield scrapy.Request(
            document.url,
            callback=self._document_fetched,
            errback=self._document_failed,
            headers=validator_headers(known.etag, known.last_modified) if known else {},
            meta={"handle_httpstatus_list": [304], "download_maxsize": MAX_DOCUMENT_BYTES},
            cb_kwargs={"record": record, "todo": todo},
            dont_filter=True,
        )

    def _document_fetched(
        self, response: Any, record: MeetingRecord, todo: list[int]
    ) -> Iterator[Any]:
        index = todo[0]
        document, known = record.documents[index], self._known(record.documents[index].url)
        if response.status == 304 and known:
            filled = document.model_copy(
                update={
                    "status": "unchanged",
                    "sha256": known.sha256,
                    "etag": header(response, "ETag") or known.etag,
                    "last_modified": header(response, "Last-Modified") or known.last_modified,
                }
            )
        else:
            headers = {
                name.lower(): value
                for name in ("ETag", "Last-Modified", "Content-Type")
                if (value := header(response, name)) is not None
            }
            filled = read_document(document, response.body, headers, known)
        record.documents[index] = filled
        yield from self._fetch_next(record, todo[1:])

    def _document_failed(self, failure: Any) -> Iterator[Any]:
        """A download that failed marks the document, not the source, and the chain goes on."""
        kwargs = failure.request.cb_kwargs
        record: MeetingRecord = kwargs["record"]
        todo: list[int] = kwargs["todo"]
        detail = describe_failure(failure)
        if "max size" in detail:
            limit = failure.request.meta.get("download_maxsize", MAX_DOCUMENT_BYTES)
            detail = f"larger than the document size limit ({limit:,} bytes)"
        index = todo[0]
        record.documents[index] = record.documents[index].model_copy(
            update={"status": "failed", "error": f"download failed: {detail}"}
        )
        yield from self._fetch_next(record, todo[1:])
