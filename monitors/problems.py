"""``source_problem`` changes: one per episode of failure, with recovery noted on the source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civicradar.models.ingest.effects import ProblemEpisode
from civicradar.models.ingest.run import RunFacts
from civicradar.models.store import ChangeDraft
from civicradar.monitors.findings import Findings


@dataclass(frozen=True)
class ProblemState:
    """A source's problem episode before this run (``status`` None: no open episode)."""

    status: str | None = None
    since: dt.datetime | None = None
    recovered_at: dt.datetime | None = None


def source_problem(state: ProblemState, run: RunFacts) -> Findings:
    """Open, escalate or close the episode; a draft only when an episode starts."""
    findings = Findings()

    def episode(
        status: str | None, since: dt.datetime | None, recovered: dt.datetime | None
    ) -> None:
        findings.effects.append(ProblemEpisode(run.source_id, status, since, recovered))

    if run.status == "ok":
        if state.status is not None:
            episode(None, None, run.now)
        return findings
    if state.status is not None:
        if state.status != run.status and run.status == "failed":
            episode("failed", state.since, state.recovered_at)
        return findings
    episode(run.status, run.now, state.recovered_at)
    what = "is failing" if run.status == "failed" else "looks wrong"
    findings.changes.append(
        ChangeDraft(
            kind="source_problem",
            jurisdiction_id=run.jurisdiction_id,
            source_key=run.source_key,
            dedupe_key=f"source_problem:{run.source_id}:{run.run_id}",
            summary=(
                f"Source {run.jurisdiction_id}/{run.source_key} {what}: {run.error or run.status}"
            ),
            url=run.source_url,
            data={"status": run.status, "detail": run.error or "", "run_id": run.run_id},
            importance=20,
        )
    )
    return findings
