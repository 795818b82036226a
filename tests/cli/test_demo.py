"""`civicradar demo`: the whole pipeline offline on the shipped sample city, feed included."""

from __future__ import annotations

import json

import feedparser


def test_demo_runs_three_days_offline_and_writes_store_and_feed(tmp_path, cli_run):
    output = tmp_path / "demo"
    result = cli_run("demo", "--output", output)
    assert result.exit_code == 0, result.output
    text = result.output
    assert "http://127.0.0.1:" in text
    assert "Day 1 (2026-03-02)" in text and "Day 3 (2026-03-04)" in text
    assert "[agenda_match] City Council, 2026-03-10: “Ordinance creating a Child-Care" in text
    assert "[meeting_change] Human Services Committee meeting of 2026-03-12 cancelled" in text
    assert "rescheduled from 2026-03-18 19:00 CDT to 2026-03-19 17:30 CDT" in text
    assert "agenda amended" in text
    assert "child care tax credit" not in text.lower()  # the excluded item is not news
    assert (output / "civicradar.db").is_file()
    assert f"Store (SQLite) written to {output / 'civicradar.db'}" in text

    config = output / "civicradar.yaml"
    listed = json.loads(cli_run("--config", config, "changes", "--format", "json").output)
    kinds = [c["kind"] for c in listed]
    assert kinds.count("agenda_match") == 5
    assert kinds.count("meeting_change") == 3
    assert "source_problem" not in kinds
    meetings = json.loads(cli_run("--config", config, "meetings", "--format", "json").output)
    moved = next(m for m in meetings if m["body"] == "Planning Commission")
    assert moved["start"] == "2026-03-19T17:30:00-05:00"

    if "RSS feed with" in text:
        feed = feedparser.parse((output / "feed.xml").read_bytes())
        assert not feed.bozo
        titles = " ".join(entry.title for entry in feed.entries)
        assert (
            "Child-Care Facility Startup Fund" in titles or "Child-Care" in feed.entries[0].summary
        )


def test_demo_can_run_again_into_the_same_folder(tmp_path, cli_run):
    output = tmp_path / "demo"
    assert cli_run("demo", "--output", output).exit_code == 0
    again = cli_run("demo", "--output", output)
    assert again.exit_code == 0, again.output
    assert again.output.count("[agenda_match]") == 5
