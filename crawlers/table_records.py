"""From recognised table rows to typed records, for staff directories and candidate lists.

A table that lacks a required column (a redesign that renamed headers, a login page
served instead of the list) is reported as a problem rather than read half-blind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from dateutil import parser as dateparser
from pydantic import ValidationError

from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.columns import ColumnMap, clean_text, map_columns, normalize_header
from civicradar.crawlers.conditional import ConditionalFetching
from civicradar.crawlers.reading import Reading, reading_problems
from civicradar.models.records import CandidateRecord, PersonRecord, ProblemRecord, Record

REQUIRED = {
    "staff_directory": ("name",),
    "candidate_list": ("name", "office"),
}
EXPECTED_ANY = {"staff_directory": ("title", "department", "email", "phone", "url")}
WATCHED_COLUMNS = {"staff_directory": ("title", "department", "email", "phone")}
"""Columns whose disappearance since the last healthy run makes a run suspicious."""


def column_problem(source_type: str, columns: ColumnMap) -> str | None:
    """Why this table cannot be trusted as a list of the source's records, or None."""
    has_name = "name" in columns.columns or {"first_name", "last_name"} <= columns.columns.keys()
    missing = [f for f in columns.missing(REQUIRED[source_type]) if f != "name" or not has_name]
    if missing:
        return (
            f"columns not found: {', '.join(missing)} "
            f"(headers were: {', '.join(columns.headers) or 'none'})"
        )
    wanted = EXPECTED_ANY.get(source_type)
    if wanted and not any(name in columns.columns for name in wanted):
        return (
            f"none of the columns {', '.join(wanted)} found (headers: {', '.join(columns.headers)})"
        )
    return None


class TableSpider(ConditionalFetching, SourceSpider):
    """Base of the csv, json and html spiders: map columns, build and check records, and
    keep the run's :class:`~civicradar.crawlers.reading.Reading`; the list's first page is
    asked for conditionally (``crawlers/conditional.py``)."""

    reading: Reading | None = None

    def read_as(self, reading: Reading) -> Reading:
        """The first page's reading stands for the run; later pages add their rows to it."""
        if self.reading is None:
            self.reading = reading
        elif reading is not self.reading:
            self.reading.rows += reading.rows
            self.reading.empty.update(reading.empty)
        self.reading.pages += 1
        return self.reading

    def emit_rows(
        self,
        headers: list[str],
        rows: list[Mapping[str, Any]],
        url: str,
        columns: ColumnMap | None = None,
        reading: Reading | None = None,
    ) -> Iterator[Record]:
        source_type = self.source.type
        if columns is None:
            columns = map_columns(headers, source_type, self.source.fields)
        if reading is None:
            reading = Reading("columns", fields=dict(columns.columns), unused=columns.unused())
        reading = self.read_as(reading)
        problem = column_problem(source_type, columns)
        if problem:
            yield ProblemRecord(severity="suspicious", detail=f"{url}: {problem}", url=url)
            return
        lost = self.lost_columns(columns)
        if lost:
            yield ProblemRecord(
                severity="suspicious",
                detail=f"{url}: columns seen before are gone: {', '.join(lost)} "
                f"(headers now: {', '.join(columns.headers)})",
                url=url,
            )
        for index, row in enumerate(rows):
            reading.count_row(
                source_type, {"name": _name(columns, row), "office": columns.value(row, "office")}
            )
            try:
                record = build_record(source_type, columns, row, self.job)
            except (ValidationError, ValueError) as exc:
                self.logger.info("row %d of %s skipped: %s", index + 1, url, exc)
                continue
            if record is not None:
                yield record

    def lost_columns(self, columns: ColumnMap) -> list[str]:
        """Watched fields the last healthy run had and this table lacks (a layout change);
        the fields found are remembered in the outcome's cursor for the next run."""
        watched = WATCHED_COLUMNS.get(self.source.type, ())
        found = sorted(set(self.outcome.cursor.get("columns", [])) | set(columns.columns))
        self.outcome.cursor["columns"] = found
        before = self.job.cursor.get("columns") or []
        return [name for name in watched if name in before and name not in columns.columns]

    def closed(self, reason: str) -> None:
        """Judge the reading against the records it produced, and hand it to the outcome."""
        if self.reading is None:
            return
        records = [r for r in self.outcome.records if isinstance(r, PersonRecord | CandidateRecord)]
        for problem in reading_problems(self.source.type, self.source.id, self.reading, records):
            self.reading.warn(problem)
            self.outcome.suspect(problem)
        self.outcome.reading = self.reading.as_dict()


def build_record(
    source_type: str, columns: ColumnMap, row: Mapping[str, Any], job: Any
) -> Record | None:
    if source_type == "staff_directory":
        return person_from_row(columns, row)
    return candidate_from_row(columns, row, job)


def _name(columns: ColumnMap, row: Mapping[str, Any]) -> str | None:
    """The name column, else first, middle, "nickname" and last name columns composed."""
    name = columns.value(row, "name")
    if name:
        return name
    first, middle, last = (
        columns.value(row, k) for k in ("first_name", "middle_name", "last_name")
    )
    nickname = columns.value(row, "nickname")
    if nickname and first and nickname.lower() != first.lower():
        first = f'{first} "{nickname}"'
    joined = " ".join(p for p in (first, middle, last) if p)
    suffix = columns.value(row, "suffix")
    return f"{joined} {suffix}".strip() if suffix and joined else (joined or None)


def person_from_row(columns: ColumnMap, row: Mapping[str, Any]) -> PersonRecord | None:
    name = _name(columns, row)
    if not name:
        return None
    return PersonRecord(
        name=name,
        title=columns.value(row, "title"),
        department=columns.value(row, "department"),
        email=columns.value(row, "email"),
        phone=columns.value(row, "phone"),
        url=columns.value(row, "url"),
    )


def candidate_from_row(
    columns: ColumnMap, row: Mapping[str, Any], job: Any
) -> CandidateRecord | None:
    name = _name(columns, row)
    office = columns.value(row, "office")
    if not name or not office:
        return None
    election = job.source.election
    election_date = parse_date(columns.value(row, "election_date"))
    election_name = columns.value(row, "election_name")
    if election and (election_date is None or election_date == election.date):
        election_name = election_name or election.name
        election_date = election_date or election.date
    return CandidateRecord(
        name=name,
        office=office,
        district=columns.value(row, "district"),
        party=columns.value(row, "party"),
        status=columns.value(row, "status"),
        filed_on=parse_date(columns.value(row, "filed_on")),
        election_name=election_name,
        election_date=election_date,
        email=_email(columns.value(row, "email")),
        phone=columns.value(row, "phone") or _other_phone(columns, row),
        website=columns.value(row, "website"),
        committee=columns.value(row, "committee"),
        address=columns.value(row, "address"),
        external_id=columns.value(row, "external_id"),
        extra=_extra(columns, row),
    )


PRIVATE_WORDS = {"address", "street", "city", "zip", "zipcode", "apt", "ssn", "birth", "dob"}
"""Unmapped columns whose words mark personal data: never copied into ``extra``."""


def _email(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().removeprefix("mailto:").split("?")[0].strip().lower()
    return value if "@" in value else None


def _other_phone(columns: ColumnMap, row: Mapping[str, Any]) -> str | None:
    """A phone from another phone column when the chosen one is blank on this row."""
    for header in columns.headers:
        if "phone" in normalize_header(header) and header not in columns.columns.values():
            value = row.get(header)
            if value and str(value).strip():
                return clean_text(str(value))
    return None


def _extra(columns: ColumnMap, row: Mapping[str, Any]) -> dict[str, str]:
    """Columns no field took (county, term, is_partisan ...), booleans as true/false;
    address parts and other personal columns are left out."""
    used = set(columns.columns.values())
    extra: dict[str, str] = {}
    for header in columns.headers:
        words = set(normalize_header(header).split())
        if header in used or words & PRIVATE_WORDS or "phone" in words or not words:
            continue
        value = row.get(header)
        text = clean_text(str(value)) if value is not None else ""
        if not text or isinstance(value, Mapping | list):
            continue
        extra[header] = {"true": "true", "false": "false"}.get(text.lower(), text)
    return extra


def parse_date(text: str | None) -> dt.date | None:
    """A calendar date from the formats filings use (07/11/2025, 2025-07-11, July 11, 2025),
    also inside other words ("Petition 07/11/2025" under "Filing Type and Date")."""
    if not text:
        return None
    for candidate in (text, *(m.group(0) for m in DATE_IN_TEXT.finditer(text))):
        try:
            return dateparser.parse(candidate, dayfirst=False, yearfirst=False).date()
        except (ValueError, OverflowError):
            continue
    return None


DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}\b",
    re.I,
)
