"""Conditional requests for sources read whole from one reply (feeds, CSV/JSON exports,
single-page directory and candidate tables), so an unchanged day costs one ``304``.

After a crawl judged healthy the source's cursor keeps what the reply said about itself:
its validators (``etag``, ``last_modified``), the address they belong to
(``validated_url``), a digest of the source settings that shaped the records
(``validated_for``), how many pages the crawl read (``pages``) and the reply's size
(``validated_bytes``). The next crawl sends the validators back as ``If-None-Match`` /
``If-Modified-Since`` only when all of that still holds and the crawl was one page: a 304
to page 1 says nothing about page 2. The cursor is written only for healthy runs
(``civicradar/pipeline.py``), so a 304 always means "the content of the last healthy crawl",
which the store has read; monitors treat such an ``unchanged`` run as that content again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import scrapy

log = logging.getLogger(__name__)

SHAPING_EXCLUDED = {"id", "token", "api_key", "departure_after_runs", "suspicious_drop"}
"""Source settings that do not change which records a reply yields (or must not be hashed)."""


def settings_digest(source: Any) -> str:
    """A short digest of the source settings that turn a reply into records."""
    settings = source.model_dump(mode="json", exclude=SHAPING_EXCLUDED)
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def header(response: Any, name: str) -> str | None:
    value = response.headers.get(name)
    if value is None:
        return None
    return value.decode("latin-1").strip() or None


def validator_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the ETag and Last-Modified kept of a reply."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class ConditionalFetching:
    """Mixin for a :class:`~civicradar.crawlers.base.SourceSpider` whose source starts at
    ``source.url``: ask it conditionally, recognise a 304, remember the validators."""

    job: Any
    outcome: Any
    source: Any

    def conditional_headers(self) -> dict[str, str]:
        """The validators of the last healthy crawl, when they still describe this source."""
        cursor = self.job.cursor
        if (
            self.job.last_healthy_at is None
            or cursor.get("validated_url") != self.source.url
            or cursor.get("validated_for") != settings_digest(self.source)
            or int(cursor.get("pages") or 0) != 1
        ):
            return {}
        return validator_headers(cursor.get("etag"), cursor.get("last_modified"))

    def conditional_request(self, callback: Any, **kwargs: Any) -> scrapy.Request:
        """The first request of the crawl, to ``source.url``, with validators when allowed."""
        meta = {**kwargs.pop("meta", {}), "handle_httpstatus_list": [304]}
        headers = {**kwargs.pop("headers", {}), **self.conditional_headers()}
        return self.request(  # type: ignore[attr-defined]
            self.source.url, callback, headers=headers, meta=meta, dont_filter=True, **kwargs
        )

    def not_modified(self, response: Any) -> bool:
        """Handle a 304: an unchanged run if we asked conditionally, else a failure.
        True when the response was a 304 and there is nothing to read."""
        if response.status != 304:
            return False
        if not self.conditional_headers():
            self.outcome.fail(f"HTTP 304 from {response.url} to an unconditional request")
            return True
        saved = int(self.job.cursor.get("validated_bytes") or 0)
        self.outcome.unchanged = True
        self.outcome.cursor["bytes_saved"] = int(self.job.cursor.get("bytes_saved") or 0) + saved
        log.info("%s: not modified; %d bytes not downloaded", self.job.label, saved)
        return True

    def remember_validators(self, response: Any) -> None:
        """Keep the first reply's validators (or their absence) for the next crawl."""
        self.outcome.cursor.update(
            {
                "validated_url": self.source.url,
                "validated_for": settings_digest(self.source),
                "etag": header(response, "ETag"),
                "last_modified": header(response, "Last-Modified"),
                "validated_bytes": len(response.body),
                "pages": 1,
            }
        )

    def another_page(self) -> None:
        """The crawl reads (or could read) more than the first page: never conditional."""
        self.outcome.cursor["pages"] = int(self.outcome.cursor.get("pages") or 1) + 1
