"""Arrivals, departures and role changes on staff directories and officials' rosters.

A pure function of the run's :class:`StaffDiff` (``models/ingest/staff.py`` decided who
is who and wrote what the run saw). Rules:

- the first healthy run is the baseline: its new posts are no arrivals;
- a known person in a new post is a ``staff_role_change`` (ingest ended the old post);
- an open tenure missing from ``departure_after_runs`` consecutive healthy runs, on as
  many different local days, ends as departed, dated by the last local day it was seen
  (``staff_departure``); every absence before that is counted;
- a suspicious run is no news at all: no absences, arrivals or role changes;
- an ``unchanged`` run (a 304) reports the tenures its list was already missing, so their
  absences count as if the same page had been served again.
"""

from __future__ import annotations

from civicradar.models.ingest.effects import TenureAbsent, TenureEnded
from civicradar.models.ingest.run import RunFacts
from civicradar.models.ingest.staff import StaffDiff, TenureSnapshot
from civicradar.models.store import ChangeDraft
from civicradar.monitors.absences import count_absence
from civicradar.monitors.findings import Findings, Settings

IMPORTANCE = {"staff_departure": 80, "staff_role_change": 50, "staff_arrival": 40}


def detect_staff(run: RunFacts, diff: StaffDiff, settings: Settings) -> Findings:
    findings = Findings()
    if not run.healthy:
        return findings
    for change in diff.updated:
        findings.changes.append(_role_change(run, change.after, change.before))
    if not run.baseline:
        findings.changes.extend(_arrival(run, tenure) for tenure in diff.inserted)
    limit = settings.detection.departure_after_runs
    for tenure in diff.missing:
        absence = count_absence(tenure.missing_runs, tenure.missing_since, run.today, limit)
        findings.effects.append(
            TenureAbsent(tenure.tenure_id, absence.missing_runs, absence.missing_since)
        )
        if absence.gone:
            ended_on = run.local_date(tenure.last_seen)
            findings.effects.append(TenureEnded(tenure.tenure_id, ended_on, "departed"))
            findings.changes.append(_departure(run, tenure, ended_on.isoformat()))
    return findings


def _data(tenure: TenureSnapshot) -> dict[str, object]:
    return {
        "name": tenure.name,
        "title": tenure.title,
        "department": tenure.department,
        "role": tenure.role,
        "email": tenure.email,
        "person_id": tenure.person_id,
        "tenure_id": tenure.tenure_id,
    }


def _where(tenure: TenureSnapshot) -> str:
    parts = [p for p in (tenure.title, tenure.department) if p]
    return ", ".join(parts) if parts else "no title listed"


def _draft(run: RunFacts, kind: str, tenure: TenureSnapshot, summary: str) -> ChangeDraft:
    return ChangeDraft(
        kind=kind,
        jurisdiction_id=run.jurisdiction_id,
        source_key=run.source_key,
        dedupe_key=f"{kind}:{tenure.tenure_id}",
        summary=summary,
        url=run.source_url,
        data=_data(tenure),
        importance=IMPORTANCE[kind],
    )


def _arrival(run: RunFacts, tenure: TenureSnapshot) -> ChangeDraft:
    who = "official" if tenure.role == "official" else "staff"
    summary = f"New {who}: {tenure.name} ({_where(tenure)})"
    return _draft(run, "staff_arrival", tenure, summary)


def _role_change(run: RunFacts, tenure: TenureSnapshot, previous: TenureSnapshot) -> ChangeDraft:
    summary = f"{tenure.name}: {_where(previous)} -> {_where(tenure)}"
    draft = _draft(run, "staff_role_change", tenure, summary)
    draft.data["previous_title"] = previous.title
    draft.data["previous_department"] = previous.department
    return draft


def _departure(run: RunFacts, tenure: TenureSnapshot, last_seen: str) -> ChangeDraft:
    summary = f"{tenure.name} left ({_where(tenure)}); last seen {last_seen}"
    draft = _draft(run, "staff_departure", tenure, summary)
    draft.data["last_seen"] = last_seen
    return draft
