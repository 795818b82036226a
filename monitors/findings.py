"""What a detector returns, and the settings it judges with.

A detector is a pure function of (run facts, the run's diff from ingest, settings): it
returns :class:`Findings`, change drafts for the log and store effects for ``models`` to
apply, so it can be called in a test with objects made by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civicradar.config.schema import Detection, Initiative
from civicradar.models.ingest.effects import Effect
from civicradar.models.store import ChangeDraft


@dataclass(frozen=True)
class Settings:
    """The thresholds of the run's source and the initiative agendas are searched for."""

    detection: Detection
    initiative: Initiative


@dataclass
class Findings:
    changes: list[ChangeDraft] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def extend(self, other: Findings) -> None:
        self.changes.extend(other.changes)
        self.effects.extend(other.effects)
