"""Delivering undelivered changes to every recipient (email digest, webhooks).

Every step is recorded in the ledger (``alerts/ledger.py``) in its own transaction:
queue the matching changes, claim them under a batch id, send, then mark the batch
sent / failed / in doubt. See docs/alerts.md for what survives which crash.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from civicradar.alerts import ledger
from civicradar.alerts.digest import compose, recipient_wants
from civicradar.alerts.feed import jurisdiction_names
from civicradar.alerts.mailer import Mailer, SendError, smtp_settings
from civicradar.alerts.webhooks import WebhookError, WebhookTarget, payload, post_batch, targets
from civicradar.config.schema import Config, Recipient
from civicradar.models.store import Store
from civicradar.models.tables import Change, Delivery

log = logging.getLogger(__name__)


def counted(count: int, noun: str) -> str:
    """A count with its noun: "1 change", "2 changes"."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


EMAIL, WEBHOOK = "email", "webhook"
WEBHOOK_BATCH_SIZE = 200


@dataclass
class DeliverySummary:
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    def describe(self) -> str:
        if self.written:
            return f"wrote {counted(len(self.written), 'digest')} (dry run, nothing marked sent)"
        if not self.sent and not self.failed:
            return "nothing to deliver"
        parts = [f"delivered {counted(n, 'change')} to {who}" for who, n in self.sent.items()]
        parts += [f"not delivered to {who}: {why}" for who, why in self.failed.items()]
        return "; ".join(parts)


@dataclass
class _Batch:
    batch: str
    day: dt.date
    changes: list[Change]


def digest_day(config: Config, now: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """Today's date in the schedule's time zone and when that day began (aware)."""
    zone = ZoneInfo(config.schedule.timezone)
    local = now.astimezone(zone)
    start = dt.datetime.combine(local.date(), dt.time(0), tzinfo=zone)
    return local.date(), start


def deliver(
    store: Store,
    config: Config,
    now: dt.datetime,
    *,
    email: bool = True,
    webhooks: bool = True,
) -> DeliverySummary:
    """Send each recipient what it has not had yet; safe to repeat and to interrupt."""
    summary = DeliverySummary()
    if email and config.alerts.email and config.alerts.email.recipients:
        _deliver_email(store, config, now, summary)
    if webhooks:
        for target in targets(config):
            _deliver_webhook(store, config, target, now, summary)
    return summary


# --- email ------------------------------------------------------------------------------


def _names(store: Store, config: Config) -> dict[str, str]:
    with store.session() as session:
        return jurisdiction_names(session, config)


def _plan_email(
    store: Store, config: Config, recipient: Recipient, now: dt.datetime
) -> list[_Batch]:
    """Queue new matches and claim what goes out now (committed before any sending)."""
    email = config.alerts.email
    assert email is not None
    day, day_start = digest_day(config, now)
    since = now - dt.timedelta(days=email.lookback_days)
    plans: list[_Batch] = []
    with store.session() as session:
        candidates = ledger.candidate_changes(session, EMAIL, recipient.address, since=since)
        wanted = [c for c in candidates if recipient_wants(recipient, c)]
        ledger.enqueue(session, EMAIL, recipient.address, wanted)
        rows = ledger.outstanding(session, EMAIL, recipient.address)
        for batch, batch_rows in ledger.in_doubt_batches(rows).items():
            ledger.count_attempt(session, batch)
            batch_day = dt.datetime.strptime(batch[:8], "%Y%m%d").date()
            plans.append(_Batch(batch, batch_day, ledger.changes_of(session, batch_rows)))
        fresh = ledger.fresh_rows(rows)
        # Today's digest already went out, or may have (a batch of today in doubt).
        already = ledger.sent_since(session, EMAIL, recipient.address, day_start) or any(
            plan.day == day for plan in plans
        )
        if fresh and not already:
            batch = ledger.new_batch_id(day)
            ledger.claim(session, fresh, batch)
            plans.append(_Batch(batch, day, ledger.changes_of(session, fresh)))
        elif not rows and email.send_empty and not already:
            plans.append(_Batch(ledger.new_batch_id(day), day, []))
    return plans


def _deliver_email(
    store: Store, config: Config, now: dt.datetime, summary: DeliverySummary
) -> None:
    email = config.alerts.email
    assert email is not None
    names = _names(store, config)
    plans = [(r, p) for r in email.recipients for p in _plan_email(store, config, r, now)]
    if not plans:
        return
    mailer: Mailer | None = None
    unreachable: SendError | None = None  # once connecting fails, do not wait on it per reader
    try:
        for recipient, plan in plans:
            message = compose(
                config,
                recipient,
                plan.changes,
                day=plan.day,
                batch=plan.batch,
                names=names,
                now=now,
            )
            try:
                if unreachable is not None:
                    raise unreachable
                if mailer is None or not mailer.connected:
                    mailer = Mailer(smtp_settings(email))
                    try:
                        mailer.connect()
                    except SendError as exc:
                        unreachable = exc
                        raise
                mailer.send(message)
            except SendError as exc:
                with store.session() as session:
                    if exc.in_doubt:
                        ledger.mark_in_doubt(session, plan.batch, str(exc))
                    else:
                        ledger.mark_failed(session, plan.batch, str(exc))
                summary.failed[recipient.address] = str(exc)
                log.warning("digest to %s not sent: %s", recipient.address, exc)
                continue
            with store.session() as session:
                ledger.mark_sent(session, plan.batch, now)
                if not plan.changes:
                    ledger.record_empty_digest(session, EMAIL, recipient.address, plan.batch, now)
            summary.sent[recipient.address] = summary.sent.get(recipient.address, 0) + len(
                plan.changes
            )
    finally:
        if mailer is not None:
            mailer.close()


def write_digests(store: Store, config: Config, now: dt.datetime, folder: Path) -> DeliverySummary:
    """Render what each reader would get now as ``.eml`` files; the ledger is not touched."""
    email = config.alerts.email
    summary = DeliverySummary()
    if email is None:
        return summary
    names = _names(store, config)
    day, _start = digest_day(config, now)
    since = now - dt.timedelta(days=email.lookback_days)
    folder.mkdir(parents=True, exist_ok=True)
    for recipient in email.recipients:
        with store.session() as session:
            candidates = ledger.candidate_changes(session, EMAIL, recipient.address, since=since)
            rows = ledger.outstanding(session, EMAIL, recipient.address)
            changes = ledger.changes_of(session, rows) + [
                c for c in candidates if recipient_wants(recipient, c)
            ]
            session.expunge_all()
        if not changes and not email.send_empty:
            continue
        batch = f"{day:%Y%m%d}.dry-run"
        message = compose(config, recipient, changes, day=day, batch=batch, names=names, now=now)
        path = folder / f"{day:%Y-%m-%d}-{_file_safe(recipient.address)}.eml"
        path.write_bytes(bytes(message))
        summary.written.append(path)
    return summary


def _file_safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]+", "_", text)


# --- webhooks ---------------------------------------------------------------------------


def _deliver_webhook(
    store: Store,
    config: Config,
    target: WebhookTarget,
    now: dt.datetime,
    summary: DeliverySummary,
) -> None:
    since = now - dt.timedelta(
        days=config.alerts.email.lookback_days if config.alerts.email else 14
    )
    day, _start = digest_day(config, now)
    plans: list[_Batch] = []
    with store.session() as session:
        candidates = ledger.candidate_changes(session, WEBHOOK, target.url, since=since)
        ledger.enqueue(session, WEBHOOK, target.url, [c for c in candidates if target.wants(c)])
        rows = ledger.outstanding(session, WEBHOOK, target.url)
        for batch, batch_rows in ledger.in_doubt_batches(rows).items():
            ledger.count_attempt(session, batch)
            plans.append(_Batch(batch, day, ledger.changes_of(session, batch_rows)))
        fresh = ledger.fresh_rows(rows)
        for chunk in _chunks(fresh, WEBHOOK_BATCH_SIZE):
            batch = ledger.new_batch_id(day)
            ledger.claim(session, chunk, batch)
            plans.append(_Batch(batch, day, ledger.changes_of(session, chunk)))
    who = f"webhook {target.url}"
    for plan in plans:
        body = payload(plan.batch, plan.changes, now)
        try:
            post_batch(target, plan.batch, body)
        except WebhookError as exc:
            with store.session() as session:
                if exc.in_doubt:
                    ledger.mark_in_doubt(session, plan.batch, str(exc))
                else:
                    ledger.mark_failed(session, plan.batch, str(exc))
            summary.failed[who] = str(exc)
            log.warning("%s: batch %s not delivered: %s", who, plan.batch, exc)
            continue
        with store.session() as session:
            ledger.mark_sent(session, plan.batch, now)
        summary.sent[who] = summary.sent.get(who, 0) + len(plan.changes)


def _chunks(rows: Sequence[Delivery], size: int) -> list[list[Delivery]]:
    return [list(rows[i : i + size]) for i in range(0, len(rows), size)]
