"""``digest``, ``deliver`` and ``feed`` from the command line, against a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import func, select

from civicradar.models.store import Store
from civicradar.models.tables import Delivery
from tests.alerts.conftest import HOSTILE, SmtpServer, seed_day_one
from tests.conftest import write_config


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _setup(tmp_path: Path, smtp_url: str = "smtp://127.0.0.1:9") -> tuple[Path, Store]:
    database = f"sqlite:///{tmp_path / 'civicradar.db'}"
    store = Store(database)
    seed_day_one(store)
    config = write_config(
        tmp_path,
        {
            "database": database,
            "jurisdictions": [{"id": "springfield", "name": "City of Springfield"}],
            "alerts": {
                "email": {
                    "smtp_url": smtp_url,
                    "sender": "radar@example.org",
                    "recipients": [
                        {"address": "all@example.org"},
                        {"address": "spring@example.org", "jurisdictions": ["springfield"]},
                    ],
                }
            },
        },
    )
    return config, store


def _deliveries(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count(Delivery.id))) or 0


def test_dry_run_writes_eml_files_and_marks_nothing_sent(cli_run, tmp_path):
    config, store = _setup(tmp_path)
    out = tmp_path / "out"
    result = cli_run("--config", config, "digest", "--dry-run", "--output", out, now="2026-03-02")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["2026-03-02-all@example.org.eml", "2026-03-02-spring@example.org.eml"]
    message = message_from_bytes((out / files[0]).read_bytes(), policy=policy.default)
    assert message["To"] == "all@example.org"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "&lt;script&gt;" in html and HOSTILE not in html
    assert _deliveries(store) == 0


def test_digest_sends_once_and_deliver_then_has_nothing(cli_run, tmp_path, smtp_server):
    config, _store = _setup(tmp_path, smtp_server.url)
    result = cli_run("--config", config, "digest", now="2026-03-02")
    assert result.exit_code == 0, result.output
    assert "4 changes to all@example.org" in result.output
    assert "3 changes to spring@example.org" in result.output
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "all@example.org",
        "spring@example.org",
    ]
    again = cli_run("--config", config, "deliver", now="2026-03-03")
    assert again.output.strip() == "nothing to deliver"
    assert len(smtp_server.messages) == 2


def test_digest_output_without_dry_run_is_a_usage_error(cli_run, tmp_path):
    config, _store = _setup(tmp_path)
    result = cli_run("--config", config, "digest", "--output", tmp_path / "x")
    assert result.exit_code == 2
    assert "--output is for --dry-run" in result.output


def test_smtp_unreachable_is_reported_and_kept_for_the_next_run(cli_run, tmp_path):
    config, store = _setup(tmp_path, "smtp://127.0.0.1:9")
    result = cli_run("--config", config, "deliver", now="2026-03-02")
    assert result.exit_code == 0
    assert "not delivered to all@example.org" in result.output
    with store.session() as session:
        assert set(session.scalars(select(Delivery.status))) == {"failed"}


def test_feed_command_writes_file_or_stdout(cli_run, tmp_path):
    config, _store = _setup(tmp_path)
    target = tmp_path / "feed.xml"
    result = cli_run("--config", config, "feed", "--output", target, "--format", "atom")
    assert result.exit_code == 0 and "wrote 4 changes" in result.output
    assert feedparser.parse(target.read_bytes()).version == "atom10"
    out = cli_run(
        "--config", config, "feed", "--jurisdiction", "springfield", "--kind", "staff_departure"
    )
    parsed = feedparser.parse(out.stdout_bytes)
    assert parsed.version == "rss20"
    assert [e.title for e in parsed.entries] == [
        "City of Springfield · Departure: Pat Smith left Planning"
    ]


def test_deliver_and_run_refuse_to_overlap_a_run_in_progress(cli_run, tmp_path, smtp_server):
    from civicradar.scheduler import RunLock

    config, store = _setup(tmp_path, smtp_server.url)
    with RunLock(store).hold():
        for command in ("deliver", "digest", "run"):
            result = cli_run("--config", config, command, now="2026-03-02")
            assert result.exit_code == 1, result.output
            assert "another run is in progress" in result.output
    assert smtp_server.messages == [] and _deliveries(store) == 0
    assert cli_run("--config", config, "deliver", now="2026-03-02").exit_code == 0
    assert len(smtp_server.messages) == 2
