"""Digest rendering benchmark: one reader's message for N realistic changes.

Run: .venv/bin/python bench/digest_render.py [CHANGES]
Agenda matches (time, place, PDF, terms to mark, a snippet), new candidates (contacts
to link) and meeting changes, as the monitors record them; prints the best of three
``compose`` calls (both parts: marking, links, wrapping) and the message size.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from civicradar.alerts.digest import compose
from civicradar.config.loader import parse_config
from civicradar.models.store import ChangeDraft, Store, record_change
from civicradar.models.tables import Change, Jurisdiction

NOW = dt.datetime(2026, 3, 4, 14, tzinfo=dt.UTC)
KINDS = ("agenda_match", "new_candidate", "meeting_change")


def change_data(i: int) -> dict[str, Any]:
    day = f"2026-03-{1 + i % 28:02d}"
    return {
        "body": "City Council",
        "meeting_date": day,
        "start": f"{day}T18:30:00-06:00",
        "location": "Council Chambers, City Hall",
        "agenda_url": f"https://example.gov/agendas/{i}.pdf",
        "item_title": f"Child-care facilities grant {i} and pre-k seats",
        "matched_terms": ["child care", "pre-k"],
        "snippet": f"Grant {i}. The council will fund child care seats next year. Other text.",
        "matched_items": [f"Child-care facilities grant {i}"],
        "what": "cancelled",
        "name": f"Candidate {i}",
        "office": "Council Member",
        "district": "Ward 2",
        "email": f"c{i}@campaign.example",
        "phone": "(312) 555-0100",
        "website": "https://campaign.example",
    }


def main(count: int) -> None:
    database = f"sqlite:///{Path(tempfile.mkdtemp(prefix='civicradar-bench-')) / 'b.db'}"
    store = Store(database)
    with store.session() as session:
        session.add(Jurisdiction(id="springfield", name="Springfield", timezone="UTC"))
        session.flush()
        for i in range(count):
            draft = ChangeDraft(
                kind=KINDS[i % len(KINDS)],
                jurisdiction_id="springfield",
                dedupe_key=f"bench:{i}",
                summary=f"Change {i} about child care",
                source_key="bench",
                url=f"https://example.gov/item/{i}",
                data=change_data(i),
                importance=50,
            )
            record_change(session, draft, detected_at=NOW - dt.timedelta(minutes=i))
    settings = {
        "database": database,
        "initiative": {"name": "Bench", "terms": ["child care", "pre-k"]},
        "jurisdictions": [
            {"id": "springfield", "name": "Springfield", "timezone": "America/Chicago"}
        ],
        "alerts": {
            "email": {
                "smtp_url": "smtp://127.0.0.1:1",
                "sender": "radar@example.org",
                "recipients": [{"address": "reader@example.org"}],
            }
        },
    }
    config = parse_config(yaml.safe_dump(settings))
    assert config.alerts.email is not None
    reader = config.alerts.email.recipients[0]
    with store.session() as session:
        changes = list(session.scalars(select(Change)))
        best, size = float("inf"), 0
        for _ in range(3):
            start = time.perf_counter()
            message = compose(
                config, reader, changes, day=NOW.date(), batch="bench", names={}, now=NOW
            )
            best = min(best, time.perf_counter() - start)
            size = len(bytes(message))
    store.close()
    print(f"{f'compose one digest of {count} changes':<52} {best:8.3f} s")
    print(f"{'  per change':<52} {best / count * 1000:8.3f} ms")
    print(f"{'  message size':<52} {size / 1e6:8.2f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
