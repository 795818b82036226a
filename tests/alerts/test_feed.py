"""The RSS and Atom feeds, read back with feedparser as a feed reader would."""

from __future__ import annotations

from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

from civicradar.alerts.feed import render_feed, write_feed
from civicradar.models.store import Store
from civicradar.models.tables import Change

from .conftest import DAY2, HOSTILE, add_change


def _parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_rss_and_atom_list_every_change_newest_first_with_dates(
    store, seeded, config_for, tmp_path
):
    later = add_change(store, "staff_arrival", "Lee Park joined Parks", at=DAY2)
    config = config_for()
    for fmt, version in (("rss", "rss20"), ("atom", "atom10")):
        path = tmp_path / f"feed.{fmt}"
        assert write_feed(store, config, path, fmt=fmt) == 5
        parsed = _parse(path)
        assert parsed.version == version
        assert parsed.entries[0].id.startswith(f"tag:civicradar,2026:change/{later}-")
        assert parsed.entries[0].published_parsed[:4] == (2026, 3, 3, 12)
        assert [e.published_parsed[:3] for e in parsed.entries[1:]] == [(2026, 3, 2)] * 4
        assert parsed.feed.title == "Radar"


def test_guids_are_stable_across_regenerations(store, seeded, config_for, tmp_path):
    config = config_for()
    write_feed(store, config, tmp_path / "a.atom", fmt="atom")
    add_change(store, "staff_arrival", "Someone new", at=DAY2)
    write_feed(store, config, tmp_path / "b.atom", fmt="atom")
    first = {e.title: e.id for e in _parse(tmp_path / "a.atom").entries}
    second = {e.title: e.id for e in _parse(tmp_path / "b.atom").entries}
    assert len(second) == len(first) + 1
    assert all(second[title] == guid for title, guid in first.items())


def test_hostile_crawled_title_cannot_inject_markup(store, seeded, config_for, tmp_path):
    config = config_for()
    for fmt in ("rss", "atom"):
        path = tmp_path / f"feed.{fmt}"
        write_feed(store, config, path, fmt=fmt, jurisdiction="shelbyville")
        raw = path.read_text(encoding="utf-8")
        assert "<script" not in raw and "<img" not in raw
        entry = _parse(path).entries[0]
        # The title is plain text that reads exactly as crawled, never HTML.
        assert entry.title_detail.type == "text/plain"
        assert HOSTILE in entry.title
        if fmt == "rss":
            # The description, which readers render as HTML, holds the text escaped.
            assert entry.summary_detail.type == "text/html"
            soup = BeautifulSoup(entry.summary, "html.parser")
            assert soup.find("script") is None and soup.find("img") is None
            assert HOSTILE in soup.get_text()
        else:
            assert entry.summary_detail.type == "text/plain"
            assert entry.summary.startswith(HOSTILE)
        # A javascript: link from a page is replaced by the change's own page.
        assert entry.link == f"https://radar.example.org/changes/{seeded['hostile']}"


def test_filters_by_jurisdiction_and_kind(store, seeded, config_for, tmp_path):
    config = config_for()
    path = tmp_path / "feed.rss"
    assert write_feed(store, config, path, jurisdiction="springfield") == 3
    assert write_feed(store, config, path, kinds=["agenda_match"]) == 2
    count = write_feed(
        store, config, path, jurisdiction="springfield", kinds=["new_candidate", "staff_departure"]
    )
    assert count == 2
    titles = [e.title for e in _parse(path).entries]
    assert {t.split(": ", 1)[1] for t in titles} == {
        "Pat Smith left Planning",
        "Jane Roe filed for City Council Ward 3",
    }


def test_home_address_never_appears_in_the_feed(store, seeded, config_for, tmp_path):
    config = config_for()
    for fmt in ("rss", "atom"):
        path = tmp_path / f"feed.{fmt}"
        write_feed(store, config, path, fmt=fmt)
        text = path.read_text(encoding="utf-8")
        assert "Evergreen" not in text
        assert "jane@roe2027.example" in text


def test_max_items_limits_the_feed(store: Store, seeded, config_for, tmp_path):
    config = config_for(
        feed={"title": "Radar", "link": "https://radar.example.org/", "max_items": 2}
    )
    assert write_feed(store, config, tmp_path / "f.rss") == 2
    assert len(_parse(tmp_path / "f.rss").entries) == 2


def test_render_feed_takes_change_rows_directly(store, seeded, config_for):
    config = config_for()
    with store.session() as session:
        rows = list(session.query(Change).order_by(Change.id.desc()))
        body = render_feed(rows, config.alerts.feed, "atom")
    parsed = feedparser.parse(body)
    assert [e.title.split(": ", 1)[1] for e in parsed.entries][-1] == (
        "Jane Roe filed for City Council Ward 3"
    )


def test_titles_do_not_repeat_the_kind_the_summary_already_names(store, config_for, tmp_path):
    add_change(store, "new_candidate", "New candidate: Devon Price for Mayor", at=DAY2)
    add_change(store, "staff_arrival", "New official: Lucia Moreno (Council Member)", at=DAY2)
    add_change(store, "staff_departure", "Pat Smith left (Planner, Planning)", at=DAY2)
    config = config_for()
    for fmt in ("rss", "atom"):
        path = tmp_path / f"feed.{fmt}"
        write_feed(store, config, path, fmt=fmt)
        titles = sorted(e.title for e in _parse(path).entries)
        assert titles == [
            "City of Springfield · Departure: Pat Smith left (Planner, Planning)",
            "City of Springfield · New candidate: Devon Price for Mayor",
            "City of Springfield · New official: Lucia Moreno (Council Member)",
        ]


def test_agenda_entry_gives_local_time_place_pdf_and_marks_matched_words(
    store, config_for, tmp_path
):
    add_change(
        store,
        "agenda_match",
        "City Council, 2026-03-10: “Child-Care Facility Startup Fund” mentions child care",
        data={
            "body": "City Council",
            "meeting_date": "2026-03-10",
            "start": "2026-03-10T23:30:00+00:00",
            "location": "Council Chambers",
            "agenda_url": "https://springfield.example.gov/agenda.pdf",
            "item_title": "<i>Child-Care</i> Facility Startup Fund",
            "matched_terms": ["child care"],
        },
        at=DAY2,
    )
    path = tmp_path / "feed.rss"
    write_feed(store, config_for(), path, jurisdiction="springfield")
    entry = _parse(path).entries[0]
    soup = BeautifulSoup(entry.summary, "html.parser")
    assert soup.find("i") is None and "<i>Child-Care</i> Facility" in soup.get_text()
    # In <strong>: feed readers' sanitizers (feedparser's too) drop <mark>.
    assert [m.get_text() for m in soup.find_all("strong")] == ["Child-Care"]
    assert {a.get_text(): a["href"] for a in soup.find_all("a")} == {
        "Agenda (PDF)": "https://springfield.example.gov/agenda.pdf"
    }
    words = soup.get_text(" ", strip=True)
    assert "6:30 pm CDT" in words and "Place: Council Chambers" in words
    atom = tmp_path / "feed.atom"
    write_feed(store, config_for(), atom, fmt="atom", jurisdiction="springfield")
    text = _parse(atom).entries[0].summary
    assert "Agenda (PDF): https://springfield.example.gov/agenda.pdf" in text
    assert "6:30 pm CDT" in text and "<mark>" not in text
