"""Agenda items that touch the initiative, and changes to meetings that have them."""

from __future__ import annotations

from civicradar.models.store import ChangeDraft
from civicradar.monitors.detect import RunContext


def detect_agendas(context: RunContext) -> list[ChangeDraft]:
    return []
