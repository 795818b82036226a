"""What a spider may know from the store before it crawls: one typed state per source.

The CLI builds a :class:`CrawlState` with :func:`crawl_state` and hands it to the spider
as ``CrawlJob.state``, so spiders never open the store. Every key is spelled once, here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.models.tables import Document, Meeting, Source


@dataclass(frozen=True)
class KnownDocument:
    """The hash and validators of the last download of a document that gave a body."""

    sha256: str | None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class CrawlState:
    """What the store knows that lets a crawl ask only for what can have changed.

    ``meetings_modified`` is None when the store knows nothing of the source's meetings
    (not an agendas source, or a state built without the store): every meeting is new.
    """

    meetings_modified: dict[str, dt.datetime | None] | None = None
    documents: dict[str, KnownDocument] = field(default_factory=dict)

    def known_meeting(self, external_id: str) -> bool:
        return self.meetings_modified is not None and external_id in self.meetings_modified

    def document(self, url: str) -> KnownDocument | None:
        return self.documents.get(url)


def crawl_state(session: Session, source: Source) -> CrawlState:
    """The state a spider of ``source`` starts from (empty for lists of people)."""
    if source.type != "agendas":
        return CrawlState()
    return CrawlState(
        meetings_modified=_meetings_modified(session, source),
        documents=_known_documents(session, source),
    )


def _meetings_modified(session: Session, source: Source) -> dict[str, dt.datetime | None]:
    """Each stored meeting's source id and source modification time, so a spider fetches
    items only for new or changed meetings."""
    rows = session.execute(
        select(Meeting.external_id, Meeting.source_modified).where(Meeting.source_id == source.id)
    )
    return {external_id: modified for external_id, modified in rows}


def _known_documents(session: Session, source: Source) -> dict[str, KnownDocument]:
    """url -> the hash and validators of the last download that gave a body."""
    rows = session.execute(
        select(Document.url, Document.sha256, Document.etag, Document.last_modified)
        .join(Meeting, Meeting.id == Document.meeting_id)
        .where(Meeting.source_id == source.id, Document.sha256.is_not(None))
    )
    return {
        url: KnownDocument(sha256=sha, etag=etag, last_modified=modified)
        for url, sha, etag, modified in rows
    }
