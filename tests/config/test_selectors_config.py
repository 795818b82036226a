"""``selectors`` on a source are checked when the file is loaded: a selector that does not
parse, an unknown key, a platform that cannot use them — each exits 2 with the key path."""

from __future__ import annotations

import pytest

from civicradar.config import ConfigError, parse_config
from tests.conftest import write_config

BASE = """
initiative: {name: Early Learning, terms: ["child care"]}
jurisdictions:
  - id: springfield
    name: City of Springfield
    sources:
      - {id: council, type: agendas, platform: rss, url: "https://example.org/feed"}
      - id: officials
        type: staff_directory
        platform: html_table
        url: https://example.org/officials
        selectors: {record: "div.Section", name: "h4", title: "p", department: "h3"}
"""


def test_selectors_are_accepted_with_record_and_field_keys():
    source = parse_config(BASE).jurisdictions[0].sources[1]
    assert source.selectors == {
        "record": "div.Section",
        "name": "h4",
        "title": "p",
        "department": "h3",
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('name: "h4"', 'name: "h4["'),
            "x.yaml: jurisdictions[0].sources[1].selectors.name: not a CSS selector",
        ),
        (
            ('record: "div.Section"', 'record: "div..Section"'),
            "x.yaml: jurisdictions[0].sources[1].selectors.record: not a CSS selector",
        ),
        (
            ('name: "h4"', 'nmae: "h4"'),
            "x.yaml: jurisdictions[0].sources[1].selectors.nmae: 'nmae' is not a selector key "
            "of a staff_directory source; did you mean 'name'?",
        ),
        (
            ('record: "div.Section", ', ""),
            "x.yaml: jurisdictions[0].sources[1].selectors.record: required",
        ),
        (
            ('name: "h4", ', ""),
            "x.yaml: jurisdictions[0].sources[1].selectors.name: required",
        ),
        (
            ("platform: html_table", "platform: csv"),
            "x.yaml: jurisdictions[0].sources[1].selectors: a csv source cannot use CSS selectors",
        ),
        (
            ("platform: html_table", "platform: civicplus"),
            "x.yaml: jurisdictions[0].sources[1].selectors: a civicplus source cannot use CSS",
        ),
        (
            (
                "url: https://example.org/officials",
                "url: https://e.org/o\n        fields: {name: A}",
            ),
            "x.yaml: jurisdictions[0].sources[1].selectors: give either fields",
        ),
    ],
)
def test_bad_selectors_name_the_key_path(change, expected):
    with pytest.raises(ConfigError) as error:
        parse_config(BASE.replace(*change), "x.yaml")
    assert expected in str(error.value)


def test_candidate_selectors_need_an_office():
    text = BASE.replace("type: staff_directory", "type: candidate_list").replace(
        'title: "p", department: "h3"', 'party: "span.party"'
    )
    with pytest.raises(ConfigError) as error:
        parse_config(text, "x.yaml")
    assert "jurisdictions[0].sources[1].selectors.office: required" in str(error.value)


def test_a_selector_that_does_not_parse_exits_2_from_the_cli(tmp_path, cli_run):
    source = {
        "id": "officials",
        "type": "staff_directory",
        "platform": "html_table",
        "url": "https://example.org/officials",
        "selectors": {"record": "div.Section", "name": "h4["},
    }
    config = write_config(
        tmp_path,
        {"jurisdictions": [{"id": "springfield", "name": "Springfield", "sources": [source]}]},
    )
    for command in (["crawl"], ["check", "--source", "officials"]):
        result = cli_run("--config", config, *command)
        assert result.exit_code == 2
        assert f"{config}: jurisdictions[0].sources[0].selectors.name: not a CSS selector" in (
            result.output
        )
        assert "'h4['" in result.output
