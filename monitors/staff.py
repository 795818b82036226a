"""Arrivals, departures and role changes on staff directories and officials' rosters."""

from __future__ import annotations

from civicradar.models.store import ChangeDraft
from civicradar.monitors.detect import RunContext


def detect_staff(context: RunContext) -> list[ChangeDraft]:
    return []
