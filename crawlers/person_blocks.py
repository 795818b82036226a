"""People laid out as repeated blocks rather than a table: cards, list items, ``dl`` lists,
or runs of lines under one name heading each — with any classes or none.

The page's block elements are grouped by their tag path (``html/body/div/div/ul/li``,
classes ignored); a group is read as people when its blocks each hold one person (see
``crawlers/person_text.py``). Flat layouts, where a ``h4`` name, a paragraph and the next
``h4`` are siblings, or ``dt``/``dd`` pairs, are cut into runs of lines at each name
line. The group yielding the most people wins. The department of each person is the
nearest heading above its block, when such headings divide the people into sections.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from civicradar.crawlers.page_lines import HEADINGS, Line, PageLines, page_lines
from civicradar.crawlers.person_text import Person, looks_like_name, read_person, tagged_as_person

_CARD_TAGS = """
div li article section p dd td tr address figure aside
"""
CARD_TAGS = frozenset(_CARD_TAGS.split())
_CONTAINER_TAGS = """
div ul ol dl section article main body td aside
"""
CONTAINER_TAGS = frozenset(_CONTAINER_TAGS.split())
MAX_CARD_LINES = 14
PEOPLE_SAMPLE = 40
NAVIGATION_TAGS = frozenset({"nav", "header", "footer", "head"})
NAVIGATION = re.compile(
    r"(?:^|[\s_-])(nav|navbar|navigation|menu|megamenu|mainmenu|breadcrumbs?|footer)(?:$|[\s_-])",
    re.I,
)
ADMIN = re.compile(r"^(add|edit|delete|new|create)\b|/(node/add|edit|admin)\b", re.I)


@dataclass
class Block:
    """A run of lines holding one person: a card element, or a cut of a flat layout."""

    start: int
    end: int
    person: Person


@dataclass
class BlockLayout:
    """The people of a page read from repeated blocks, and how they were found."""

    people: list[dict[str, str]]
    record: str  # "li (ul > li, no class) x 7"
    how: dict[str, str]
    blocks: int
    departments: str | None = None  # "h3 headings above" when sections name departments


@dataclass
class _Group:
    key: tuple[str, ...]
    blocks: list[Block] = field(default_factory=list)
    tried: int = 0


def people_blocks(selector: Any) -> BlockLayout | None:
    """The largest group of repeated person blocks on a page (a parsel Selector), or None."""
    root = selector.root
    if not hasattr(root, "iter"):
        return None
    page = page_lines(root)
    scripts = _scripts_by_line(page)
    memo: dict[tuple[int, int], Person | None] = {}

    def person_at(start: int, end: int) -> Person | None:
        """Nested containers cut the same runs: each span is read once."""
        if (start, end) not in memo:
            person = read_person(page.lines[start:end], scripts(start, end))
            memo[start, end] = None if person is None or _admin(person) else person
        return memo[start, end]

    groups: dict[tuple[str, ...], _Group] = {}
    paths: dict[Any, str] = {}
    navigation: set[Any] = set()
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        parent = element.getparent()
        path = f"{paths.get(parent, '')}/{tag}"
        paths[element] = path
        if parent in navigation or _navigation(element, tag):
            navigation.add(element)
            continue
        if element not in page.spans:
            continue
        start, end = page.spans[element]
        if tag in CARD_TAGS and 1 <= end - start <= MAX_CARD_LINES:
            group = groups.setdefault(("card", path), _Group(("card", path)))
            group.tried += 1
            person = person_at(start, end)
            if person is not None:
                group.blocks.append(Block(start, end, person))
        if tag in CONTAINER_TAGS and end - start >= 4:
            for key, blocks, tried in _runs(page, path, start, end, person_at):
                group = groups.setdefault(key, _Group(key))
                group.tried += tried
                _merge(group, blocks)
    for group in sorted(groups.values(), key=_score, reverse=True):
        if len(group.blocks) < 2:
            break
        if _mostly_people(group):
            return _layout(page, group)
    return None


def _runs(
    page: PageLines, path: str, start: int, end: int, person_at: Any
) -> Iterator[tuple[tuple[str, ...], list[Block], int]]:
    """A flat layout cut at each line of one kind (a heading level, bold text, ``dt``):
    each cut runs to the next such line or to a heading above that level."""
    lines = page.lines[start:end]
    kinds = Counter(line.kind for line in lines if line.kind)
    for kind, count in kinds.items():
        if count < 2:
            continue
        level = HEADINGS.get(kind, 7)
        blocks: list[Block] = []
        cut: int | None = None
        tried = 0
        for index in range(start, end + 1):
            line = page.lines[index] if index < end else None
            ends_section = line is not None and HEADINGS.get(line.kind, 9) < level
            if cut is not None and (line is None or line.kind == kind or ends_section):
                tried += 1
                person = person_at(cut, index)
                if person is not None:
                    blocks.append(Block(cut, index, person))
                cut = None
            if line is not None and line.kind == kind:
                cut = index
        yield ("run", path, kind), blocks, tried


def _merge(group: _Group, blocks: list[Block]) -> None:
    """Containers on the same tag path (one section per department) add their runs up."""
    group.blocks.extend(blocks)


def _score(group: _Group) -> tuple[int, int, int, int, int]:
    """More people; cards before runs; more fields read; the tighter blocks; the deeper."""
    filled = sum(len(b.person.fields) for b in group.blocks)
    lines = sum(b.end - b.start for b in group.blocks)
    depth = group.key[1].count("/")
    return (len(group.blocks), 1 if group.key[0] == "card" else 0, filled, -lines, depth)


def _mostly_people(group: _Group) -> bool:
    """Not all alike, and most blocks carry an email or most names (of a sample of 40)
    read as people to probablepeople: lists of offices, schools or programs pass the
    looser checks of one block, but rarely both of these."""
    names = [b.person.fields["name"] for b in group.blocks]
    if len(set(names)) < 2:
        return False
    if sum("email" in b.person.fields for b in group.blocks) * 2 > len(group.blocks):
        return True  # each with an address of their own: people, whatever the name parser says
    sample = names[:: max(1, len(names) // PEOPLE_SAMPLE)][:PEOPLE_SAMPLE]
    return sum(tagged_as_person(name) for name in sample) * 2 > len(sample)


def _navigation(element: Any, tag: str) -> bool:
    """Menus, headers and footers list pages, not people."""
    if tag in NAVIGATION_TAGS:
        return True
    marks = " ".join(element.get(a, "") for a in ("class", "id", "role")) if tag else ""
    return bool(marks and NAVIGATION.search(marks))


def _admin(person: Person) -> bool:
    return bool(ADMIN.search(person.fields["name"]) or ADMIN.search(person.fields.get("url", "")))


def _scripts_by_line(page: PageLines) -> Any:
    """Inline scripts sitting among a block's lines (CivicPlus writes emails with them)."""
    positions = sorted(page.scripts)

    def within(start: int, end: int) -> tuple[str, ...]:
        low = bisect.bisect_left(positions, start + 1)
        high = bisect.bisect_left(positions, end)
        return tuple(page.scripts[p] for p in positions[low:high])

    return within


def _layout(page: PageLines, group: _Group) -> BlockLayout:
    blocks = sorted(group.blocks, key=lambda b: b.start)
    departments, heading_kind = _departments(page, blocks)
    people = []
    how: Counter[tuple[str, str]] = Counter()
    for block, department in zip(blocks, departments, strict=True):
        fields = dict(block.person.fields)
        if department and "department" not in fields:
            fields["department"] = department
        people.append(fields)
        how.update(block.person.how.items())
    chosen: dict[str, str] = {}
    for (name, rule), _ in how.most_common():
        chosen.setdefault(name, rule)
    if heading_kind:
        chosen.setdefault("department", f"{heading_kind} headings above")
    return BlockLayout(
        people=people,
        record=_describe(group),
        how=chosen,
        blocks=group.tried,
        departments=f"{heading_kind} headings above" if heading_kind else None,
    )


def _departments(page: PageLines, blocks: list[Block]) -> tuple[list[str | None], str | None]:
    """The nearest heading above each block (outside every block), of the level most of
    them have; kept only when at least two different headings divide the blocks."""
    inside = [False] * len(page.lines)
    for block in blocks:
        for index in range(block.start, block.end):
            inside[index] = True
    headings = [
        i
        for i, line in enumerate(page.lines)
        if not inside[i] and line.kind.startswith("h") and not looks_like_name(line.text)
    ]
    nearest = [_before(headings, block.start) for block in blocks]
    levels = Counter(page.lines[i].kind for i in nearest if i is not None)
    if not levels:
        return [None] * len(blocks), None
    kind = levels.most_common(1)[0][0]
    same_level = [i for i in headings if page.lines[i].kind == kind]
    names = [_text(page.lines, _before(same_level, block.start)) for block in blocks]
    if len({n for n in names if n}) < 2:
        return [None] * len(blocks), None
    return names, kind


def _before(indexes: list[int], position: int) -> int | None:
    at = bisect.bisect_left(indexes, position)
    return indexes[at - 1] if at else None


def _text(lines: list[Line], index: int | None) -> str | None:
    return lines[index].text if index is not None else None


def _describe(group: _Group) -> str:
    kind, path = group.key[0], group.key[1]
    tail = " > ".join(path.strip("/").split("/")[-3:])
    if kind == "card":
        return f"repeated {tail} blocks"
    return f"runs of lines from each {group.key[2]} in {tail}"


def describe_page(selector: Any) -> str:
    """What a page holds when no people were found on it, in a sentence."""
    tables = selector.css("table")
    headers = []
    for table in tables[:3]:
        cells = table.css("tr")[:1].css("th, td")
        headers.append(", ".join(c.xpath("normalize-space()").get() or "" for c in cells)[:80])
    headings = [h.xpath("normalize-space()").get() for h in selector.css("h1, h2, h3")][:5]
    mailtos = len(selector.css('a[href^="mailto:"], a[href^="MAILTO:"]'))
    parts = [f"{len(tables)} table{'s' if len(tables) != 1 else ''}"]
    if headers:
        parts[0] += " (first rows: " + " | ".join(headers) + ")"
    parts.append(f"{mailtos} mailto: link{'s' if mailtos != 1 else ''}")
    if headings:
        parts.append("headings: " + "; ".join(h for h in headings if h))
    return ", ".join(parts)
