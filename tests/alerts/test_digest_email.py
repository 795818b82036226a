"""The daily digest, delivered to a real SMTP server (aiosmtpd) running in the test process."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from civicradar.alerts import ledger
from civicradar.alerts.deliver import deliver
from civicradar.models.tables import Delivery

from .conftest import DAY1, DAY2, HOSTILE, SmtpServer, add_change

RECIPIENTS = [
    {"address": "all@example.org"},
    {
        "address": "spring@example.org",
        "jurisdictions": ["springfield"],
        "kinds": ["new_candidate", "agenda_match"],
    },
    {"address": "terms@example.org", "terms": ["CHILD CARE"]},
    {"address": "zoning@example.org", "terms": ["zoning"]},
]


def email_config(smtp_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "smtp_url": smtp_url,
        "sender": "radar@example.org",
        "recipients": RECIPIENTS,
        **extra,
    }


def parts(message: Any) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_each_reader_gets_one_digest_with_only_the_changes_matching_their_filters(
    store, seeded, config_for, smtp_server
):
    config = config_for(email=email_config(smtp_server.url))
    summary = deliver(store, config, DAY1)
    assert summary.sent == {"all@example.org": 4, "spring@example.org": 2, "terms@example.org": 1}
    assert summary.failed == {}
    assert sorted(rcpt for _, rcpts in smtp_server.recorder.envelopes for rcpt in rcpts) == [
        "all@example.org",
        "spring@example.org",
        "terms@example.org",
    ]
    spring = smtp_server.recorder.to("spring@example.org")[0]
    text, _html = parts(spring)
    assert "Jane Roe filed" in text and "Child care grant" in text
    assert "Pat Smith" not in text and "Shelbyville" not in text
    terms_text, _ = parts(smtp_server.recorder.to("terms@example.org")[0])
    assert "Child care grant" in terms_text and "Jane Roe" not in terms_text
    assert "zoning@example.org" not in {m["To"] for m in smtp_server.messages}


def test_digest_is_multipart_grouped_by_place_and_kind_most_important_first(
    store, seeded, config_for, smtp_server
):
    deliver(store, config_for(email=email_config(smtp_server.url)), DAY1)
    message = smtp_server.recorder.to("all@example.org")[0]
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Subject"] == (
        "[CivicRadar] Mon 02 Mar 2026: 4 changes "
        "(1 new candidate, 1 departure, 2 agenda items on the initiative)"
    )
    text, html = parts(message)
    soup = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")] == ["City of Springfield", "Shelbyville"]
    springfield = soup.find("h2")
    kinds = []
    for sibling in springfield.find_next_siblings():
        if sibling.name == "h2":
            break
        if sibling.name == "h3":
            kinds.append(sibling.get_text())
    assert kinds == ["New candidates", "Departures", "Agenda items on the initiative"]
    assert text.index("Jane Roe") < text.index("Pat Smith") < text.index("Child care grant")
    # Every change carries its source link; agenda matches carry their hearing date.
    links = [a["href"] for a in soup.select("li[data-change] a")]
    assert links.count("https://springfield.example.gov/item") == 3
    assert "Hearing date: 2026-03-10" in text
    assert "Source: https://springfield.example.gov/item" in text


def test_hostile_crawled_text_is_escaped_and_never_becomes_markup(
    store, seeded, config_for, smtp_server
):
    deliver(store, config_for(email=email_config(smtp_server.url)), DAY1)
    text, html = parts(smtp_server.recorder.to("all@example.org")[0])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert "&lt;script&gt;" in html and "<script" not in html
    assert HOSTILE in soup.get_text()
    assert not any(a["href"].startswith("javascript:") for a in soup.find_all("a"))
    assert HOSTILE in text  # the plain part is text: shown as crawled, inert


def test_home_address_never_reaches_email_but_campaign_contacts_do(
    store, seeded, config_for, smtp_server
):
    deliver(store, config_for(email=email_config(smtp_server.url)), DAY1)
    raw = bytes(smtp_server.recorder.to("all@example.org")[0])
    text, html = parts(smtp_server.recorder.to("all@example.org")[0])
    assert b"Evergreen" not in raw and "Evergreen" not in text + html
    assert "jane@roe2027.example" in text and "555-0100" in html


def test_unsubscribe_header_and_footer_say_why_the_reader_got_it(
    store, seeded, config_for, smtp_server
):
    config = config_for(
        email=email_config(
            smtp_server.url, unsubscribe="https://radar.example.org/unsubscribe?who={address}"
        )
    )
    deliver(store, config, DAY1)
    message = smtp_server.recorder.to("spring@example.org")[0]
    assert message["List-Unsubscribe"].strip() == (
        "<https://radar.example.org/unsubscribe?who=spring@example.org>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    assert "spring@example.org is subscribed to CivicRadar alerts for City of Springfield; " in text
    assert "new candidates, agenda items on the initiative" in text
    assert "Unsubscribe" in BeautifulSoup(html, "html.parser").get_text()


def test_default_unsubscribe_is_a_mailto_to_the_sender(store, seeded, config_for, smtp_server):
    deliver(store, config_for(email=email_config(smtp_server.url)), DAY1)
    message = smtp_server.recorder.to("terms@example.org")[0]
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<mailto:radar@example.org?subject=unsubscribe")
    )
    assert message["List-Unsubscribe-Post"] is None
    assert "“CHILD CARE”" in parts(message)[0]


def test_second_run_sends_nothing_and_a_later_change_goes_out_alone(
    store, seeded, config_for, smtp_server
):
    config = config_for(email=email_config(smtp_server.url))
    deliver(store, config, DAY1)
    assert len(smtp_server.messages) == 3
    assert deliver(store, config, DAY1 + dt.timedelta(hours=2)).sent == {}
    assert len(smtp_server.messages) == 3
    add_change(store, "new_candidate", "Sam Poe filed for Mayor", importance=90, at=DAY2)
    summary = deliver(store, config, DAY2)
    assert summary.sent == {"all@example.org": 1, "spring@example.org": 1}
    newest = smtp_server.recorder.to("all@example.org")[-1]
    text, _ = parts(newest)
    assert "Sam Poe" in text and "Jane Roe" not in text
    assert "Tue 03 Mar 2026: 1 change (1 new candidate)" in newest["Subject"]


def test_at_most_one_digest_per_reader_per_day(store, seeded, config_for, smtp_server):
    config = config_for(email=email_config(smtp_server.url))
    deliver(store, config, DAY1)
    add_change(store, "staff_departure", "Kim Lee left Parks", at=DAY1 + dt.timedelta(hours=1))
    assert deliver(store, config, DAY1 + dt.timedelta(hours=1)).sent == {}
    summary = deliver(store, config, DAY2)
    assert summary.sent == {"all@example.org": 1}


def _ledger(store) -> list[Delivery]:
    with store.session() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def test_smtp_down_loses_nothing_and_next_run_sends_each_change_once(
    store, seeded, config_for, smtp_server
):
    config = config_for(email=email_config(smtp_server.url))
    smtp_server.stop()
    summary = deliver(store, config, DAY1)
    assert set(summary.failed) == {"all@example.org", "spring@example.org", "terms@example.org"}
    rows = _ledger(store)
    assert len(rows) == 7 and {r.status for r in rows} == {"failed"}
    assert {r.attempts for r in rows} == {1}
    back = SmtpServer()
    back.port = smtp_server.port
    from aiosmtpd.controller import Controller

    back.controller = Controller(back.recorder, hostname="127.0.0.1", port=back.port)
    back.start()
    try:
        summary = deliver(store, config, DAY1 + dt.timedelta(hours=1))
        assert summary.sent == {
            "all@example.org": 4,
            "spring@example.org": 2,
            "terms@example.org": 1,
        }
        assert deliver(store, config, DAY2).sent == {}
        assert len(back.messages) == 3
    finally:
        back.stop()
    rows = _ledger(store)
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {2}


def test_server_refusing_mid_run_duplicates_nothing(store, seeded, config_for, smtp_server):
    config = config_for(email=email_config(smtp_server.url))
    smtp_server.recorder.refuse_after = 1
    summary = deliver(store, config, DAY1)
    assert summary.sent == {"all@example.org": 4}
    assert set(summary.failed) == {"spring@example.org", "terms@example.org"}
    assert "451" in summary.failed["spring@example.org"]
    smtp_server.recorder.refuse_after = None
    summary = deliver(store, config, DAY1 + dt.timedelta(hours=3))
    assert summary.sent == {"spring@example.org": 2, "terms@example.org": 1}
    assert deliver(store, config, DAY2).sent == {}
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "all@example.org",
        "spring@example.org",
        "terms@example.org",
    ]


def test_crash_after_smtp_accepted_resends_same_message_id(
    store, seeded, config_for, smtp_server, monkeypatch: pytest.MonkeyPatch
):
    """The one window no transaction can close: the server took the message, then we died.

    The retry must be the same message (same Message-ID, same changes) so it is
    recognisable as a duplicate, and nothing may be lost."""
    config = config_for(email=email_config(smtp_server.url, recipients=[RECIPIENTS[1]]))

    def die(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt("killed between SMTP acceptance and commit")

    monkeypatch.setattr(ledger, "mark_sent", die)
    with pytest.raises(KeyboardInterrupt):
        deliver(store, config, DAY1)
    monkeypatch.undo()
    rows = _ledger(store)
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    assert len({r.batch for r in rows}) == 1
    add_change(store, "new_candidate", "Late filer", at=DAY1 + dt.timedelta(minutes=5))
    deliver(store, config, DAY1 + dt.timedelta(minutes=10))
    first, resent = smtp_server.messages
    assert first["Message-ID"] == resent["Message-ID"]
    assert parts(first)[0] == parts(resent)[0]
    assert "Late filer" not in parts(resent)[0]
    deliver(store, config, DAY2)
    assert len(smtp_server.messages) == 3
    assert "Late filer" in parts(smtp_server.messages[2])[0]
    assert deliver(store, config, DAY2 + dt.timedelta(days=1)).sent == {}


def test_nothing_new_sends_nothing_unless_send_empty(store, config_for, smtp_server):
    assert deliver(store, config_for(email=email_config(smtp_server.url)), DAY1).sent == {}
    assert smtp_server.messages == []
    config = config_for(
        email=email_config(smtp_server.url, send_empty=True, recipients=[RECIPIENTS[0]])
    )
    deliver(store, config, DAY1)
    deliver(store, config, DAY1 + dt.timedelta(hours=2))  # a second run the same day
    (message,) = smtp_server.messages
    assert message["Subject"] == "[CivicRadar] Mon 02 Mar 2026: nothing new"
    assert "Nothing new today" in parts(message)[0]
    deliver(store, config, DAY2)
    assert len(smtp_server.messages) == 2
    add_change(store, "staff_arrival", "New planner", at=DAY2 + dt.timedelta(hours=1))
    deliver(store, config, DAY2 + dt.timedelta(days=1))  # a change after empty digests
    assert "New planner" in parts(smtp_server.messages[2])[0]


def test_a_new_reader_gets_recent_changes_not_the_whole_history(store, config_for, smtp_server):
    add_change(store, "staff_arrival", "Old news", at=DAY1 - dt.timedelta(days=60))
    add_change(store, "staff_arrival", "Fresh news", at=DAY1 - dt.timedelta(days=1))
    deliver(
        store, config_for(email=email_config(smtp_server.url, recipients=[RECIPIENTS[0]])), DAY1
    )
    text = parts(smtp_server.messages[0])[0]
    assert "Fresh news" in text and "Old news" not in text


def test_exactly_once_on_sqlite_and_postgresql(store_url, smtp_server):
    from civicradar.models.store import Store

    from .conftest import make_config, seed_day_one

    store = Store(store_url)
    try:
        seed_day_one(store)
        config = make_config(store_url, email=email_config(smtp_server.url))
        smtp_server.recorder.refuse_after = 2
        first = deliver(store, config, DAY1)
        assert len(first.sent) == 2 and len(first.failed) == 1
        smtp_server.recorder.refuse_after = None
        second = deliver(store, config, DAY1 + dt.timedelta(hours=1))
        assert set(second.sent) == set(first.failed)
        assert deliver(store, config, DAY2).sent == {}
        assert len(smtp_server.messages) == 3
        with store.session() as session:
            rows = list(session.scalars(select(Delivery)))
        assert len(rows) == 7 and {r.status for r in rows} == {"sent"}
    finally:
        store.close()
