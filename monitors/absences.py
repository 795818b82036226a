"""Absences from a trusted list, counted one way for open tenures and for candidacies.

A row gains one absence per healthy run that does not list it; it counts as gone only
after ``limit`` absences in a row spread over as many different local days, so running
twice on one morning cannot confirm a departure. Being listed again by a healthy run
starts the count over (ingest writes that with the rest of what the run saw).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Absence:
    """The count after one more absence, and whether the row now counts as gone."""

    missing_runs: int
    missing_since: dt.date
    gone: bool


def count_absence(
    missing_runs: int, missing_since: dt.date | None, today: dt.date, limit: int
) -> Absence:
    """One more absence for a row absent ``missing_runs`` times since ``missing_since``."""
    runs = (missing_runs or 0) + 1
    since = missing_since or today
    return Absence(runs, since, runs >= limit and (today - since).days >= limit - 1)
