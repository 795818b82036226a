"""Absences from a trusted list, counted one way for open tenures and for candidacies.

A row (``missing_runs``, ``missing_since``) gains one absence per healthy run that does
not list it; it counts as gone only after ``limit`` absences in a row spread over as many
different local days, so running twice on one morning cannot confirm a departure.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Absent(Protocol):
    missing_runs: int | None
    missing_since: dt.date | None


def count_absence(row: Absent, today: dt.date, limit: int) -> bool:
    """One more absence for ``row``; whether it is now gone (``limit`` runs, ``limit`` days)."""
    row.missing_runs = (row.missing_runs or 0) + 1
    if row.missing_since is None:
        row.missing_since = today
    return row.missing_runs >= limit and (today - row.missing_since).days >= limit - 1


def seen_again(row: Absent) -> None:
    """Listed on a healthy run: the absence count starts over."""
    row.missing_runs = 0
    row.missing_since = None
