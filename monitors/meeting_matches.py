"""Every match of a meeting: its targets read in order, matched, merged by key.

The readers are plain functions of a :class:`MeetingSnapshot`: the platform's agenda
items first, then the agenda documents, so the first place a key is found in is the
main one (an item's title before its line in the PDF).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from civicradar.models.ingest.meetings import MeetingSnapshot
from civicradar.models.records import FEED_ENTRY_ITEM
from civicradar.monitors.documents import document_targets
from civicradar.monitors.matching import Matcher
from civicradar.monitors.targets import FoundMatch, MatchTarget, find_in


def item_targets(meeting: MeetingSnapshot) -> Iterable[MatchTarget]:
    for item in sorted(meeting.items, key=lambda i: (i.sequence, i.id)):
        text = "\n".join(part for part in (item.title, item.text) if part)
        yield MatchTarget(
            key=f"item:{item.external_id}",
            kind="entry" if item.external_id == FEED_ENTRY_ITEM else "item",
            title=item.title,
            text=text,
            extra={
                "item_number": item.number,
                "matter_file": item.matter_file,
                "matter_type": item.matter_type,
                "action": item.action,
                "mover": item.mover,
                "seconder": item.seconder,
            },
        )


TARGET_READERS: tuple[Callable[[MeetingSnapshot], Iterable[MatchTarget]], ...] = (
    item_targets,
    document_targets,
)


def meeting_matches(meeting: MeetingSnapshot, matcher: Matcher) -> dict[str, FoundMatch]:
    """Every target of the meeting that touches the initiative, by target key, merged."""
    found: dict[str, FoundMatch] = {}
    for reader in TARGET_READERS:
        for target in reader(meeting):
            match = find_in(target, matcher)
            if match is None:
                continue
            previous = found.get(target.key)
            found[target.key] = match if previous is None else previous.merged(match, matcher)
    return found


def observed_sources(meeting: MeetingSnapshot) -> frozenset[str]:
    """Where a meeting's matches could have been seen: its items, and each document kind
    whose text is stored. A match from a kind not observed before is no amendment."""
    kinds = {d.kind for d in meeting.documents if d.pages and not d.replaced}
    return frozenset({"item", *kinds})
