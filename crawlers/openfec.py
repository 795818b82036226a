"""``platform: openfec`` — federal candidates from the FEC's OpenFEC API (``/v1/candidates/``).

Facts of the API this module honours: every call needs an ``api_key`` (api.data.gov);
replies are ``{"api_version", "pagination": {"count", "page", "pages", "per_page"},
"results": [...]}`` with at most 100 results a page (``page``/``per_page``); seek-paged
endpoints answer ``pagination.last_indexes`` instead, whose keys are sent back as query
parameters. Today's candidate is flat (``name`` "LAST, FIRST", ``office``/``office_full``,
``state``, ``district`` "00" for at-large and Senate, ``party_full``, ``candidate_status``
C/F/N/P, ``election_years``, ``first_file_date``, ``incumbent_challenge``,
``principal_committees``); the early v0.2 reply nests ``name.full_name`` and a list of
``elections`` whose ``election_year`` may be a float (2012.0). Both are read.

The key is sent as a query parameter and never written into problems or logs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.table_records import parse_date
from civicradar.models.records import CandidateRecord

DEFAULT_BASE_URL = "https://api.open.fec.gov/v1"
PER_PAGE = 100  # the API's maximum page size
OFFICES = {"H": "U.S. House", "S": "U.S. Senate", "P": "President"}
STATUSES = {
    "C": "statutory candidate",
    "F": "future candidate",
    "N": "not yet a candidate",
    "P": "prior candidate",
}


def general_election_day(year: int) -> dt.date:
    """The federal general election: the Tuesday after the first Monday in November."""
    first = dt.date(year, 11, 1)
    monday = first + dt.timedelta(days=(0 - first.weekday()) % 7)
    return monday + dt.timedelta(days=1)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _year(value: Any) -> int | None:
    """Election years come as 2014, "2014" or (v0.2) 2012.0."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _name(result: Mapping[str, Any]) -> str | None:
    name = result.get("name")
    if isinstance(name, Mapping):
        return _text(name.get("full_name")) or _text(
            " ".join(filter(None, (name.get("name_1"), name.get("name_2"))))
        )
    return _text(name)


def _district(office: str | None, state: str | None, district: Any) -> str | None:
    """House seats as "MA-06" ("MA-at large" for 00), Senate seats as the state."""
    if office == "H" and state:
        number = _text(district)
        return f"{state}-{'at large' if number in (None, '00', '0') else number}"
    if office == "S":
        return state
    return None


def _committee(result: Mapping[str, Any], election: Mapping[str, Any]) -> str | None:
    committees = result.get("principal_committees") or []
    if committees and isinstance(committees[0], Mapping):
        return _text(committees[0].get("name")) or _text(committees[0].get("committee_id"))
    primary = election.get("primary_committee")
    if isinstance(primary, Mapping):
        return _text(primary.get("name")) or _text(primary.get("committee_id"))
    return None


def _elections(result: Mapping[str, Any], wanted: set[int]) -> list[dict[str, Any]]:
    """One dict of election facts per election the result stands in: the v0.2 ``elections``
    list, or today's flat result for the wanted year (else its latest year)."""
    nested = result.get("elections")
    if isinstance(nested, list) and nested:
        found = [dict(e) for e in nested if isinstance(e, Mapping)]
        for election in found:
            election["election_year"] = _year(election.get("election_year"))
        return [e for e in found if not wanted or e["election_year"] in wanted]
    years = {y for y in map(_year, result.get("election_years") or []) if y}
    single = _year(result.get("election_year"))
    if single:
        years.add(single)
    chosen = sorted(years & wanted) if wanted else sorted(years)[-1:]
    flat = {k: v for k, v in result.items() if k not in ("elections", "election_years")}
    if not chosen:
        return [] if wanted and years else [{**flat, "election_year": None}]
    return [{**flat, "election_year": year} for year in chosen]


def candidate_records(
    result: Mapping[str, Any], wanted: set[int], election: Any = None
) -> Iterator[CandidateRecord]:
    """The candidacies one API result describes (usually one)."""
    name = _name(result)
    if not name:
        return
    for facts in _elections(result, wanted):
        office_code = _text(facts.get("office")) or _text(facts.get("office_sought"))
        office = (
            OFFICES.get(office_code or "")
            or _text(facts.get("office_full"))
            or _text(facts.get("office_sought_full"))
        )
        if not office:
            continue
        state = _text(facts.get("state"))
        year = facts.get("election_year")
        election_date = general_election_day(year) if year else None
        election_name = f"{year} federal general election" if year else None
        if election is not None and (year is None or election.date.year == year):
            election_name, election_date = election.name, election.date
        status_code = _text(facts.get("candidate_status"))
        status = _text(facts.get("candidate_status_full")) or STATUSES.get(status_code or "")
        challenge = _text(facts.get("incumbent_challenge_full")) or _text(
            facts.get("incumbent_challenge")
        )
        extra = {
            "state": state,
            "incumbent_challenge": {"I": "incumbent", "C": "challenger", "O": "open seat"}.get(
                challenge or "", challenge
            ),
            "candidate_status_code": status_code,
            "election_year": str(year) if year else None,
        }
        yield CandidateRecord(
            name=name,
            office=office,
            district=_district(office_code, state, facts.get("district")),
            party=_text(facts.get("party_full"))
            or _text(facts.get("party_affiliation"))
            or _text(facts.get("party")),
            status=status,
            filed_on=parse_date(_text(facts.get("first_file_date"))),
            election_name=election_name,
            election_date=election_date,
            committee=_committee(result, facts),
            external_id=_text(result.get("candidate_id")),
            extra={k: v for k, v in extra.items() if v},
        )


class OpenFecSpider(SourceSpider):
    """Pages through ``/candidates/`` with the source's filters (state, district, office,
    election_year, cycle, candidate_status ...) taken from ``params``."""

    async def start(self) -> AsyncIterator[Any]:
        if not self.source.api_key:
            self.outcome.fail(
                "OpenFEC needs an API key: set api_key on the source or OPENFEC_API_KEY"
            )
            return
        yield self.page_request({"page": 1}, 1)

    @property
    def wanted_years(self) -> set[int]:
        params = self.source.params
        years = {_year(params.get("election_year")), _year(params.get("cycle"))}
        return {y for y in years if y}

    def api_url(self, extra: dict[str, Any]) -> str:
        base = (self.source.base_url or DEFAULT_BASE_URL).rstrip("/")
        query = {"per_page": PER_PAGE, "sort": "name", **self.source.params, **extra}
        query["api_key"] = self.source.api_key
        return f"{base}/candidates/?{urlencode(query, doseq=True)}"

    def page_request(self, extra: dict[str, Any], number: int) -> Any:
        return self.request(
            self.api_url(extra),
            self.parse,
            cb_kwargs={"number": number},
            meta={"handle_httpstatus_all": True},
            dont_filter=True,
        )

    def request_failed(self, failure: Any) -> None:
        request = getattr(failure, "request", None)
        where = request.url.split("?")[0] if request is not None else "OpenFEC"
        self.outcome.fail(f"{failure.type.__name__} fetching {where}: {failure.getErrorMessage()}")

    def parse(self, response: Any, number: int) -> Iterator[Any]:
        reply = self.read_reply(response)
        if reply is None:
            return
        wanted = self.wanted_years
        for result in reply["results"]:
            if not isinstance(result, Mapping):
                continue
            try:
                yield from candidate_records(result, wanted, self.source.election)
            except (ValidationError, ValueError) as exc:
                self.outcome.suspect(f"candidate {result.get('candidate_id')} unreadable: {exc}")
        yield from self.next_page(reply.get("pagination") or {}, number, bool(reply["results"]))

    def next_page(
        self, pagination: Mapping[str, Any], number: int, had_rows: bool
    ) -> Iterator[Any]:
        last_indexes = pagination.get("last_indexes")
        pages = _year(pagination.get("pages")) or 1
        more = bool(last_indexes) if "last_indexes" in pagination else number < pages
        if not more or not had_rows:
            return
        if number >= self.source.max_pages:
            self.outcome.suspect(
                f"OpenFEC list has more pages than max_pages ({self.source.max_pages}); "
                "the list is incomplete, so absences are not read as withdrawals"
            )
            return
        extra = dict(last_indexes) if last_indexes else {"page": number + 1}
        yield self.page_request(extra, number + 1)

    def read_reply(self, response: Any) -> dict[str, Any] | None:
        """The reply as a dict with a ``results`` list, or None after recording why not."""
        reply = self.json_reply(response, "OpenFEC", _message)
        if reply is None:
            return None
        where = response.url.split("?")[0]
        if not isinstance(reply, dict) or not isinstance(reply.get("results"), list):
            self.outcome.fail(f"no results list in the reply from {where}")
            return None
        return reply


def _message(response: Any) -> str:
    """api.data.gov explains errors as ``{"error": {"code", "message"}}``; OpenFEC as
    ``{"message"}``."""
    try:
        body = json.loads(response.body)
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    message = error.get("message") if isinstance(error, dict) else body.get("message")
    return f": {message}" if message else ""
