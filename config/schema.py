"""The shape of civicradar.yaml: every key the file may hold, with its type and default.

Unknown keys are rejected (``extra="forbid"``) so a typo never silently disables a
source or a recipient.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from civicradar.config.platforms import ChangeKind, SourceType, platform, platform_names

_NAME_PARTS = ("name", "first_name", "middle_name", "last_name", "suffix", "nickname")
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "agendas": (),
    "staff_directory": (*_NAME_PARTS, "title", "department", "email", "phone", "url"),
    "candidate_list": (
        *_NAME_PARTS,
        *("office", "district", "party", "filed_on", "status", "email", "phone", "website"),
        *("committee", "address", "external_id", "election_name", "election_date"),
    ),
}
"""The keys a source's ``fields`` may map, per source type: the one list both this check and
the crawlers' header vocabulary (``crawlers/tabular.py``) are held to."""

SLUG = r"^[a-z0-9][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Election(Strict):
    name: str
    date: dt.date


class Detection(Strict):
    """Thresholds that decide when a crawl is trusted and when an absence is news."""

    departure_after_runs: int = Field(2, ge=1, le=30)
    suspicious_drop: float = Field(0.2, gt=0, lt=1)
    accept_drop_after_days: int = Field(3, ge=2, le=60)
    days_back: int = Field(30, ge=0, le=3650)
    days_ahead: int = Field(120, ge=0, le=3650)


class Source(Strict):
    id: str = Field(pattern=SLUG)
    type: SourceType
    platform: str
    url: str | None = None
    client: str | None = None
    base_url: str | None = None
    token: str | None = None
    api_key: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)
    selectors: dict[str, str] = Field(default_factory=dict)
    params: dict[str, str] = Field(default_factory=dict)
    election: Election | None = None
    max_pages: int = Field(1000, ge=1, le=10000)
    departure_after_runs: int | None = Field(None, ge=1, le=30)
    suspicious_drop: float | None = Field(None, gt=0, lt=1)
    accept_drop_after_days: int | None = Field(None, ge=2, le=60)
    days_back: int | None = Field(None, ge=0, le=3650)
    days_ahead: int | None = Field(None, ge=0, le=3650)
    fetch_documents: bool = True

    @model_validator(mode="after")
    def _platform_fits_type(self) -> Source:
        known = platform(self.type, self.platform)
        if known is None:
            raise ValueError(
                f"platform: expected one of {', '.join(platform_names(self.type))} for type "
                f"{self.type}, got {self.platform!r}"
            )
        page_instead = self.type == "agendas" and bool(self.url)  # a Calendar.aspx page
        if self.platform == "legistar" and not self.client and not page_instead:
            raise ValueError(
                "client: a legistar source needs the Legistar Web API client name"
                + (
                    " (or url: its https://CITY.legistar.com/Calendar.aspx page)"
                    if self.type == "agendas"
                    else ""
                )
            )
        if known.needs_url and not self.url:
            raise ValueError(f"url: a {self.platform} source needs a http(s):// or file:// URL")
        if self.url and not self.url.startswith(("http://", "https://", "file://")):
            raise ValueError(f"url: expected http://, https:// or file://, got {self.url!r}")
        _check_fields(self.type, self.fields)
        if self.fields and known.fixed_layout:
            raise ValueError(
                f"fields: a {self.platform} source reads a fixed layout and ignores fields "
                "(remove it; fields is for csv, json and html_table)"
            )
        if self.selectors:
            _check_selectors(self.type, self.platform, known.selectors, self)
        return self

    def detection(self, defaults: Detection) -> Detection:
        """The thresholds for this source: its own where set, else the file's defaults."""
        overrides = {
            key: getattr(self, key)
            for key in Detection.model_fields
            if getattr(self, key) is not None
        }
        return defaults.model_copy(update=overrides)


def _check_fields(source_type: str, fields: dict[str, str]) -> None:
    """A misspelt ``fields`` key would be ignored and its column guessed (or lost) silently."""
    allowed = FIELD_NAMES[source_type]
    if fields and not allowed:
        raise ValueError(f"fields: not used by {source_type} sources (remove it)")
    unknown = [key for key in fields if key not in allowed]
    if not unknown:
        return
    key = unknown[0]
    close = difflib.get_close_matches(key, allowed, n=1)
    if fields[key] in allowed:
        hint = f"reversed? write {fields[key]}: {key}; "
    else:
        hint = f"did you mean {close[0]!r}? " if close else ""
    raise ValueError(
        f"fields.{key}: {', '.join(map(repr, unknown))} "
        f"{'is not a field' if len(unknown) == 1 else 'are not fields'} of a {source_type} "
        f"source; {hint}expected CivicRadar field names ({', '.join(allowed)}) mapped to "
        "the source's headers or keys"
    )


SELECTOR_KEYS = ("record", "next_page")


def _check_selectors(source_type: str, platform_name: str, usable: bool, source: Source) -> None:
    """Selectors replace inference, so each must say something CivicRadar can use."""
    if not usable:
        raise ValueError(
            f"selectors: a {platform_name} source cannot use CSS selectors (they are for "
            "html_table pages; csv and json sources name their columns in fields)"
        )
    if source.fields:
        raise ValueError(
            "selectors: give either fields (a table's headers) or selectors (parts of the "
            "page), not both"
        )
    allowed = (*SELECTOR_KEYS, *FIELD_NAMES[source_type])
    for key, query in source.selectors.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(
                f"selectors.{key}: {key!r} is not a selector key of a {source_type} source; "
                f"{hint}expected record, next_page or a field name ({', '.join(allowed[2:])})"
            )
        problem = css_problem(query)
        if problem:
            raise ValueError(f"selectors.{key}: not a CSS selector ({problem}): {query!r}")
    if "record" not in source.selectors:
        raise ValueError(
            "selectors.record: required: the CSS selector of one person's or candidate's "
            'element (e.g. "div.staff-card"), inside which the other selectors look'
        )
    has_name = "name" in source.selectors or {"first_name", "last_name"} <= source.selectors.keys()
    needed = ["name"] if not has_name else []
    if source_type == "candidate_list" and "office" not in source.selectors:
        needed.append("office")
    if needed:
        raise ValueError(
            f"selectors.{needed[0]}: required: a selector for {' and '.join(needed)} "
            "(inside the record, or above it for a heading per section)"
        )


def css_problem(query: str) -> str | None:
    """Why a CSS selector cannot be used (parsel's dialect: ``::text``, ``::attr(x)``)."""
    from cssselect import SelectorError
    from parsel.csstranslator import css2xpath

    if not query.strip():
        return "empty"
    try:
        css2xpath(query)
    except SelectorError as exc:
        return str(exc) or type(exc).__name__
    return None


class Jurisdiction(Strict):
    id: str = Field(pattern=SLUG)
    name: str
    timezone: str = "UTC"
    sources: list[Source] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _unique_sources(self) -> Jurisdiction:
        seen: set[str] = set()
        for source in self.sources:
            if source.id in seen:
                raise ValueError(f"source id {source.id!r} appears twice")
            seen.add(source.id)
        return self


class Initiative(Strict):
    name: str
    terms: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)


class Recipient(Strict):
    address: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    jurisdictions: list[str] | None = None
    kinds: list[ChangeKind] | None = None
    terms: list[str] | None = None
    webhook: str | None = None
    webhook_secret: str | None = None


class Email(Strict):
    smtp_url: str = Field(pattern=r"^smtps?://")
    sender: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    username: str | None = None
    password: str | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    send_empty: bool = False
    unsubscribe: str | None = None
    subject_prefix: str = "[CivicRadar]"
    starttls: Literal["auto", "require", "never"] = "auto"
    timeout_seconds: float = Field(30, gt=0, le=600)
    lookback_days: int = Field(14, ge=0, le=3650)


class Webhook(Strict):
    url: str = Field(pattern=r"^https?://")
    secret: str | None = None
    jurisdictions: list[str] | None = None
    kinds: list[ChangeKind] | None = None


class Feed(Strict):
    title: str = "CivicRadar changes"
    link: str = "http://localhost:8000/"
    description: str = "Changes detected by CivicRadar"
    max_items: int = Field(200, ge=1, le=10000)


class Alerts(Strict):
    email: Email | None = None
    feed: Feed = Field(default_factory=Feed)
    webhooks: list[Webhook] = Field(default_factory=list)


class Schedule(Strict):
    cron: str = "0 6 * * *"
    timezone: str = "UTC"

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from croniter import croniter

        if len(value.split()) != 5 or not croniter.is_valid(value):
            raise ValueError('expected a 5-field cron expression such as "0 6 * * *"')
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return Jurisdiction._known_zone(value)


class Web(Strict):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    token: str | None = None


class Crawling(Strict):
    """Politeness and robustness of the crawler."""

    user_agent: str = "CivicRadar/0.1 (+https://github.com/civicradar/civicradar)"
    obey_robots: bool = True
    timeout_seconds: float = Field(30, gt=0, le=600)
    retries: int = Field(2, ge=0, le=10)
    concurrency_per_domain: int = Field(2, ge=1, le=32)
    download_delay: float = Field(0.25, ge=0, le=60)
    autothrottle: bool = True


class Config(Strict):
    database: str = "sqlite:///civicradar.db"
    initiative: Initiative
    jurisdictions: list[Jurisdiction] = Field(default_factory=list)
    detection: Detection = Field(default_factory=Detection)
    alerts: Alerts = Field(default_factory=Alerts)
    schedule: Schedule = Field(default_factory=Schedule)
    web: Web = Field(default_factory=Web)
    crawling: Crawling = Field(default_factory=Crawling)

    @model_validator(mode="after")
    def _unique_jurisdictions(self) -> Config:
        seen: set[str] = set()
        for jurisdiction in self.jurisdictions:
            if jurisdiction.id in seen:
                raise ValueError(f"jurisdiction id {jurisdiction.id!r} appears twice")
            seen.add(jurisdiction.id)
        return self

    @model_validator(mode="after")
    def _filters_name_configured_jurisdictions(self) -> Config:
        """A misspelt jurisdiction in a reader's filter would silently send them nothing."""
        known = {jurisdiction.id for jurisdiction in self.jurisdictions}
        email = self.alerts.email
        filters = [
            (f"alerts.email.recipients[{i}].jurisdictions", r.jurisdictions)
            for i, r in enumerate(email.recipients if email else [])
        ] + [
            (f"alerts.webhooks[{i}].jurisdictions", w.jurisdictions)
            for i, w in enumerate(self.alerts.webhooks)
        ]
        for path, ids in filters:
            unknown = [i for i in ids or [] if i not in known]
            if unknown:
                raise ValueError(
                    f"{path}: {', '.join(map(repr, unknown))} is not a configured jurisdiction "
                    f"(expected one of {', '.join(sorted(known)) or 'none configured'})"
                )
        return self

    def zones(self) -> dict[str, str]:
        """Each jurisdiction's time zone: election days, "today" and meeting times are local."""
        return {j.id: j.timezone for j in self.jurisdictions}

    def jurisdiction(self, jurisdiction_id: str) -> Jurisdiction:
        for jurisdiction in self.jurisdictions:
            if jurisdiction.id == jurisdiction_id:
                return jurisdiction
        raise KeyError(jurisdiction_id)
