"""What the demo leaves behind for alerts: a digest preview, a departure, and no link to
its own temporary server (which is gone once the demo ends)."""

from __future__ import annotations

import re

import feedparser
from bs4 import BeautifulSoup
from sqlalchemy import select

from civicradar.demo import run_demo
from civicradar.models.store import Store
from civicradar.models.tables import Change


def test_demo_previews_its_digest_shows_a_departure_and_links_nothing_temporary(tmp_path, capsys):
    output = tmp_path / "demo"
    run_demo(output)
    printed = capsys.readouterr().out
    server = re.search(r"http://127\.0\.0\.1:\d+", printed).group(0)
    preview = output / "digest-preview.html"
    assert f"previewed in {preview}" in printed

    store = Store(f"sqlite:///{output / 'civicradar.db'}")
    try:
        with store.session() as session:
            changes = list(session.scalars(select(Change)))
    finally:
        store.close()
    departures = [c for c in changes if c.kind == "staff_departure"]
    assert [c.data["name"] for c in departures] == ["Omar Haddad"]
    assert "[staff_departure] Omar Haddad left" in printed
    assert not [c.url for c in changes if (c.url or "").startswith(server)]

    soup = BeautifulSoup(preview.read_text(encoding="utf-8"), "html.parser")
    shown = {int(li["data-change"]) for li in soup.select("li[data-change]")}
    assert shown == {c.id for c in changes}  # the last day's digest: all three days
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert not [h for h in hrefs if h.startswith(server)]
    assert any(h.endswith("Agenda_103.pdf") for h in hrefs)
    arrival = next(c for c in changes if c.kind == "staff_arrival")
    item = soup.select_one(f'li[data-change="{arrival.id}"]')
    assert item.a["href"] == "https://maplewood.legistar.com/People.aspx"
    assert soup.find("mark") is not None

    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo
    assert not [e.link for e in feed.entries if e.link.startswith(server)]
