"""People listed as cards (``li.views-row``, ``div.staff-member`` ...) rather than a table.

A card list is the largest group of sibling elements sharing a tag and class that each
hold a person's name (a heading or profile link) and a title or a ``mailto:`` link.
Links that administer the page ("Add Person", edit links) are never people.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from parsel import Selector

from civicradar.crawlers.tabular import clean_text
from civicradar.models.records import PersonRecord

CARD_SELECTOR = (
    "li.views-row, div.views-row, article, li[class*=staff], div[class*=staff], "
    "li[class*=person], div[class*=person], li[class*=member], div[class*=member], "
    "div[class*=card], li[class*=card], div[class*=profile], li[class*=directory]"
)
ADMIN = re.compile(r"^(add|edit|delete|new|create)\b|/(node/add|edit|admin)\b", re.I)
PHONE = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}")


def people_cards(response: Any) -> list[PersonRecord]:
    """Every person card on the page (an empty list when the page has no card layout)."""
    groups: dict[tuple[str, str], list[Selector]] = defaultdict(list)
    for node in response.css(CARD_SELECTOR):
        classes = " ".join(sorted(c for c in node.attrib.get("class", "").split() if _stable(c)))
        groups[(node.root.tag, classes)].append(node)
    best: list[PersonRecord] = []
    for nodes in groups.values():
        people = [p for p in (_card(node, response) for node in nodes) if p is not None]
        if len(people) >= 2 and len(people) > len(best):
            best = people
    return best


def _stable(css_class: str) -> bool:
    """Classes shared by every card (not ``views-row-3`` or ``odd``)."""
    return not re.search(r"\d|^(odd|even|first|last)$|-(odd|even|first|last)$", css_class)


def _card(node: Selector, response: Any) -> PersonRecord | None:
    name_node = (
        node.css("h1, h2, h3, h4, h5, [class*=name]")[:1]
        or node.css("a:not([href^=mailto]):not([href^=tel])")[:1]
    )
    if not name_node:
        return None
    name = clean_text(" ".join(name_node[0].css("::text").getall()))
    link = name_node[0].css("a::attr(href)").get() or name_node[0].attrib.get("href")
    if not name or ADMIN.search(name) or (link and ADMIN.search(link)):
        return None
    email = node.css("a[href^=mailto]::attr(href), a[href^=MAILTO]::attr(href)").get()
    title = _field(node, "title", "position", "job", "role")
    department = _field(node, "department", "dept", "division")
    if title == name:
        title = None
    if not (email or title):
        return None
    text = clean_text(" ".join(node.css("::text").getall()))
    phone = node.css("a[href^=tel]::text").get() or _first(PHONE.findall(text))
    return PersonRecord(
        name=name,
        title=title,
        department=department,
        email=email,
        phone=clean_text(phone) if phone else None,
        url=response.urljoin(link) if link else None,
    )


def _field(node: Selector, *words: str) -> str | None:
    for word in words:
        for found in node.css(f"[class*={word}]"):
            if found.css("h1, h2, h3, h4, h5") or found.css("a[href^=mailto]"):
                continue
            text = clean_text(" ".join(found.css("::text").getall()))
            if text:
                return text
    return None


def _first(values: list[str]) -> str | None:
    return values[0] if values else None
