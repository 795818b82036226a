"""Source problem episodes: one change when an episode starts, recovery noted quietly."""

from __future__ import annotations

from civicradar.models.ingest.effects import ProblemEpisode
from civicradar.monitors.problems import ProblemState, source_problem
from tests.monitors.unit.plain import moment, run

SINCE = moment("2026-03-01")


def test_a_failing_run_opens_an_episode_with_one_change():
    failed = run(status="failed", error="HTTP 500")
    found = source_problem(ProblemState(), failed)
    (change,) = found.changes
    assert (change.kind, change.dedupe_key) == ("source_problem", "source_problem:3:7")
    assert change.summary == "Source springfield/directory is failing: HTTP 500"
    assert change.data == {"status": "failed", "detail": "HTTP 500", "run_id": 7}
    assert found.effects == [ProblemEpisode(3, "failed", failed.now, None)]


def test_a_suspicious_run_looks_wrong():
    (change,) = source_problem(ProblemState(), run(status="suspicious", error="size drop")).changes
    assert change.summary == "Source springfield/directory looks wrong: size drop"


def test_an_open_episode_is_not_reported_again_but_turns_failed():
    found = source_problem(ProblemState("suspicious", SINCE), run(status="failed"))
    assert found.changes == []
    assert found.effects == [ProblemEpisode(3, "failed", SINCE, None)]
    assert source_problem(ProblemState("failed", SINCE), run(status="suspicious")).effects == []


def test_a_healthy_run_closes_the_episode_and_notes_the_recovery():
    healthy = run()
    found = source_problem(ProblemState("failed", SINCE), healthy)
    assert found.changes == []
    assert found.effects == [ProblemEpisode(3, None, None, healthy.now)]
    assert source_problem(ProblemState(), healthy).effects == []
