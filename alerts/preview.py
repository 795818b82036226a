"""The digest of any day as an HTML file, to look at before (or after) it goes out.

Nothing is sent and the ledger is only read: a preview never queues, claims or marks a
change. ``digest --preview`` and ``civicradar demo`` call :func:`write_preview`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.alerts.deliver import EMAIL
from civicradar.alerts.digest import recipient_wants, render_parts, unsubscribe_headers
from civicradar.alerts.feed import jurisdiction_names
from civicradar.config.schema import Config, Recipient
from civicradar.models.store import Store
from civicradar.models.tables import Change, Delivery

DEFAULT_LOOKBACK_DAYS = 14


@dataclass
class Preview:
    path: Path
    changes: int
    recipient: str | None

    def describe(self) -> str:
        who = f" for {self.recipient}" if self.recipient else ""
        noun = "change" if self.changes == 1 else "changes"
        return f"digest preview{who}: {self.changes} {noun}, written to {self.path}"


def find_recipient(config: Config, address: str) -> Recipient:
    """The configured reader with this address; ValueError naming the key otherwise."""
    email = config.alerts.email
    for recipient in email.recipients if email else []:
        if recipient.address.lower() == address.lower():
            return recipient
    raise ValueError(f"alerts.email.recipients: no recipient with address {address!r}")


def preview_changes(
    session: Session, config: Config, day: dt.date, recipient: Recipient | None
) -> list[Change]:
    """What the reader's digest of ``day`` holds, sent or not.

    If a digest of that day was claimed for the reader (sent, failed or in doubt), exactly
    its changes. Otherwise the changes it would hold: those detected up to the end of that
    day (in ``schedule.timezone``) within ``lookback_days``, that pass the reader's
    filters and did not go out in an earlier digest.
    """
    if recipient is not None:
        claimed = select(Delivery.change_id).where(
            Delivery.channel == EMAIL,
            Delivery.recipient == recipient.address,
            Delivery.batch.like(f"{day:%Y%m%d}.%"),
            Delivery.change_id.is_not(None),
        )
        batch = list(session.scalars(select(Change).where(Change.id.in_(claimed))))
        if batch:
            return sorted(batch, key=lambda c: c.id)
    zone = ZoneInfo(config.schedule.timezone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    lookback = config.alerts.email.lookback_days if config.alerts.email else DEFAULT_LOOKBACK_DAYS
    query = select(Change).where(
        Change.detected_at >= start - dt.timedelta(days=lookback),
        Change.detected_at < start + dt.timedelta(days=1),
    )
    if recipient is not None:
        earlier = select(Delivery.change_id).where(
            Delivery.channel == EMAIL,
            Delivery.recipient == recipient.address,
            Delivery.status == "sent",
            Delivery.sent_at < start,
            Delivery.change_id.is_not(None),
        )
        query = query.where(Change.id.not_in(earlier))
    changes = list(session.scalars(query.order_by(Change.id)))
    return [c for c in changes if recipient is None or recipient_wants(recipient, c)]


def render_preview(
    store: Store, config: Config, day: dt.date, recipient: Recipient | str | None = None
) -> tuple[str, str, int]:
    """The plain-text and HTML parts of the digest of ``day``, and how many changes it holds."""
    if isinstance(recipient, str):
        recipient = find_recipient(config, recipient)
    with store.session() as session:
        names = jurisdiction_names(session, config)
        changes = preview_changes(session, config, day, recipient)
        unsubscribe = None
        if recipient is not None and config.alerts.email is not None:
            unsubscribe = unsubscribe_headers(config, recipient)["List-Unsubscribe"].strip("<>")
        text, html = render_parts(
            config, recipient, changes, day=day, names=names, unsubscribe=unsubscribe
        )
    return text, html, len(changes)


def write_preview(
    store: Store,
    config: Config,
    day: dt.date,
    path: str | Path,
    recipient: Recipient | str | None = None,
) -> Preview:
    """Write the HTML digest of ``day`` to ``path`` (for ``recipient``, or unfiltered)."""
    _text, html, count = render_preview(store, config, day, recipient)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    address = recipient.address if isinstance(recipient, Recipient) else recipient
    return Preview(target, count, address)
