"""Previewing the digest of any day as HTML: nothing sent, nothing marked in the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from civicradar.alerts.deliver import deliver
from civicradar.alerts.preview import write_preview
from civicradar.models.tables import Delivery

from .conftest import DAY1, DAY2, add_change

READERS = [
    {"address": "all@example.org"},
    {"address": "spring@example.org", "jurisdictions": ["springfield"]},
]


def _config(config_for, smtp_server):
    return config_for(
        email={"smtp_url": smtp_server.url, "sender": "radar@example.org", "recipients": READERS}
    )


def _ledger_rows(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count(Delivery.id)))


def _shown(path) -> set[int]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return {int(li["data-change"]) for li in soup.select("li[data-change]")}


def test_preview_writes_the_day_as_html_and_sends_or_marks_nothing(
    store, seeded, config_for, smtp_server, tmp_path
):
    config = _config(config_for, smtp_server)
    path = tmp_path / "preview" / "digest.html"
    preview = write_preview(store, config, DAY1.date(), path, recipient="all@example.org")
    assert preview.changes == 4 and preview.path == path
    assert _shown(path) == set(seeded.values())
    assert smtp_server.messages == [] and _ledger_rows(store) == 0
    # Previewing took nothing away from the real digest.
    assert deliver(store, config, DAY1).sent["all@example.org"] == 4


def test_preview_of_a_day_already_sent_shows_that_days_digest(
    store, seeded, config_for, smtp_server, tmp_path
):
    config = _config(config_for, smtp_server)
    deliver(store, config, DAY1)
    later = add_change(store, "staff_arrival", "New staff: Lee Park (Planner)", at=DAY2)
    rows = _ledger_rows(store)
    sent_day = write_preview(store, config, DAY1.date(), tmp_path / "d1.html", "all@example.org")
    assert _shown(sent_day.path) == set(seeded.values())
    next_day = write_preview(store, config, DAY2.date(), tmp_path / "d2.html", "all@example.org")
    assert _shown(next_day.path) == {later}  # not what went out the day before
    assert _ledger_rows(store) == rows and len(smtp_server.messages) == 2


def test_preview_applies_the_readers_filters_and_names_unknown_readers(
    store, seeded, config_for, smtp_server, tmp_path
):
    config = _config(config_for, smtp_server)
    spring = write_preview(store, config, DAY1.date(), tmp_path / "s.html", "spring@example.org")
    assert _shown(spring.path) == {seeded["candidate"], seeded["departure"], seeded["agenda"]}
    with pytest.raises(ValueError, match=r"alerts\.email\.recipients: no recipient"):
        write_preview(store, config, DAY1.date(), tmp_path / "x.html", "nobody@example.org")


def test_preview_without_email_configured_shows_every_change_of_the_window(
    store, seeded, config_for, tmp_path
):
    add_change(store, "staff_arrival", "Too late for this day", at=DAY2 + dt.timedelta(days=1))
    preview = write_preview(store, config_for(), DAY2.date(), tmp_path / "p.html")
    assert _shown(preview.path) == set(seeded.values())
    html = preview.path.read_text(encoding="utf-8")
    assert "every change" in BeautifulSoup(html, "html.parser").get_text()
    assert "Unsubscribe" not in html
