"""What every spider shares: the job it was given, the outcome it fills, failure handling.

A spider only fetches and extracts. It yields typed records (``civicradar.models.records``)
and reports trouble through its outcome; it never touches the store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

try:  # Scrapy >= 2.13 raises its own timeout error
    from scrapy.exceptions import DownloadTimeoutError
except ImportError:  # pragma: no cover
    DownloadTimeoutError = TimeoutError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from civicradar.config.schema import Detection, Jurisdiction, Source
from civicradar.models.crawl_state import CrawlState
from civicradar.models.records import Record


@dataclass
class CrawlJob:
    """Everything a spider may know about its source, handed over from the store by the CLI."""

    jurisdiction: Jurisdiction
    source: Source
    detection: Detection
    now: dt.datetime
    source_row_id: int | None = None
    cursor: dict[str, Any] = field(default_factory=dict)
    last_healthy_at: dt.datetime | None = None
    baseline: bool = True
    state: CrawlState = field(default_factory=CrawlState)

    @property
    def label(self) -> str:
        return f"{self.jurisdiction.id}/{self.source.id}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.jurisdiction.timezone)

    @property
    def today(self) -> dt.date:
        """Today's date where the jurisdiction is."""
        return self.now.astimezone(self.zone).date()

    @property
    def meeting_window(self) -> tuple[dt.date, dt.date]:
        """[first, last] local dates of the meetings an agendas crawl reads: ``days_back``
        before today to ``days_ahead`` after."""
        return (
            self.today - dt.timedelta(days=self.detection.days_back),
            self.today + dt.timedelta(days=self.detection.days_ahead),
        )


@dataclass
class CrawlOutcome:
    """What one crawl of one source produced: records, cost and any problem."""

    job: CrawlJob
    records: list[Record] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    suspicions: list[str] = field(default_factory=list)
    requests: int = 0
    bytes: int = 0
    not_modified: int = 0
    unchanged: bool = False
    cursor: dict[str, Any] = field(default_factory=dict)
    reading: dict[str, Any] | None = None  # how the pages were understood (crawlers/reading.py)

    def add(self, record: Record) -> None:
        self.records.append(record)

    def fail(self, detail: str) -> None:
        if detail not in self.failures:
            self.failures.append(detail)

    def suspect(self, detail: str) -> None:
        if detail not in self.suspicions:
            self.suspicions.append(detail)

    @property
    def error(self) -> str | None:
        problems = self.failures + self.suspicions
        return "; ".join(problems) if problems else None


class SourceSpider(scrapy.Spider):
    """Base of every platform spider: holds the job and turns request failures into problems."""

    name = "civicradar"

    def __init__(self, outcome: CrawlOutcome, **kwargs: Any) -> None:
        super().__init__(name=f"{outcome.job.label}", **kwargs)
        self.outcome = outcome
        self.job = outcome.job
        self.source = outcome.job.source

    def request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        """A request whose failure (HTTP error, timeout, refused) is recorded against the source."""
        kwargs.setdefault("errback", self.request_failed)
        return scrapy.Request(url, callback=callback, **kwargs)

    def request_failed(self, failure: Any) -> None:
        self.outcome.fail(describe_failure(failure))

    def json_reply(self, response: Any, api: str, explain: Callable[[Any], str]) -> Any | None:
        """The decoded JSON of an API reply, or None after recording why it is unusable.

        ``explain`` turns an error reply into the API's own words (": message" or "")."""
        where = response.url.split("?")[0]
        if response.status != 200:
            self.outcome.fail(f"{api} HTTP {response.status} from {where}{explain(response)}")
            return None
        try:
            reply = json.loads(response.body)
        except ValueError as exc:
            self.outcome.fail(f"malformed JSON from {where}: {exc}")
            return None
        if reply is None:
            self.outcome.fail(f"a JSON null instead of data from {where}")
        return reply


def describe_failure(failure: Any) -> str:
    """One line a person can act on, for any way a download can fail."""
    request = getattr(failure, "request", None)
    url = request.url if request is not None else "?"
    if failure.check(HttpError):
        response = failure.value.response
        return f"HTTP {response.status} from {response.url}"
    if failure.check(DNSLookupError):
        return f"cannot resolve host for {url}"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return f"timed out fetching {url}"
    if failure.check(scrapy.exceptions.IgnoreRequest):
        return f"not fetched (forbidden by robots.txt or ignored): {url}"
    return f"{failure.type.__name__} fetching {url}: {failure.getErrorMessage()}"
