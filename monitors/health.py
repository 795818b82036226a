"""Is a crawl trustworthy? Failed and suspicious runs are recorded but never turned into news."""

from __future__ import annotations

from dataclasses import dataclass

from civicradar.config.schema import Detection

SUSPICIOUS_EMPTY_BASELINE = {"staff_directory"}


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
        if lost > detection.suspicious_drop:
            return Verdict(
                "suspicious",
                f"{records} records against {previous_healthy_records} in the last healthy run "
                f"({lost:.0%} fewer; the threshold is {detection.suspicious_drop:.0%})",
            )
    if records == 0 and previous_healthy_records > 0:
        return Verdict(
            "suspicious", f"no records, against {previous_healthy_records} in the last healthy run"
        )
    return Verdict("ok")
