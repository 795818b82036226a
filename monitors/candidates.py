"""New candidates and changes to their filings (``candidate_list`` sources).

A pure function of the run's :class:`CandidateDiff` (``models/ingest/candidates.py``
decided which filing is which candidacy and wrote what the run saw). Rules:

- the first healthy run is the baseline: its candidacies are no news;
- a new candidacy is a ``new_candidate``, unless the same person already runs for the
  same office in this jurisdiction within a year (a primary and its general, or the same
  race on another list); several new candidacies of one person and office in one run
  make one change, for the nearest election;
- a status that turns withdrawn, qualified or disqualified, a candidacy listed again
  after it was taken for withdrawn, and a known person under a new office in the same
  election are ``candidate_update``s; a status reworded or cleared is not news;
- a candidacy missing from ``departure_after_runs`` consecutive healthy runs (on as many
  local days) while its election is still ahead is a withdrawal (``reason: no longer
  listed``); failed and suspicious runs never count as absences; a 304 reports the
  candidacies its list was already missing, so they count one more absence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from civicradar.models.ingest.candidacies import (
    Campaigns,
    CandidacySnapshot,
    CandidacyUpdate,
    CandidateDiff,
)
from civicradar.models.ingest.effects import CandidacyAbsent, CandidacyWithdrawn
from civicradar.models.ingest.run import RunFacts
from civicradar.models.store import ChangeDraft
from civicradar.monitors.absences import count_absence
from civicradar.monitors.candidate_changes import UPDATE_WORDS, candidate_update, new_candidate
from civicradar.monitors.findings import Findings, Settings

SAME_CAMPAIGN_DAYS = 365
NO_LONGER_LISTED = "no longer listed"


def detect_candidates(run: RunFacts, diff: CandidateDiff, settings: Settings) -> Findings:
    findings = Findings()
    if not run.healthy:
        return findings
    for change in diff.updated:
        findings.changes.extend(_updates(run, change))
    if not run.baseline:
        findings.changes.extend(_announce(run, diff.inserted, diff.earlier))
    limit = settings.detection.departure_after_runs
    for candidacy in diff.missing:
        absence = count_absence(candidacy.missing_runs, candidacy.missing_since, run.today, limit)
        findings.effects.append(
            CandidacyAbsent(candidacy.id, absence.missing_runs, absence.missing_since)
        )
        date = candidacy.election.date
        if candidacy.status_kind in ("withdrawn", "disqualified") or (date and date < run.today):
            continue
        if absence.gone:
            findings.effects.append(CandidacyWithdrawn(candidacy.id, NO_LONGER_LISTED))
            withdrawn = replace(candidacy, status=NO_LONGER_LISTED, status_kind="withdrawn")
            findings.changes.append(
                candidate_update(
                    run,
                    withdrawn,
                    "withdrew",
                    previous_status=candidacy.status_kind,
                    reason=NO_LONGER_LISTED,
                    last_seen=run.local_date(candidacy.last_seen).isoformat(),
                )
            )
    return findings


def _updates(run: RunFacts, change: CandidacyUpdate) -> list[ChangeDraft]:
    """A status that changed meaning, then an office that changed."""
    before, after = change.before, change.after
    drafts = []
    listed_again = before.status == NO_LONGER_LISTED
    kind, previous = after.status_kind, before.status_kind
    if kind != previous and (kind != "filed" or listed_again):
        what = "listed again" if listed_again and kind == "filed" else UPDATE_WORDS[kind]
        drafts.append(candidate_update(run, after, what, previous_status=previous))
    if after.office_key != before.office_key:
        drafts.append(candidate_update(run, after, "office_changed", previous_office=before.office))
    return drafts


def _announce(
    run: RunFacts, created: tuple[CandidacySnapshot, ...], earlier: Campaigns
) -> list[ChangeDraft]:
    """One ``new_candidate`` per new (person, office) of this run, for its nearest election."""
    groups: dict[tuple[str, str], list[CandidacySnapshot]] = defaultdict(list)
    for candidacy in created:
        groups[(candidacy.name_key, candidacy.office_key)].append(candidacy)
    today = run.today
    drafts = []
    for pair, candidacies in groups.items():
        dates = [c.election.date for c in candidacies]
        if any(_same_campaign(date, other) for date in dates for other in earlier.get(pair, ())):
            continue
        candidacies.sort(key=lambda c: _nearest(c.election.date, today))
        first, others = candidacies[0], candidacies[1:]
        other_dates = [c.election.date.isoformat() for c in others if c.election.date]
        drafts.append(new_candidate(run, first, other_dates))
    return drafts


def _same_campaign(date: dt.date | None, other: dt.date | None) -> bool:
    if date is None or other is None:
        return True
    return abs((date - other).days) <= SAME_CAMPAIGN_DAYS


def _nearest(date: dt.date | None, today: dt.date) -> tuple[int, int]:
    """Upcoming elections first (soonest first), then past ones (latest first)."""
    if date is None:
        return (2, 0)
    days = (date - today).days
    return (0, days) if days >= 0 else (1, -days)
