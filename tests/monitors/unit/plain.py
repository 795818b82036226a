"""Plain objects for detector unit tests: run facts, settings and snapshots made by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from civicradar.config.schema import Detection, Initiative
from civicradar.models.ingest.run import ElectionRef, RunFacts
from civicradar.monitors.findings import Findings, Settings

ZONE = "America/Chicago"


def moment(day: str, hour: int = 15) -> dt.datetime:
    """``hour`` o'clock UTC on ``day`` (morning in Chicago)."""
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def run(day: str = "2026-03-10", **facts: Any) -> RunFacts:
    """A healthy, non-baseline run of a source on ``day``."""
    base = RunFacts(
        run_id=7,
        source_id=3,
        source_key="directory",
        source_type="staff_directory",
        jurisdiction_id="springfield",
        timezone=ZONE,
        status="ok",
        now=moment(day),
        source_url="https://springfield.test/directory",
    )
    return replace(base, **facts)


def settings(departure_after_runs: int = 2, terms: tuple[str, ...] = ("child care",)) -> Settings:
    return Settings(
        detection=Detection(departure_after_runs=departure_after_runs),
        initiative=Initiative(name="Early Learning", terms=list(terms)),
    )


def kinds(findings: Findings) -> list[tuple[str, str]]:
    """(kind, name or item title) of each change, sorted."""
    return sorted(
        (c.kind, str(c.data.get("name") or c.data.get("item_title") or ""))
        for c in findings.changes
    )


GENERAL = ElectionRef("2026 General", dt.date(2026, 11, 3))
