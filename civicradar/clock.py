"""The one clock every command reads: real time, or ``CIVICRADAR_NOW`` when replaying history."""

from __future__ import annotations

import datetime as dt
import os

NOON = dt.time(12, 0, tzinfo=dt.UTC)


class ClockError(ValueError):
    pass


def now() -> dt.datetime:
    """Aware UTC now. ``CIVICRADAR_NOW`` may be a date (read as 12:00 UTC that day, so the
    local date is the same from UTC-11 to UTC+11) or a datetime (naive means UTC)."""
    value = os.environ.get("CIVICRADAR_NOW", "").strip()
    if not value:
        return dt.datetime.now(dt.UTC)
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), NOON)
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ClockError(
            f"CIVICRADAR_NOW={value!r} is not an ISO 8601 date or datetime "
            "(e.g. 2026-03-02 or 2026-03-02T06:00:00-06:00)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def start_of_day(day: dt.date, zone: str) -> dt.datetime:
    """Midnight at the start of ``day`` in ``zone`` (the team's zone from ``schedule``), as
    aware UTC: ``changes --since`` means the same day the digest does."""
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)
