"""Webhooks: signed JSON batches to a local HTTP server, retried, recorded in the ledger."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from sqlalchemy import select

from civicradar.alerts import webhooks
from civicradar.alerts.deliver import deliver
from civicradar.models.tables import Delivery

from .conftest import DAY1, DAY2, add_change

SECRET = "s3cret-shared"


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhooks, "BACKOFF_SECONDS", 0.01)


def _hooks(http_server, **extra):
    return [{"url": f"{http_server.url}/hook", "secret": SECRET, **extra}]


def _posts(http_server):
    return [r for r in http_server.requests if r.method == "POST"]


def test_batch_is_signed_json_of_contract_objects_without_addresses(
    store, seeded, config_for, http_server
):
    from tests.conftest import Reply

    http_server.routes["/hook"] = Reply(status=204)
    summary = deliver(store, config_for(webhooks=_hooks(http_server)), DAY1)
    assert summary.sent == {f"webhook {http_server.url}/hook": 4}
    (request,) = _posts(http_server)
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-civicradar-signature"] == f"sha256={expected}"
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.body)
    assert body["batch"] == request.headers["x-civicradar-delivery"]
    first = body["changes"][0]
    assert set(first) == {
        "id",
        "kind",
        "jurisdiction",
        "source",
        "detected_at",
        "summary",
        "url",
        "data",
    }
    assert first["kind"] == "new_candidate" and first["data"]["email"] == "jane@roe2027.example"
    assert "address" not in first["data"] and b"Evergreen" not in request.body
    assert deliver(store, config_for(webhooks=_hooks(http_server)), DAY2).sent == {}
    assert len(_posts(http_server)) == 1


def test_filters_and_recipient_webhooks(store, seeded, config_for, http_server):
    from tests.conftest import Reply

    http_server.routes["/hook"] = Reply(status=200)
    http_server.routes["/mine"] = Reply(status=200)
    config = config_for(
        webhooks=_hooks(http_server, kinds=["agenda_match"], jurisdictions=["springfield"]),
        email={
            "smtp_url": "smtp://127.0.0.1:9",
            "sender": "radar@example.org",
            "recipients": [
                {
                    "address": "ops@example.org",
                    "kinds": ["staff_departure"],
                    "webhook": f"{http_server.url}/mine",
                    "webhook_secret": "other",
                }
            ],
        },
    )
    summary = deliver(store, config, DAY1)
    assert summary.sent[f"webhook {http_server.url}/hook"] == 1
    assert summary.sent[f"webhook {http_server.url}/mine"] == 1
    mine = next(r for r in _posts(http_server) if r.path == "/mine")
    assert json.loads(mine.body)["changes"][0]["summary"] == "Pat Smith left Planning"
    signed = hmac.new(b"other", mine.body, hashlib.sha256).hexdigest()
    assert mine.headers["x-civicradar-signature"] == f"sha256={signed}"


def test_server_errors_are_retried_with_backoff_then_succeed(
    store, seeded, config_for, http_server
):
    from tests.conftest import Reply

    answers = iter([503, 502, 200])
    http_server.routes["/hook"] = lambda request: Reply(status=next(answers))
    summary = deliver(store, config_for(webhooks=_hooks(http_server)), DAY1)
    assert summary.failed == {}
    posts = _posts(http_server)
    assert len(posts) == 3
    assert len({p.headers["x-civicradar-delivery"] for p in posts}) == 1
    assert len({p.body for p in posts}) == 1
    with store.session() as session:
        rows = list(session.scalars(select(Delivery).where(Delivery.channel == "webhook")))
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


def test_receiver_down_for_a_run_gets_the_same_batch_next_run_and_nothing_twice(
    store, seeded, config_for, http_server
):
    from tests.conftest import Reply

    http_server.routes["/hook"] = Reply(status=500)
    config = config_for(webhooks=_hooks(http_server))
    summary = deliver(store, config, DAY1)
    assert "HTTP 500" in summary.failed[f"webhook {http_server.url}/hook"]
    assert len(_posts(http_server)) == webhooks.ATTEMPTS
    first_id = _posts(http_server)[0].headers["x-civicradar-delivery"]
    http_server.routes["/hook"] = Reply(status=200)
    add_change(store, "staff_arrival", "Lee Park joined Parks", at=DAY2)
    summary = deliver(store, config, DAY2)
    assert summary.sent == {f"webhook {http_server.url}/hook": 5}
    delivered = _posts(http_server)[webhooks.ATTEMPTS :]
    # The in-doubt batch is resent unchanged (receivers dedupe on its id), then the new one.
    assert delivered[0].headers["x-civicradar-delivery"] == first_id
    assert len(json.loads(delivered[0].body)["changes"]) == 4
    assert json.loads(delivered[1].body)["changes"][0]["summary"] == "Lee Park joined Parks"
    assert deliver(store, config, DAY2 + dt.timedelta(days=1)).sent == {}


def test_client_error_is_not_retried_within_the_run_but_next_run(
    store, seeded, config_for, http_server
):
    from tests.conftest import Reply

    http_server.routes["/hook"] = Reply(status=410)
    config = config_for(webhooks=_hooks(http_server))
    assert "HTTP 410" in deliver(store, config, DAY1).failed[f"webhook {http_server.url}/hook"]
    assert len(_posts(http_server)) == 1
    http_server.routes["/hook"] = Reply(status=200)
    assert deliver(store, config, DAY2).sent == {f"webhook {http_server.url}/hook": 4}
    with store.session() as session:
        rows = list(session.scalars(select(Delivery)))
    assert {(r.status, r.attempts) for r in rows} == {("sent", 2)}
