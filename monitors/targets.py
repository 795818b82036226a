"""What of a meeting can match the initiative, and how matches found in several places merge.

A :class:`MatchTarget` is a piece of a meeting that can match: an agenda item, or the
text of an agenda document (``meeting_matches.py`` lists where they come from). A
target's key is its identity across runs and its dedupe key in the change log: a
document item aligned with an agenda item takes that item's key (``item:<id>``), so an
item found in both its title and the PDF is one :class:`FoundMatch` (and one change).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from civicradar.monitors.matching import Matcher, snippet

AMENDABLE = ("item", "document_item", "document")  # kinds whose edits are agenda amendments


@dataclass(frozen=True)
class MatchTarget:
    """A piece of a meeting that can match: an agenda item, a document's item or text."""

    key: str  # stable within the meeting: "item:<id>", "doc:agenda:<title>", "doc:agenda"
    kind: str  # item | entry | document_item | document
    title: str
    text: str
    extra: dict[str, Any] = field(default_factory=dict)
    source: str = "item"  # "item" (the platform's item list) or a document kind ("agenda")
    page_starts: tuple[int, ...] = ()  # offsets in ``text`` where pages after the first begin
    first_page: int | None = None  # page of ``text``'s start, for document targets

    def page_at(self, offset: int) -> int | None:
        if self.first_page is None:
            return None
        return self.first_page + bisect_right(self.page_starts, offset)


@dataclass(frozen=True)
class FoundMatch:
    """A target that matched; ``sources`` holds, per place it was found, what a later run
    compares to tell an amended agenda; ``also`` the same item found in other places."""

    target: MatchTarget
    terms: tuple[str, ...]
    snippet: str
    page: int | None = None
    sources: dict[str, str] = field(default_factory=dict)
    also: tuple[FoundMatch, ...] = ()

    def merged(self, other: FoundMatch, matcher: Matcher) -> FoundMatch:
        terms = matcher.matched_terms_of([*self.terms, *other.terms])
        return FoundMatch(
            self.target,
            tuple(terms),
            self.snippet,
            self.page,
            {**other.sources, **self.sources},
            (*self.also, other, *other.also),
        )

    def in_document(self) -> FoundMatch | None:
        """Where this match was found in a document (itself or a merged match), if anywhere."""
        return next((m for m in (self, *self.also) if m.target.source != "item"), None)


def find_in(target: MatchTarget, matcher: Matcher) -> FoundMatch | None:
    hits = matcher.find(target.text)
    if not hits:
        return None
    first = snippet(target.text, hits[0])
    if target.kind == "document":
        # Whole-document text: compare only what matched, not every word of the file.
        evidence = "\n".join(sorted({snippet(target.text, h, 100) for h in hits}))
    else:
        evidence = " ".join(target.text.split())
    terms = tuple(matcher.matched_terms(hits))
    return FoundMatch(
        target,
        terms,
        first,
        target.page_at(hits[0].start),
        {target.source: f"{', '.join(terms)}\n{evidence}"},
    )


def amendment(
    before: dict[str, FoundMatch],
    after: dict[str, FoundMatch],
    observed: frozenset[str],
    *,
    removals: bool,
) -> dict[str, list[str]]:
    """Matching agenda items that appeared, changed or (in a healthy run) disappeared,
    judged only on the places (``observed``) that could be seen in the earlier run."""
    old = {k: m for k, m in before.items() if m.target.kind in AMENDABLE}
    new = {k: m for k, m in after.items() if m.target.kind in AMENDABLE}

    def seen(match: FoundMatch) -> dict[str, str]:
        return {s: v for s, v in match.sources.items() if s in observed}

    changes = {
        "items_added": [new[k].target.title for k in new if k not in old and seen(new[k])],
        "items_changed": [
            new[k].target.title
            for k in new
            if k in old and any(seen(new[k]).get(s) != seen(old[k]).get(s) for s in observed)
        ],
        "items_removed": [old[k].target.title for k in old if k not in new] if removals else [],
    }
    return {name: titles for name, titles in changes.items() if titles}
