"""``civicradar check``: crawl one source once and show what was understood — the first step
of adding a city. Nothing is stored (no store is opened) and nothing is sent.

The report says how the pages were read (the columns, CSS selectors or repeated blocks
behind each field), how many records came out, five of them, every warning the crawl
raised, and the status a real crawl would record (``ok``, ``suspicious``, ``failed``,
judged as a source's first crawl).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from civicradar.config.schema import Config
from civicradar.crawlers import engine
from civicradar.crawlers.base import CrawlJob, CrawlOutcome
from civicradar.models.privacy import without_private
from civicradar.models.records import CandidateRecord, MeetingRecord, PersonRecord, Record
from civicradar.monitors.health import assess_run

SAMPLES = 5
NOUNS = {
    "staff_directory": ("person", "people"),
    "candidate_list": ("candidate", "candidates"),
    "agendas": ("meeting", "meetings"),
}
SAMPLE_FIELDS = {
    "person": ("name", "title", "department", "email", "phone", "url"),
    "candidate": (
        *("name", "office", "district", "party", "status", "filed_on"),
        *("election_name", "election_date", "email", "phone", "website"),
    ),
    "meeting": ("body_name", "meeting_date", "title", "status", "agenda_url"),
}
"""What a sample shows: contact and filing facts, never a home address."""


class UnknownSource(LookupError):
    """The source asked for is not configured (or its id is ambiguous)."""


@dataclass
class CheckReport:
    jurisdiction: str
    source: str
    type: str
    platform: str
    url: str | None
    status: str
    records: int
    reading: dict[str, Any] | None
    samples: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0

    @property
    def found(self) -> str:
        """ "75 people", "1 candidate", "no meetings"."""
        one, many = NOUNS.get(self.type, ("record", "records"))
        if not self.records:
            return f"no {many}"
        return f"{self.records:,} {one if self.records == 1 else many}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "source": self.source,
            "type": self.type,
            "platform": self.platform,
            "url": self.url,
            "status": self.status,
            "records": self.records,
            "reading": self.reading,
            "samples": self.samples,
            "warnings": self.warnings,
            "requests": self.requests,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 2),
        }


def check_source(
    config: Config, source_id: str, jurisdiction_id: str | None, now: dt.datetime
) -> CheckReport:
    """Crawl the source once, as its first crawl, and report what was read."""
    jurisdiction, source = _find(config, source_id, jurisdiction_id)
    job = CrawlJob(
        jurisdiction=jurisdiction,
        source=source,
        detection=source.detection(config.detection),
        now=now,
    )
    started = time.perf_counter()
    (outcome,) = engine.crawl([job], config.crawling)
    seconds = time.perf_counter() - started
    kept = [r for r in outcome.records if r.record_type in SAMPLE_FIELDS]
    verdict = assess_run(
        source.type,
        records=len(kept),
        failures=outcome.failures,
        suspicions=outcome.suspicions,
        unchanged=outcome.unchanged,
        previous_healthy_records=None,
        detection=job.detection,
    )
    return CheckReport(
        jurisdiction=jurisdiction.id,
        source=source.id,
        type=source.type,
        platform=source.platform,
        url=source.url,
        status=verdict.status,
        records=len(kept),
        reading=outcome.reading,
        samples=[sample(r) for r in kept[:SAMPLES]],
        warnings=_warnings(outcome, verdict.detail),
        requests=outcome.requests,
        bytes=outcome.bytes,
        seconds=seconds,
    )


def _find(config: Config, source_id: str, jurisdiction_id: str | None) -> tuple[Any, Any]:
    found = [
        (j, s)
        for j in config.jurisdictions
        if jurisdiction_id in (None, j.id)
        for s in j.sources
        if s.id == source_id
    ]
    if not found:
        where = f" in jurisdiction {jurisdiction_id}" if jurisdiction_id else ""
        known = sorted({s.id for j in config.jurisdictions for s in j.sources})
        raise UnknownSource(
            f"no source {source_id!r} configured{where} (sources: {', '.join(known) or 'none'})"
        )
    if len(found) > 1:
        places = ", ".join(j.id for j, _ in found)
        raise UnknownSource(
            f"source {source_id!r} is configured in several jurisdictions ({places}): "
            "add --jurisdiction"
        )
    return found[0]


def sample(record: Record) -> dict[str, Any]:
    """A record as ``check`` shows it: its identifying and contact fields, no address."""
    values = record.model_dump(mode="json")
    shown = {key: values.get(key) for key in SAMPLE_FIELDS[record.record_type]}
    if isinstance(record, MeetingRecord):
        shown["items"] = len(record.items)
    return without_private({k: v for k, v in shown.items() if v not in (None, "")})


def _warnings(outcome: CrawlOutcome, verdict: str | None) -> list[str]:
    warnings: list[str] = []
    reading = outcome.reading or {}
    for message in (*outcome.failures, *outcome.suspicions, *reading.get("warnings", [])):
        if message not in warnings:
            warnings.append(message)
    if verdict and not any(verdict in w or w in verdict for w in warnings):
        warnings.append(verdict)
    if not any(
        isinstance(r, PersonRecord | CandidateRecord | MeetingRecord) for r in outcome.records
    ):
        found = reading.get("found_instead")
        if found and not any(found in w for w in warnings):
            warnings.append(f"nothing read; the page has {found}")
    return warnings
