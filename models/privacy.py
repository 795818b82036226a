"""Personal data that stays in the store: the home addresses on candidate filings.

Addresses are kept on candidacies (for matching and for the team's own SQL), but no
change, feed, email, webhook or web page carries them. :func:`without_private` is applied
when a change enters the log and again on every outward path (``alerts/public.py``).
"""

from __future__ import annotations

from typing import Any

# Keys that hold (or may hold) where someone lives; ``email_address`` is contact data.
PRIVATE_KEYS = frozenset(
    {
        "street",
        "residence",
        "zip",
        "zip_code",
        "postal_code",
        "city_state_zip",
        "addr",
        "location_address",
    }
)


def is_private_key(key: str) -> bool:
    """A data key that names a street/home address (but not an e-mail or web address)."""
    lowered = key.lower()
    if lowered in PRIVATE_KEYS:
        return True
    return "address" in lowered and "email" not in lowered and "web" not in lowered


def without_private(value: Any) -> Any:
    """A copy of ``value`` with every address-like key removed, at any depth."""
    if isinstance(value, dict):
        return {
            key: without_private(item)
            for key, item in value.items()
            if not (isinstance(key, str) and is_private_key(key))
        }
    if isinstance(value, list):
        return [without_private(item) for item in value]
    return value
