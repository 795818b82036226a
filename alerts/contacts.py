"""Email addresses, phone numbers and websites from filings and rosters, as links a reader taps.

Only three kinds of link are ever made from crawled contact text: ``mailto:`` for a plain
address, ``tel:`` for a number, and ``http(s)`` for a website. Anything else (a
``javascript:`` "website", an address with markup in it) gets no link and is shown as text.
"""

from __future__ import annotations

import re

from civicradar.alerts.public import safe_url

# A deliberately plain address: no quotes, spaces, angle brackets or comments.
_ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
# A number as people write it, optionally followed by an extension we leave out of the link.
_PHONE = re.compile(r"^\s*(\+?[\d\s().\-/]{7,}?)\s*(?:(?:ext\.?|x|#)\s*\d+)?\s*$", re.IGNORECASE)
# A website written without its scheme ("www.price2026.org", "price2026.org/about").
_BARE_SITE = re.compile(r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:/\S*)?$")


def mailto_link(address: str | None) -> str | None:
    """``mailto:`` for a plain address, else None."""
    text = (address or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return f"mailto:{text}" if _ADDRESS.match(text) else None


def tel_link(phone: str | None) -> str | None:
    """``tel:`` for a phone number (RFC 3966); ten digits are read as a North American number."""
    found = _PHONE.match(phone or "")
    if found is None:
        return None
    digits = re.sub(r"\D", "", found.group(1))
    if found.group(1).lstrip().startswith("+"):
        return f"tel:+{digits}" if 7 <= len(digits) <= 15 else None
    if len(digits) == 10:
        return f"tel:+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"tel:+{digits}"
    return f"tel:{digits}" if 7 <= len(digits) <= 15 else None


def website_link(website: str | None) -> str | None:
    """The site as an http(s) URL (``https://`` added to a bare domain), else None."""
    text = (website or "").strip()
    if safe_url(text):
        return text
    if _BARE_SITE.match(text):
        return safe_url(f"https://{text}")
    return None


CONTACT_LINKS = {"email": mailto_link, "phone": tel_link, "website": website_link}


def contact_link(key: str, value: str) -> str | None:
    """The link for a contact field (``email``, ``phone``, ``website``), if it makes a safe one."""
    build = CONTACT_LINKS.get(key)
    return build(value) if build else None
