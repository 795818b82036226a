"""The one registry of platforms and change kinds, and everything that must agree with it."""

from __future__ import annotations

from pathlib import Path

from civicradar.alerts.kinds import DETAIL_FIELDS, KIND_LABELS, KIND_ORDER, KIND_SINGULAR
from civicradar.config.platforms import CHANGE_KINDS, PLATFORM_LIST, SOURCE_TYPES
from civicradar.crawlers.registry import SPIDERS

DOCS = Path(__file__).resolve().parents[1] / "docs"

NOT_YET: set[tuple[str, str]] = set()
"""Platforms the config accepts (the design's contract) whose spider has not landed yet."""


def test_every_configured_platform_has_a_spider_and_no_spider_is_unconfigured():
    configured = {(p.source_type, p.name) for p in PLATFORM_LIST}
    assert set(SPIDERS) == configured - NOT_YET


def test_platform_names_are_unique_per_source_type():
    pairs = [(p.source_type, p.name) for p in PLATFORM_LIST]
    assert len(pairs) == len(set(pairs))
    assert {p.source_type for p in PLATFORM_LIST} == set(SOURCE_TYPES)


def test_help_lists_every_platform(cli_run):
    result = cli_run("--help")
    for source_type in SOURCE_TYPES:
        lines = [line.strip() for line in result.output.splitlines()]
        line = next(line for line in lines if line.startswith(f"{source_type}:"))
        names = [p.name for p in PLATFORM_LIST if p.source_type == source_type]
        assert line == f"{source_type}: {', '.join(names)}"


def test_configuration_docs_name_every_platform():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for platform in PLATFORM_LIST:
        assert f"`{platform.name}`" in text or platform.name in text, platform


def test_every_change_kind_has_a_label_an_order_and_details():
    for table in (KIND_ORDER, KIND_LABELS, KIND_SINGULAR, DETAIL_FIELDS):
        assert set(table) == set(CHANGE_KINDS)


def test_cli_kind_choices_are_the_registry(cli_run):
    result = cli_run("changes", "--kind", "nope")
    assert result.exit_code == 2
    for kind in CHANGE_KINDS:
        assert kind in result.output
