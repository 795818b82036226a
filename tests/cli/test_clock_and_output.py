"""CIVICRADAR_NOW is the clock of every command; --format prints tables, JSON arrays or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from civicradar import clock
from civicradar.output import render


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-02", dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)),
        ("2026-03-02T06:00:00", dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC)),
        ("2026-03-02T06:00:00-06:00", dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)),
        ("2026-03-02T06:00:00Z", dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC)),
    ],
)
def test_clock_override_reads_dates_and_datetimes(monkeypatch, value, expected):
    monkeypatch.setenv("CIVICRADAR_NOW", value)
    assert clock.now() == expected


def test_real_clock_when_unset(monkeypatch):
    monkeypatch.delenv("CIVICRADAR_NOW", raising=False)
    assert abs(clock.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


ROWS = [
    {"id": 1, "name": 'Ana, "Annie" Ruiz', "when": dt.date(2026, 3, 2), "data": {"a": 1}},
    {"id": 2, "name": "Bo Li", "when": None, "data": {}},
]


def test_json_output_is_an_array_of_objects():
    out = io.StringIO()
    render(ROWS, "json", out=out)
    parsed = json.loads(out.getvalue())
    assert parsed[0] == {
        "id": 1,
        "name": 'Ana, "Annie" Ruiz',
        "when": "2026-03-02",
        "data": {"a": 1},
    }


def test_csv_output_quotes_and_serializes_nested_values():
    out = io.StringIO()
    render(ROWS, "csv", out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["name"] == 'Ana, "Annie" Ruiz'
    assert json.loads(rows[0]["data"]) == {"a": 1}
    assert rows[1]["when"] == ""


def test_csv_cells_that_look_like_formulas_cannot_run_in_a_spreadsheet():
    rows = [
        {"name": '=HYPERLINK("http://evil.example","x")', "phone": "+1 (555) 010-2030"},
        {"name": "@SUM(A1)", "phone": "-3.5"},
        {"name": "+cmd|' /C calc'!A0", "phone": "-2+3+cmd|' /C calc'!A0"},
        {"name": "Ana Ruiz", "phone": None},
    ]
    out = io.StringIO()
    render(rows, "csv", out=out)
    cells = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [c["name"] for c in cells] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'@SUM(A1)",
        "'+cmd|' /C calc'!A0",
        "Ana Ruiz",
    ]
    assert [c["phone"] for c in cells] == [
        "+1 (555) 010-2030",
        "-3.5",
        "'-2+3+cmd|' /C calc'!A0",
        "",
    ]


def test_table_output_shows_chosen_columns_and_says_when_empty():
    out = io.StringIO()
    render(ROWS, "table", columns=["id", "name"], out=out)
    assert "Bo Li" in out.getvalue() and "data" not in out.getvalue()
    out = io.StringIO()
    render([], "table", out=out, empty="no changes recorded")
    assert out.getvalue() == "no changes recorded\n"


def test_unsupported_platform_is_a_failed_run_not_a_crash(tmp_path, cli_run, monkeypatch):
    from civicradar.crawlers.registry import SPIDERS
    from tests.conftest import write_config

    # Every configured platform has a spider now: take one away to stand for a platform
    # the config accepts before its spider lands.
    monkeypatch.delitem(SPIDERS, ("agendas", "primegov"))
    config = write_config(
        tmp_path,
        {
            "jurisdictions": [
                {
                    "id": "t",
                    "name": "T",
                    "sources": [
                        {
                            "id": "g",
                            "type": "agendas",
                            "platform": "primegov",
                            "url": "http://127.0.0.1:9/",
                        }
                    ],
                }
            ]
        },
    )
    result = cli_run("--config", config, "crawl", now="2026-03-02")
    assert result.exit_code == 0
    assert "t/g: failed" in result.output
    assert "no spider for platform 'primegov'" in result.output


def test_library_errors_are_one_line_below_debug_verbosity():
    import logging
    import sys

    from civicradar.cli.group import _one_line_library_errors

    try:
        raise ConnectionError("DNS lookup failed")
    except ConnectionError:
        exc_info = sys.exc_info()
    scrapy_record = logging.LogRecord(
        "scrapy.downloadermiddlewares.robotstxt", logging.ERROR, "", 0, "Error", None, exc_info
    )
    own_record = logging.LogRecord(
        "civicradar.engine", logging.ERROR, "", 0, "Boom", None, exc_info
    )
    assert _one_line_library_errors(scrapy_record) and scrapy_record.exc_info is None
    assert _one_line_library_errors(own_record) and own_record.exc_info is exc_info


@pytest.mark.parametrize(
    ("database", "expected"),
    [
        ("mysqll://x", "database: cannot open mysqll://x: Can't load plugin"),
        (
            "postgresql+psycopg://bob:s3cret@127.0.0.1:9/x",
            "database: cannot open postgresql+psycopg://bob:***@127.0.0.1:9/x: ",
        ),
    ],
)
def test_a_database_that_cannot_be_opened_exits_2_naming_the_key(
    tmp_path, cli_run, database, expected
):
    from tests.conftest import write_config

    config = write_config(tmp_path, {"database": database})
    result = cli_run("--config", config, "changes")
    assert result.exit_code == 2
    assert f"{config}: {expected}" in result.output
    assert "s3cret" not in result.output and "Traceback" not in result.output


def test_changes_since_a_date_starts_at_midnight_in_the_schedule_zone(tmp_path, cli_run):
    from civicradar.config import load_config
    from civicradar.models.store import ChangeDraft, Store, record_change, sync_sources
    from tests.conftest import write_config

    config_path = write_config(
        tmp_path,
        {
            "jurisdictions": [{"id": "springfield", "name": "Springfield"}],
            "schedule": {"cron": "0 6 * * *", "timezone": "America/Chicago"},
        },
    )
    config = load_config(config_path)
    store = Store(config.database)
    with store.session() as session:
        sync_sources(session, config)
        for key, hour in (("late", 4), ("early", 7)):
            draft = ChangeDraft(
                kind="agenda_match", jurisdiction_id="springfield", dedupe_key=key, summary=key
            )
            when = dt.datetime(2026, 3, 3, hour, tzinfo=dt.UTC)
            record_change(session, draft, detected_at=when)
    result = cli_run(
        "--config", config_path, "changes", "--since", "2026-03-03", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    # 04:00 UTC is still 2 March in Chicago; 07:00 UTC is 1 a.m. on the 3rd
    assert [c["summary"] for c in json.loads(result.output)] == ["early"]
