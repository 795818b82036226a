"""Configuration errors name the file, the key path and what was expected, and exit 2."""

from __future__ import annotations

import pytest

from civicradar.config import ConfigError, load_config, parse_config

MINIMAL = """
initiative: {name: Early Learning, terms: ["child care"]}
jurisdictions:
  - id: springfield
    name: City of Springfield
    timezone: America/Chicago
    sources:
      - {id: council, type: agendas, platform: legistar, client: springfield}
"""


def test_minimal_config_gets_defaults():
    config = parse_config(MINIMAL)
    assert config.database == "sqlite:///civicradar.db"
    source = config.jurisdictions[0].sources[0]
    assert source.detection(config.detection).departure_after_runs == 2
    assert config.crawling.obey_robots is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MINIMAL.replace("platform: legistar", "platform: legistr"),
            "x.yaml: jurisdictions[0].sources[0].platform: expected one of legistar",
        ),
        (MINIMAL + "colour: blue\n", "x.yaml: colour: unknown key"),
        (
            MINIMAL.replace("America/Chicago", "Mars/Olympus"),
            "x.yaml: jurisdictions[0].timezone: unknown IANA time zone 'Mars/Olympus'",
        ),
        (
            MINIMAL.replace(", client: springfield", ""),
            "x.yaml: jurisdictions[0].sources[0].client: a legistar source needs",
        ),
        (
            MINIMAL.replace('terms: ["child care"]', "terms: []"),
            "x.yaml: initiative.terms: List should have at least 1 item",
        ),
        ("initiative: [unclosed", "x.yaml: line 1"),
        ("- just\n- a list\n", "x.yaml: expected a mapping"),
        (
            MINIMAL + "detection: {suspicious_drop: 2}\n",
            "x.yaml: detection.suspicious_drop: Input should be less than 1",
        ),
    ],
)
def test_bad_config_names_file_key_and_expectation(text, expected):
    with pytest.raises(ConfigError) as error:
        parse_config(text, "x.yaml")
    assert expected in str(error.value)


@pytest.mark.parametrize(
    ("alerts", "path"),
    [
        (
            "  email:\n    smtp_url: smtp://mail.example.org\n    sender: r@example.org\n"
            "    recipients:\n      - {address: a@example.org, jurisdictions: [springfeld]}\n",
            "alerts.email.recipients[0].jurisdictions",
        ),
        (
            "  webhooks:\n      - {url: 'https://h.example.org/', jurisdictions: [springfeld]}\n",
            "alerts.webhooks[0].jurisdictions",
        ),
    ],
)
def test_a_misspelt_jurisdiction_in_a_filter_is_rejected_not_silently_empty(alerts, path):
    with pytest.raises(ConfigError) as error:
        parse_config(MINIMAL + "alerts:\n" + alerts, "x.yaml")
    assert str(error.value) == (
        f"x.yaml: {path}: 'springfeld' is not a configured jurisdiction "
        "(expected one of springfield)"
    )


def test_a_rejected_value_is_quoted_once():
    with pytest.raises(ConfigError) as error:
        parse_config(MINIMAL.replace("America/Chicago", "Mars/Olympus"), "x.yaml")
    assert str(error.value).count("Mars/Olympus") == 1


def test_staff_source_with_a_non_http_url_is_rejected():
    text = MINIMAL.replace(
        "{id: council, type: agendas, platform: legistar, client: springfield}",
        "{id: d, type: staff_directory, platform: csv, url: 'ftp://x/staff.csv'}",
    )
    with pytest.raises(ConfigError, match=r"sources\[0\]\.url: expected http://"):
        parse_config(text, "x.yaml")


def test_environment_variables_fill_secrets(monkeypatch):
    monkeypatch.setenv("SPRINGFIELD_TOKEN", "s3cret")
    monkeypatch.setenv("CIVICRADAR_SMTP_PASSWORD", "pw")
    text = MINIMAL.replace(
        "client: springfield}", "client: springfield, token: '${SPRINGFIELD_TOKEN}'}"
    )
    text += "alerts:\n  email: {smtp_url: 'smtp://127.0.0.1:25', sender: a@b.org}\n"
    config = parse_config(text)
    assert config.jurisdictions[0].sources[0].token == "s3cret"
    assert config.alerts.email.password == "pw"


def test_unset_environment_variable_is_named(monkeypatch):
    monkeypatch.delenv("NOPE_TOKEN", raising=False)
    text = MINIMAL.replace("client: springfield}", "client: springfield, token: '${NOPE_TOKEN}'}")
    with pytest.raises(ConfigError, match=r"sources\[0\]\.token: environment variable NOPE_TOKEN"):
        parse_config(text, "x.yaml")


def test_missing_file_says_how_to_point_at_one(tmp_path, monkeypatch):
    monkeypatch.delenv("CIVICRADAR_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "absent.yaml")


def test_config_path_falls_back_to_environment(tmp_path, monkeypatch):
    path = tmp_path / "from-env.yaml"
    path.write_text(MINIMAL)
    monkeypatch.setenv("CIVICRADAR_CONFIG", str(path))
    assert load_config(None).jurisdictions[0].id == "springfield"


def test_cli_exits_2_with_the_message(tmp_path, cli_run):
    path = tmp_path / "bad.yaml"
    path.write_text(MINIMAL.replace("type: agendas", "type: agenda"))
    result = cli_run("--config", path, "crawl")
    assert result.exit_code == 2
    assert f"{path}: jurisdictions[0].sources[0].type" in result.output


def test_cli_rejects_a_bad_clock(tmp_path, cli_run):
    path = tmp_path / "ok.yaml"
    path.write_text(MINIMAL + f"database: sqlite:///{tmp_path / 'c.db'}\n")
    result = cli_run("--config", path, "changes", now="yesterday")
    assert result.exit_code == 2
    assert "CIVICRADAR_NOW='yesterday' is not an ISO 8601" in result.output


def test_the_shipped_example_config_is_valid():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "config" / "examples"
    files = sorted(example.glob("*.yaml"))
    if not files:
        pytest.skip("no example config yet")
    for file in files:
        load_config(file)


STAFF_SOURCE = (
    "{id: council, type: agendas, platform: legistar, client: springfield}\n"
    "      - {id: staff, type: staff_directory, platform: csv, url: 'https://x.gov/s.csv', "
    "fields: FIELDS}"
)


def _with_fields(fields: str) -> str:
    return MINIMAL.replace(
        "{id: council, type: agendas, platform: legistar, client: springfield}",
        STAFF_SOURCE.replace("FIELDS", fields),
    )


def test_a_misspelt_fields_key_exits_2_naming_file_path_and_expected_names(tmp_path, cli_run):
    path = tmp_path / "bad.yaml"
    path.write_text(_with_fields("{nmae: Name, title: Title}"))
    result = cli_run("--config", path, "crawl")
    assert result.exit_code == 2
    assert (
        f"{path}: jurisdictions[0].sources[1].fields.nmae: 'nmae' is not a field of a "
        "staff_directory source; did you mean 'name'? expected CivicRadar field names "
        "(name, first_name, middle_name, last_name, suffix, nickname, title, department, "
        "email, phone, url)"
    ) in result.output


def test_candidate_fields_are_checked_against_the_candidate_names():
    text = MINIMAL.replace(
        "{id: council, type: agendas, platform: legistar, client: springfield}",
        "{id: c, type: candidate_list, platform: csv, url: 'https://x.gov/c.csv', "
        "fields: {name: Who, office: Seat, filed: When, title: T}}",
    )
    with pytest.raises(ConfigError) as error:
        parse_config(text, "x.yaml")
    message = str(error.value)
    assert message.startswith(
        "x.yaml: jurisdictions[0].sources[0].fields.filed: 'filed', 'title' are not fields of "
        "a candidate_list source; did you mean 'filed_on'?"
    )
    for name in ("office", "district", "party", "filed_on", "election_date", "website"):
        assert name in message


def test_a_reversed_fields_mapping_says_so():
    with pytest.raises(ConfigError) as error:
        parse_config(_with_fields("{Employee Name: name}"), "x.yaml")
    assert str(error.value).startswith(
        "x.yaml: jurisdictions[0].sources[1].fields.Employee Name: 'Employee Name' is not a "
        "field of a staff_directory source; reversed? write name: Employee Name;"
    )


def test_every_known_field_name_is_accepted():
    config = parse_config(_with_fields("{first_name: F, middle_name: M, last_name: L, url: P}"))
    assert config.jurisdictions[0].sources[1].fields["middle_name"] == "M"


def test_fields_on_an_agendas_source_are_rejected(tmp_path, cli_run):
    path = tmp_path / "bad.yaml"
    path.write_text(MINIMAL.replace("client: springfield}", "client: springfield, fields: {a: b}}"))
    result = cli_run("--config", path, "crawl")
    assert result.exit_code == 2
    assert (
        f"{path}: jurisdictions[0].sources[0].fields: not used by agendas sources"
    ) in result.output


def test_fields_on_a_fixed_layout_platform_are_rejected(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        MINIMAL
        + """  - id: shelbyville
    name: Shelbyville
    sources:
      - {id: staff, type: staff_directory, platform: civicplus,
         url: "https://x.example/Directory.aspx", fields: {name: Name}}
"""
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "jurisdictions[1].sources[0].fields: a civicplus source reads a fixed layout" in str(
        caught.value
    )
