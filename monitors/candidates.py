"""New candidates and changes to their filings."""

from __future__ import annotations

from civicradar.models.store import ChangeDraft
from civicradar.monitors.detect import RunContext


def detect_candidates(context: RunContext) -> list[ChangeDraft]:
    return []
