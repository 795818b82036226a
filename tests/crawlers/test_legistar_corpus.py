"""Captured Legistar Web API replies (../shared/corpus/agendas/legistar-api) parse into records.

The folder is not captured yet; the test skips until it exists. It then reads every JSON
reply: event lists must each become meetings with dates (and zoned starts when a time is
given), event item lists must become agenda items.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest

from civicradar.crawlers.legistar import agenda_item, meeting

pytestmark = pytest.mark.corpus


def test_captured_legistar_replies_parse_into_meetings_and_items(corpus):
    folder = corpus / "agendas" / "legistar-api"
    if not folder.is_dir():
        pytest.skip(f"{folder} not captured yet")
    replies = sorted(folder.rglob("*.json"))
    assert replies, f"no JSON replies in {folder}"
    zone = ZoneInfo("America/Chicago")
    for path in replies:
        rows = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(rows, list) or not rows:
            continue
        if "EventDate" in rows[0]:
            meetings = [meeting(row, zone, []) for row in rows]
            assert all(m is not None for m in meetings), path.name
            for m, row in zip(meetings, rows, strict=True):
                assert m.meeting_date.isoformat() == row["EventDate"][:10]
                assert m.start is None or m.start.tzinfo is not None
        elif "EventItemId" in rows[0]:
            titled = [row for row in rows if row.get("EventItemTitle")]
            items = [agenda_item(row) for row in titled]
            assert all(item is not None for item in items), path.name
