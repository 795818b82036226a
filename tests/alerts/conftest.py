"""Fixtures for the alert tests: a store with a few changes, hostile text included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from civicradar.config.loader import parse_config
from civicradar.config.schema import Config
from civicradar.models.store import ChangeDraft, Store, record_change
from civicradar.models.tables import Change, Jurisdiction

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'
DAY1 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
DAY2 = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)


def make_config(database: str, **alerts: Any) -> Config:
    """A config with two jurisdictions; ``alerts`` is merged into the alerts section."""
    import yaml

    data = {
        "database": database,
        "initiative": {"name": "Early Learning", "terms": ["child care"]},
        "jurisdictions": [
            {"id": "springfield", "name": "City of Springfield", "timezone": "America/Chicago"},
            {"id": "shelbyville", "name": "Shelbyville", "timezone": "America/Chicago"},
        ],
        "alerts": {"feed": {"title": "Radar", "link": "https://radar.example.org/"}, **alerts},
        "schedule": {"cron": "0 6 * * *", "timezone": "America/Chicago"},
    }
    return parse_config(yaml.safe_dump(data))


def add_change(
    store: Store,
    kind: str,
    summary: str,
    *,
    jurisdiction: str = "springfield",
    data: dict[str, Any] | None = None,
    url: str | None = "https://springfield.example.gov/item",
    importance: int = 50,
    at: dt.datetime = DAY1,
    key: str | None = None,
) -> int:
    """Record one change through the store's own dedupe path and return its id."""
    with store.session() as session:
        if session.get(Jurisdiction, jurisdiction) is None:
            session.add(Jurisdiction(id=jurisdiction, name=jurisdiction.title(), timezone="UTC"))
            session.flush()
        change = record_change(
            session,
            ChangeDraft(
                kind=kind,
                jurisdiction_id=jurisdiction,
                dedupe_key=key or f"{kind}:{jurisdiction}:{summary}",
                summary=summary,
                source_key="src",
                url=url,
                data=data or {},
                importance=importance,
            ),
            detected_at=at,
        )
        assert change is not None
        return change.id


def seed_day_one(store: Store) -> dict[str, int]:
    """A realistic morning: a candidate (with a home address), a departure, an agenda match."""
    ids = {
        "candidate": add_change(
            store,
            "new_candidate",
            "Jane Roe filed for City Council Ward 3",
            data={
                "name": "Jane Roe",
                "office": "City Council",
                "district": "Ward 3",
                "election_date": "2027-04-06",
                "filed_on": "2026-03-01",
                "email": "jane@roe2027.example",
                "phone": "555-0100",
                "address": "742 Evergreen Terrace",
            },
            importance=90,
        ),
        "departure": add_change(
            store,
            "staff_departure",
            "Pat Smith left Planning",
            data={"name": "Pat Smith", "title": "Planner", "department": "Planning"},
            importance=80,
        ),
        "agenda": add_change(
            store,
            "agenda_match",
            "Child care grant on the Council agenda",
            data={
                "body": "City Council",
                "meeting_date": "2026-03-10",
                "item_title": "Child care facilities grant",
                "matched_terms": ["child care"],
                "snippet": "expand child care capacity",
            },
            importance=70,
        ),
        "hostile": add_change(
            store,
            "agenda_match",
            HOSTILE,
            jurisdiction="shelbyville",
            data={"item_title": HOSTILE, "meeting_date": "2026-03-12", "body": HOSTILE},
            url="javascript:alert(3)",
        ),
    }
    return ids


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'alerts.db'}")
    yield store
    store.close()


@pytest.fixture
def seeded(store: Store) -> dict[str, int]:
    return seed_day_one(store)


@pytest.fixture
def config_for(tmp_path: Path) -> Callable[..., Config]:
    def build(**alerts: Any) -> Config:
        return make_config(f"sqlite:///{tmp_path / 'alerts.db'}", **alerts)

    return build


def change_ids(store: Store) -> list[int]:
    from sqlalchemy import select

    with store.session() as session:
        return list(session.scalars(select(Change.id).order_by(Change.id)))


# --- a real SMTP server in the test process -------------------------------------------


class SmtpRecorder:
    """aiosmtpd handler keeping every accepted message; ``refuse_after`` simulates an outage."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_after: int | None = None
        self.refusal = "451 4.3.0 Temporary failure, try again later"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes, policy

        if self.refuse_after is not None and len(self.messages) >= self.refuse_after:
            return self.refusal
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.recorder = SmtpRecorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.running = False

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[Any]:
        return self.recorder.messages

    def start(self) -> SmtpServer:
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False


@pytest.fixture
def smtp_server() -> SmtpServer:
    server = SmtpServer().start()
    yield server
    server.stop()
