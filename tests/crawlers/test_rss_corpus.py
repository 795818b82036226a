"""Real captured meeting feeds in ../shared/corpus/agendas/rss (skipped until captured)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawlers.test_rss import crawl_runs, rss_config, stored_meetings


def corpus_feeds(corpus: Path) -> list[Path]:
    folder = corpus / "agendas" / "rss"
    if not folder.is_dir():
        pytest.skip(f"no captured RSS meeting feeds at {folder} yet")
    feeds = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xml", ".rss", ".atom"))
    if not feeds:
        pytest.skip(f"no .xml/.rss/.atom files in {folder}")
    return feeds


def test_every_captured_feed_is_read_as_dated_meetings_with_bodies(tmp_path, corpus, cli_run):
    for index, feed in enumerate(corpus_feeds(corpus)):
        folder = tmp_path / str(index)
        folder.mkdir()
        config = rss_config(folder, feed.as_uri(), days_back=3650, days_ahead=3650)
        result = cli_run("--config", config, "run", now="2026-11-25")
        assert result.exit_code == 0, result.output
        (run,) = crawl_runs(folder)
        assert run.status == "ok", f"{feed.name}: {run.error}"
        meetings = stored_meetings(folder)
        assert meetings, feed.name
        for meeting in meetings.values():
            assert meeting.body_name and meeting.body_name != "Unnamed body", feed.name
            assert meeting.start is None or meeting.start.tzinfo is not None
