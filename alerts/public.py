"""What of a change may leave the store: the contract's object without personal addresses.

Candidate filings carry home street addresses. They are kept in the store for matching
but never shown in email, feeds, webhooks or web pages; every outward path goes through
:func:`public_change` / :func:`public_data`. Links from crawled pages are only passed on
when they are plain http(s) URLs, so a ``javascript:`` link cannot reach a reader.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from civicradar.models.privacy import PRIVATE_KEYS, is_private_key, without_private
from civicradar.models.tables import Change

__all__ = ["PRIVATE_KEYS", "is_private_key", "public_change", "public_data", "safe_url"]

# The predicate lives with the store, which also strips addresses from new changes.
public_data = without_private


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def public_change(change: Change) -> dict[str, Any]:
    """The contract's JSON object for one change, minus personal addresses."""
    return {
        "id": change.id,
        "kind": change.kind,
        "jurisdiction": change.jurisdiction_id,
        "source": change.source_key,
        "detected_at": change.detected_at.isoformat(),
        "summary": change.summary,
        "url": change.url,
        "data": public_data(change.data or {}),
    }


def searchable_text(change: Change) -> str:
    """Summary plus the public data values, lower-cased, for matching a reader's terms."""
    data = json.dumps(public_data(change.data or {}), ensure_ascii=False, default=str)
    return f"{change.summary}\n{data}".lower()


def matches_filters(
    change: Change,
    *,
    jurisdictions: list[str] | None = None,
    kinds: list[str] | None = None,
    terms: list[str] | None = None,
) -> bool:
    """Whether a change passes a reader's filters; an unset filter lets everything through."""
    if jurisdictions and change.jurisdiction_id not in jurisdictions:
        return False
    if kinds and change.kind not in kinds:
        return False
    if terms:
        text = searchable_text(change)
        return any(term.lower() in text for term in terms if term.strip())
    return True
