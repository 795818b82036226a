"""Is a crawl trustworthy? Failed and suspicious runs are recorded but never turned into news.

A run much smaller than the last healthy one is suspicious. If the smaller size holds
(within a record or two) on ``accept_drop_after_days`` different days in a row, it is
the source's real size now: that run is accepted, so the source does not stay silent
for ever after a genuine cut, and its absences start counting toward departures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from civicradar.config.schema import Detection

SUSPICIOUS_EMPTY_BASELINE = {"staff_directory"}
SIZE_DROP = "size drop: "  # how a run suspicious only for its size is recognised later


@dataclass(frozen=True)
class DropStreak:
    """The runs since the last healthy one that were suspicious only for their size,
    newest first, as (local day, record count)."""

    runs: list[tuple[dt.date, int]] = field(default_factory=list)

    def holds(self, day: dt.date, records: int, days: int) -> bool:
        """Whether ``records`` has held, give or take a little, on ``days`` different days."""
        tolerance = max(2, records // 20)
        seen = {day}
        for run_day, count in self.runs:
            if abs(count - records) > tolerance:
                break
            seen.add(run_day)
        return len(seen) >= days


@dataclass(frozen=True)
class Verdict:
    status: str  # ok | failed | suspicious
    detail: str | None = None


def assess_run(
    source_type: str,
    *,
    records: int,
    failures: list[str],
    suspicions: list[str],
    unchanged: bool,
    previous_healthy_records: int | None,
    detection: Detection,
    day: dt.date | None = None,
    streak: DropStreak | None = None,
) -> Verdict:
    """Judge a crawl by its problems and its record count against the last good one."""
    if failures:
        return Verdict("failed", "; ".join(failures))
    if suspicions:
        return Verdict("suspicious", "; ".join(suspicions))
    if unchanged:
        return Verdict("ok")
    if previous_healthy_records is None:
        if records == 0 and source_type in SUSPICIOUS_EMPTY_BASELINE:
            return Verdict("suspicious", "the first crawl found no records")
        return Verdict("ok")
    if previous_healthy_records > 0 and source_type != "agendas":
        lost = (previous_healthy_records - records) / previous_healthy_records
        if lost > detection.suspicious_drop and previous_healthy_records - records > 1:
            days = detection.accept_drop_after_days
            if records and day and streak and streak.holds(day, records, days):
                return Verdict(
                    "ok",
                    f"accepted the smaller size: {records} records on {days} days in a row "
                    f"(was {previous_healthy_records})",
                )
            return Verdict(
                "suspicious",
                f"{SIZE_DROP}{records} records against {previous_healthy_records} in the last "
                f"healthy run ({lost:.0%} fewer; the threshold is "
                f"{detection.suspicious_drop:.0%})",
            )
    if records == 0 and previous_healthy_records > 0:
        return Verdict(
            "suspicious", f"no records, against {previous_healthy_records} in the last healthy run"
        )
    return Verdict("ok")
