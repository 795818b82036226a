"""Delivering undelivered changes to every recipient (email digest, webhooks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from civicradar.config.schema import Config
from civicradar.models.store import Store


@dataclass
class DeliverySummary:
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        if not self.sent and not self.failed:
            return "nothing to deliver"
        parts = [f"{n} changes to {who}" for who, n in self.sent.items()]
        parts += [f"failed for {who}: {why}" for who, why in self.failed.items()]
        return "delivered " + "; ".join(parts)


def deliver(store: Store, config: Config, now: dt.datetime) -> DeliverySummary:
    return DeliverySummary()
