"""The one registry of source types, platforms and change kinds.

Config validation, the crawler lookup (``crawlers/registry.py``), detection, the docs and
``civicradar --help`` all read these; ``tests/test_registry.py`` holds them equal.
Adding a platform is one :class:`Platform` line here and one spider line in the crawler
registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

SourceType = Literal["agendas", "staff_directory", "candidate_list"]
SOURCE_TYPES: tuple[SourceType, ...] = get_args(SourceType)

ChangeKind = Literal[
    "new_candidate",
    "candidate_update",
    "staff_departure",
    "staff_arrival",
    "staff_role_change",
    "agenda_match",
    "meeting_change",
    "source_problem",
]
CHANGE_KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)


@dataclass(frozen=True)
class Platform:
    """A platform a source of some type may name, and how a user points CivicRadar at it."""

    name: str
    source_type: SourceType
    address: str  # the public address a user copies from the browser, for docs and --help
    fixed_layout: bool = True  # the spider knows the layout: ``fields`` would be ignored
    needs_url: bool = True
    selectors: bool = False  # reads HTML pages: CSS ``selectors`` may replace inference


PLATFORM_LIST: tuple[Platform, ...] = (
    Platform(
        "legistar",
        "agendas",
        "client: CITY (Web API), or url: https://CITY.legistar.com/Calendar.aspx",
        needs_url=False,
    ),
    Platform("rss", "agendas", "any RSS/Atom feed of meetings"),
    Platform("civicplus", "agendas", "https://CITY/AgendaCenter"),
    Platform("granicus", "agendas", "https://CITY.granicus.com/ViewPublisher.php?view_id=N"),
    Platform("primegov", "agendas", "https://CITY.primegov.com"),
    Platform("civicclerk", "agendas", "https://CITY.api.civicclerk.com (the events API host)"),
    Platform("escribe", "agendas", "https://pub-CITY.escribemeetings.com"),
    Platform("boarddocs", "agendas", "https://go.boarddocs.com/ST/ORG/Board.nsf"),
    Platform("iqm2", "agendas", "https://CITY.iqm2.com/Citizens/calendar.aspx"),
    Platform("novusagenda", "agendas", "https://CITY.novusagenda.com/agendapublic/"),
    Platform("ics", "agendas", "any iCalendar (.ics) address"),
    Platform(
        "html_table", "staff_directory", "a page listing people", fixed_layout=False, selectors=True
    ),
    Platform("csv", "staff_directory", "a CSV export", fixed_layout=False),
    Platform("json", "staff_directory", "a JSON list (open data)", fixed_layout=False),
    Platform("civicplus", "staff_directory", "https://CITY/Directory.aspx"),
    Platform("legistar", "staff_directory", "client: CITY (Legistar Web API)", needs_url=False),
    Platform("csv", "candidate_list", "a CSV export", fixed_layout=False),
    Platform("json", "candidate_list", "a JSON list", fixed_layout=False),
    Platform(
        "html_table",
        "candidate_list",
        "a page listing candidates",
        fixed_layout=False,
        selectors=True,
    ),
    Platform("openfec", "candidate_list", "the OpenFEC API (api_key)", needs_url=False),
)

PLATFORMS: dict[SourceType, dict[str, Platform]] = {
    source_type: {p.name: p for p in PLATFORM_LIST if p.source_type == source_type}
    for source_type in SOURCE_TYPES
}


def platform(source_type: str, name: str) -> Platform | None:
    return PLATFORMS.get(source_type, {}).get(name)  # type: ignore[call-overload]


def platform_names(source_type: str) -> tuple[str, ...]:
    return tuple(PLATFORMS.get(source_type, {}))  # type: ignore[call-overload]


def platforms_help() -> str:
    """One line per source type listing its platforms, for ``--help`` and messages."""
    return "\n".join(
        f"{source_type}: {', '.join(platform_names(source_type))}" for source_type in SOURCE_TYPES
    )
