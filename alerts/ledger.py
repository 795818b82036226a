"""The delivery ledger: one ``deliveries`` row per (change, channel, recipient).

A row moves through these states, each committed before the next step runs:

- ``pending``, no batch: queued, never attempted.
- ``pending`` with a batch: claimed by a send with that batch id (which is also the
  email's Message-ID or the webhook's delivery id). If the process dies, or the
  connection drops after the message was handed over, the outcome is unknown; the
  next run resends *the same batch* with the same id and content, so a duplicate, if
  the first one did arrive, is recognisable (mail clients collapse equal Message-IDs,
  webhook receivers dedupe on ``X-CivicRadar-Delivery``).
- ``failed``: the server refused or could not be reached, so nothing went out; the
  next run puts the change into a fresh batch with whatever else is new.
- ``sent``: never sent again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from civicradar.models.tables import Change, Delivery

PENDING, SENT, FAILED = "pending", "sent", "failed"


def new_batch_id(day: dt.date) -> str:
    return f"{day:%Y%m%d}.{uuid.uuid4().hex[:20]}"


def candidate_changes(
    session: Session, channel: str, recipient: str, *, since: dt.datetime
) -> list[Change]:
    """Changes this recipient may still need: recent ones, and any newer than its last one.

    The lookback keeps a newly added recipient from receiving the whole history; the
    second clause means a long outage never drops changes for an existing recipient.
    """
    newest_known = session.scalar(
        select(func.max(Delivery.change_id)).where(
            Delivery.channel == channel, Delivery.recipient == recipient
        )
    )
    condition = Change.detected_at >= since
    if newest_known is not None:
        condition = or_(condition, Change.id > newest_known)
    known = select(Delivery.change_id).where(
        Delivery.channel == channel,
        Delivery.recipient == recipient,
        Delivery.change_id.is_not(None),  # NOT IN over a NULL would match nothing at all
    )
    query = select(Change).where(condition, Change.id.not_in(known)).order_by(Change.id)
    return list(session.scalars(query))


def enqueue(session: Session, channel: str, recipient: str, changes: Iterable[Change]) -> int:
    """Queue each change for the recipient (callers pass only changes without a row)."""
    rows = [
        {"change_id": c.id, "channel": channel, "recipient": recipient, "status": PENDING}
        for c in changes
    ]
    if rows:
        session.execute(insert(Delivery), rows)
    return len(rows)


def outstanding(session: Session, channel: str, recipient: str) -> list[Delivery]:
    """Every row not yet sent for this recipient, oldest change first."""
    return list(
        session.scalars(
            select(Delivery)
            .where(
                Delivery.channel == channel,
                Delivery.recipient == recipient,
                Delivery.status != SENT,
            )
            .order_by(Delivery.change_id)
        )
    )


def in_doubt_batches(rows: Sequence[Delivery]) -> dict[str, list[Delivery]]:
    """Claimed rows whose outcome is unknown, by batch: these are resent unchanged."""
    batches: dict[str, list[Delivery]] = {}
    for row in rows:
        if row.status == PENDING and row.batch:
            batches.setdefault(row.batch, []).append(row)
    return batches


def fresh_rows(rows: Sequence[Delivery]) -> list[Delivery]:
    """Rows that go into a new batch: never tried, or definitely refused last time."""
    return [r for r in rows if r.status == FAILED or (r.status == PENDING and not r.batch)]


def claim(session: Session, rows: Sequence[Delivery], batch: str) -> None:
    """Record the batch id and count the attempt *before* anything is sent."""
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids[start : start + 500]))
            .values(batch=batch, status=PENDING, attempts=Delivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )


def mark_sent(session: Session, batch: str, now: dt.datetime) -> None:
    session.execute(
        update(Delivery)
        .where(Delivery.batch == batch, Delivery.status != SENT)
        .values(status=SENT, sent_at=now, error=None)
    )


def record_empty_digest(
    session: Session, channel: str, recipient: str, batch: str, now: dt.datetime
) -> None:
    """A "nothing new" digest went out: a row without a change, so ``sent_since`` sees it."""
    session.add(
        Delivery(
            change_id=None,
            channel=channel,
            recipient=recipient,
            status=SENT,
            attempts=1,
            batch=batch,
            sent_at=now,
        )
    )


def mark_failed(session: Session, batch: str, error: str) -> None:
    """Nothing went out: the rows join a fresh batch next time."""
    session.execute(
        update(Delivery)
        .where(Delivery.batch == batch, Delivery.status != SENT)
        .values(status=FAILED, error=error[:2000])
    )


def mark_in_doubt(session: Session, batch: str, error: str) -> None:
    """The message may have gone out: keep the batch so a retry reuses its id."""
    session.execute(
        update(Delivery)
        .where(Delivery.batch == batch, Delivery.status != SENT)
        .values(status=PENDING, error=error[:2000])
    )


def count_attempt(session: Session, batch: str) -> None:
    """A resend of an in-doubt batch is one more attempt for each of its rows."""
    session.execute(
        update(Delivery)
        .where(Delivery.batch == batch, Delivery.status != SENT)
        .values(attempts=Delivery.attempts + 1)
    )


def sent_since(session: Session, channel: str, recipient: str, start: dt.datetime) -> bool:
    """Whether anything reached this recipient on this channel since ``start``."""
    return (
        session.scalar(
            select(Delivery.id)
            .where(
                Delivery.channel == channel,
                Delivery.recipient == recipient,
                Delivery.status == SENT,
                Delivery.sent_at >= start,
            )
            .limit(1)
        )
        is not None
    )


def changes_of(session: Session, rows: Sequence[Delivery]) -> list[Change]:
    ids = [r.change_id for r in rows]
    if not ids:
        return []
    return list(session.scalars(select(Change).where(Change.id.in_(ids)).order_by(Change.id)))
