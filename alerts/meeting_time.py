"""When a meeting in a change happens, in its jurisdiction's time zone, and how to say it.

Agenda matches and meeting changes carry ``meeting_date`` and, when the time is known,
``start`` (ISO 8601 with an offset). A reader wants the local wall time with its zone
("6:30 pm CDT"), meetings in calendar order, and to know which ones are already over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class MeetingTime:
    """A meeting's local date and, when known, its local start time."""

    date: dt.date
    start: dt.datetime | None = None

    def describe(self) -> str:
        """``2026-03-10 (Tue), 6:30 pm CDT``; the date alone when the time is not known."""
        day = f"{self.date.isoformat()} ({self.date:%a})"
        return f"{day}, {clock_time(self.start)}" if self.start else day

    def order(self) -> tuple[dt.date, dt.time]:
        """Calendar order; a meeting without a time sorts first on its day."""
        return self.date, (self.start.time() if self.start else dt.time.min)

    def is_past(self, day: dt.date) -> bool:
        return self.date < day


def clock_time(moment: dt.datetime) -> str:
    """``6:30 pm CDT`` (the zone's abbreviation, or its UTC offset when it has none)."""
    hour = moment.hour % 12 or 12
    noon = "am" if moment.hour < 12 else "pm"
    zone = moment.tzname() or ""
    return f"{hour}:{moment.minute:02d} {noon} {zone}".strip()


def meeting_time(
    data: Mapping[str, Any], zone: str | None = None, *, prefix: str = ""
) -> MeetingTime | None:
    """The meeting's time from ``<prefix>start`` / ``<prefix>date`` (``previous_`` for the
    old time of a rescheduled meeting), in ``zone`` when given."""
    date_key = f"{prefix}date" if prefix else "meeting_date"
    start = _moment(data.get(f"{prefix}start"), zone)
    if start is not None:
        return MeetingTime(start.date(), start)
    try:
        return MeetingTime(dt.date.fromisoformat(str(data.get(date_key))[:10]))
    except ValueError:
        return None


def _moment(value: Any, zone: str | None) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a naive time cannot be placed in a zone honestly
    if zone:
        try:
            return moment.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            return moment
    return moment
