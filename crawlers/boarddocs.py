"""``platform: boarddocs`` for ``type: agendas`` — a BoardDocs site (``…/ST/ORG/Board.nsf``).

A BoardDocs site can be read two ways, and the spider uses the first one the site serves:

1. **The XML export** ``Board.nsf/XML-ActiveMeetings``: every active meeting with its
   agenda (``meeting`` > ``category`` > ``agendaitems`` > ``item``) in one conditional
   GET. Real exports are not always well-formed (a ``</category>`` closing an element
   that was never opened); such a file is read with lxml's recovering HTML parser, which
   keeps every meeting where the recovering XML parser stops at the fault. A file cut
   before ``</meetings>`` or whose root is not ``meetings`` fails the run.
2. **The meetings list** behind the ``Board.nsf/Public`` page (a JavaScript shell), when
   the export answers 403/404/410 or an HTML page: the committees are read from that
   page, ``POST BD-GetMeetingsList?open`` (form field ``current_committee_id``) lists
   each committee's meetings, and for meetings new to the store or not yet held,
   ``POST BD-GetMeeting?open`` (the notice: time) and ``POST BD-GetAgenda?open`` (the
   items) are read. Meetings already held and stored keep their items.

BoardDocs items are real agenda items ("1.1 Roll Call", with ids), not a document split.
Times are not fields of their own: the notice's text gives them ("Monday, August 12, 2019,
at 5:30 p.m."), taken only after the meeting's own date, or as the first time in a notice
that names no date. Meetings named "… Archive" are BoardDocs' folders of past years'
documents, not meetings, and are skipped. The parsing lives in ``crawlers/boarddocs_pages.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from civicradar.crawlers import boarddocs_pages as pages
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.conditional import ConditionalFetching
from civicradar.models.records import BodyRecord, MeetingRecord

_BOARD = re.compile(r"^(https?://[^?#]*?/board\.nsf)(?:[/?#].*)?$", re.IGNORECASE)
_FORM = {
    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    "X-Requested-With": "XMLHttpRequest",
}
_NOT_SERVED = (403, 404, 405, 410)


def board_base(url: str) -> str | None:
    """``https://go.boarddocs.com/ST/ORG/Board.nsf`` from any address inside the site."""
    found = _BOARD.match(url.strip())
    return found.group(1) if found else None


class BoardDocsAgendaSpider(ConditionalFetching, SourceSpider):
    """The XML export in one request, else the meetings list of each committee."""

    base: str = ""

    async def start(self) -> AsyncIterator[Any]:
        base = board_base(self.source.url or "")
        if base is None:
            self.outcome.fail(
                f"url: expected a BoardDocs address ending in /Board.nsf, got {self.source.url!r}"
            )
            return
        self.base = base
        yield self.request(
            f"{base}/XML-ActiveMeetings",
            self.read_export,
            headers=self.conditional_headers(),
            meta={"handle_httpstatus_list": [304, *_NOT_SERVED]},
            dont_filter=True,
        )

    # --- 1. the XML export ------------------------------------------------------------

    def read_export(self, response: Any) -> Iterator[Any]:
        if self.not_modified(response):
            return
        if response.status in _NOT_SERVED or pages.is_html_page(response.body):
            yield self.request(f"{self.base}/Public", self.read_public_page, dont_filter=True)
            return
        meetings, problem = pages.read_export(response.body)
        if meetings is None:
            self.outcome.fail(f"{problem} at {response.url}")
            return
        if not meetings:
            self.outcome.suspect(f"the BoardDocs export at {response.url} lists no meetings")
            return
        first, last = self.job.meeting_window
        bodies: set[str] = set()
        for element in meetings:
            try:
                record = pages.export_meeting(element, self.base, self.job.zone)
            except (ValidationError, ValueError) as exc:
                self.outcome.suspect(f"meeting {element.get('id')} unreadable: {exc}")
                continue
            if record is None or not first <= record.meeting_date <= last:
                continue
            yield from self._with_body(record, bodies)
            yield record
        self.remember_validators(response)

    # --- 2. the meetings list ---------------------------------------------------------

    def read_public_page(self, response: Any) -> Iterator[Any]:
        committees = pages.committees(response.text)
        if not committees:
            self.outcome.fail(
                f"not a BoardDocs site at {response.url}: no XML export and no committees "
                "on its public page"
            )
            return
        self.another_page()
        for committee_id, name in committees.items():
            yield self._post(
                "BD-GetMeetingsList",
                {"current_committee_id": committee_id},
                self.read_meetings_list,
                committee_id=committee_id,
                committee=name,
            )

    def read_meetings_list(self, response: Any, committee_id: str, committee: str) -> Iterator[Any]:
        try:
            rows = json.loads(response.body)
        except ValueError as exc:
            self.outcome.fail(f"BD-GetMeetingsList for {committee} is not JSON: {exc}")
            return
        if not isinstance(rows, list) or not any(isinstance(r, dict) and r for r in rows):
            self.outcome.fail(f"BD-GetMeetingsList for {committee} listed no meetings")
            return
        first, last = self.job.meeting_window
        bodies: set[str] = set()
        for row in rows:
            try:
                record = pages.list_meeting(row, committee_id, committee, self.base)
            except (ValidationError, ValueError) as exc:
                self.outcome.suspect(f"meeting {row.get('unique')} unreadable: {exc}")
                continue
            if record is None or not first <= record.meeting_date <= last:
                continue
            yield from self._with_body(record, bodies)
            if self.job.state.known_meeting(record.external_id) and (
                record.meeting_date < self.job.today
            ):
                yield record  # held and stored: its items are kept as they are
                continue
            form = {"id": record.external_id, "current_committee_id": committee_id}
            yield self._post("BD-GetMeeting", form, self.read_notice, record=record)

    def read_notice(self, response: Any, record: MeetingRecord) -> Iterator[Any]:
        record.start = pages.notice_start(response.text, record.meeting_date, self.job.zone)
        form = {"id": record.external_id, "current_committee_id": record.body_external_id}
        yield self._post("BD-GetAgenda", form, self.read_agenda, record=record)

    def read_agenda(self, response: Any, record: MeetingRecord) -> Iterator[Any]:
        record.items = pages.agenda_items(response.text)
        record.items_fetched = True
        yield record

    def _post(self, agent: str, form: dict[str, str], callback: Any, **kwargs: Any) -> Any:
        return self.request(
            f"{self.base}/{agent}?open",
            callback,
            method="POST",
            body=urlencode(form),
            headers=_FORM,
            cb_kwargs=kwargs,
            dont_filter=True,
        )

    def _with_body(self, record: MeetingRecord, bodies: set[str]) -> Iterator[BodyRecord]:
        key = record.body_external_id or ""
        if key and key not in bodies:
            bodies.add(key)
            yield BodyRecord(external_id=key, name=record.body_name)
