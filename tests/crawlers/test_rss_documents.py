"""Feeds whose entries link the agenda file itself — by extension, by an enclosure's type, or
only by what the server answers — and feeds that move to another address with the same
entries (made-up Maplewood County document centre, served locally)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from sqlalchemy import select, update

from civicradar.crawlers.entry_documents import may_be_document, stored_identity
from civicradar.models.tables import Change, Meeting, Source
from tests.conftest import LocalServer, Reply
from tests.conftest import logged_changes as changes
from tests.crawlers.agenda_pdfs import text_pdf
from tests.crawlers.test_rss import FeedRoute, rss_config, serve, store, stored_meetings

FEED_PATH = "/feeds/agendas.xml"
PARKS = "/files/agendas/parks-2026-12-03.pdf"
BOARD = "/files/4411"
LIBRARY = "/DocumentCenter/View/4412"
PLANNING_PAGE = "/calendar/event/4413"

AGENDAS = {
    PARKS: ["PARKS COMMISSION", "1. Call to order", "2. Child care at recreation centers"],
    BOARD: ["COUNTY BOARD", "1. Call to order", "2. Pre-K classroom lease at the annex"],
    LIBRARY: ["LIBRARY BOARD", "1. Call to order", "2. Child care story hour partnership"],
}
EVENT_PAGE = (
    "<!doctype html><html><head><title>Planning Commission</title></head><body>"
    "<h1>Planning Commission</h1><p>See also: child care licensing office hours</p>"
    "</body></html>"
)


def serve_county(server: LocalServer, route: FeedRoute, feed_path: str = FEED_PATH) -> str:
    """The feed and every file it links, on ``server``; PDFs answer conditional requests."""
    for path, lines in AGENDAS.items():
        server.routes[path] = Reply(
            body=text_pdf([lines]), content_type="application/pdf", etag=True
        )
    server.routes[PLANNING_PAGE] = Reply(body=EVENT_PAGE)
    return serve(server, route, feed_path)


def asked(server: LocalServer, path: str) -> list:
    return [r for r in server.requests if r.path == path]


def run(cli_run, config: Path, day: str) -> str:
    result = cli_run("--config", config, "run", now=day)
    assert result.exit_code == 0, result.output
    return result.output


def test_links_that_may_be_files_are_told_by_their_last_segment():
    assert may_be_document("https://county.example.gov/DocumentCenter/View/4412")
    assert not may_be_document("https://county.example.gov/meetings/board.html")
    assert not may_be_document("https://county.example.gov/Gateway.aspx?ID=1")
    assert not may_be_document("https://county.example.gov/")
    assert not may_be_document("file:///srv/agenda")


def test_an_entry_pdf_by_extension_enclosure_type_or_answer_is_the_agenda_and_is_matched(
    tmp_path, http_server, cli_run
):
    route = FeedRoute.of("document-center.xml")
    config = rss_config(tmp_path, serve_county(http_server, route), fetch_documents=True)
    output = run(cli_run, config, "2026-11-25")
    assert "3 agenda_match" in output, output

    found = {c["data"]["body"]: c["data"] for c in changes(cli_run, config, "agenda_match")}
    assert sorted(found) == ["County Board", "Library Board", "Parks Commission"]
    for body, path, item in (
        ("Parks Commission", PARKS, "Child care at recreation centers"),
        ("County Board", BOARD, "Pre-K classroom lease at the annex"),
        ("Library Board", LIBRARY, "Child care story hour partnership"),
    ):
        assert found[body]["document_url"] == http_server.url + path
        assert found[body]["document_kind"] == "agenda" and found[body]["page"] == 1
        assert item in found[body]["snippet"] or item == found[body]["item_title"]

    meetings = {m.body_name: m for m in stored_meetings(tmp_path).values()}
    assert meetings["Library Board"].agenda_url == http_server.url + LIBRARY
    assert [d.status for d in meetings["Library Board"].documents] == ["ok"]
    # The event page answered HTML: not a document, and its words are not matched.
    assert meetings["Planning Commission"].agenda_url is None
    assert meetings["Planning Commission"].documents == []
    assert len(asked(http_server, LIBRARY)) == 1  # the probe's answer was read as the agenda
    assert len(asked(http_server, PLANNING_PAGE)) == 1
    with store(tmp_path).session() as session:
        cursor = session.scalar(select(Source)).cursor
    assert cursor["entry_pages"] == [http_server.url + PLANNING_PAGE]

    # An unchanged feed (304) asks for nothing else.
    assert "nothing new" in run(cli_run, config, "2026-11-26")
    assert len(asked(http_server, LIBRARY)) == 1 and len(asked(http_server, PLANNING_PAGE)) == 1

    # An edited feed: the known PDF is asked conditionally, the known page not at all.
    route.edit("Room 2", "Room 3", "Fri, 27 Nov 2026 09:00:00 GMT")
    assert "nothing new" in run(cli_run, config, "2026-11-27")
    library = asked(http_server, LIBRARY)
    assert len(library) == 2 and library[1].headers.get("if-none-match")
    assert len(asked(http_server, PLANNING_PAGE)) == 1


def test_a_pdf_agenda_amended_in_place_reports_the_new_matching_item(
    tmp_path, http_server, cli_run
):
    route = FeedRoute.of("document-center.xml")
    config = rss_config(tmp_path, serve_county(http_server, route), fetch_documents=True)
    run(cli_run, config, "2026-11-25")
    http_server.routes[LIBRARY] = Reply(
        body=text_pdf([[*AGENDAS[LIBRARY], "3. Pre-K classroom at the branch library"]]),
        content_type="application/pdf",
        etag=True,
    )
    route.edit("Library Board - December 10", "Library Board (amended) - December 10", "x")
    output = run(cli_run, config, "2026-11-26")
    assert "1 agenda_match" in output and "1 meeting_change" in output, output
    amended = changes(cli_run, config, "meeting_change")[-1]["data"]
    assert amended["what"] == "agenda amended"
    assert amended["items_added"] == ["Pre-K classroom at the branch library"]


def moved_feed_days(tmp_path, http_server, cli_run, *, legacy_ids: bool) -> None:
    route = FeedRoute.of("document-center.xml")
    config = rss_config(tmp_path, serve_county(http_server, route), fetch_documents=True)
    run(cli_run, config, "2026-11-25")
    assert len(changes(cli_run, config)) == 3
    before = {m.external_id for m in stored_meetings(tmp_path).values()}
    assert before == {"agenda-4410", "agenda-4411", "agenda-4412", PLANNING_PAGE}
    if legacy_ids:  # a store written while ids were resolved against the feed's address
        feed_url = http_server.url + FEED_PATH
        with store(tmp_path).session() as session:
            for external_id in before:
                legacy = urljoin(feed_url, external_id)
                session.execute(
                    update(Meeting)
                    .where(Meeting.external_id == external_id)
                    .values(external_id=legacy)
                )
                for change in session.scalars(select(Change)):  # keys name the meeting
                    change.dedupe_key = change.dedupe_key.replace(f":{external_id}:", f":{legacy}:")
        before = {urljoin(feed_url, i) for i in before}

    elsewhere = LocalServer().start()  # the same feed, same guids, at another host and path
    try:
        url = serve_county(elsewhere, FeedRoute.of("document-center.xml"), "/rss/county.xml")
        config.write_text(config.read_text().replace(http_server.url + FEED_PATH, url))
        output = run(cli_run, config, "2026-11-26")
        assert "nothing new" in output, output
        assert len(changes(cli_run, config)) == 3
        after = stored_meetings(tmp_path)
        assert {m.external_id for m in after.values()} == before  # no meeting doubled
    finally:
        elsewhere.stop()


def test_a_feed_moved_to_another_address_neither_realerts_nor_doubles_meetings(
    tmp_path, http_server, cli_run
):
    moved_feed_days(tmp_path, http_server, cli_run, legacy_ids=False)


def test_a_moved_feed_keeps_the_ids_stored_when_they_included_the_old_address(
    tmp_path, http_server, cli_run
):
    moved_feed_days(tmp_path, http_server, cli_run, legacy_ids=True)


def test_a_relative_guid_finds_only_the_id_it_resolves_to():
    known = ["https://old.example/feeds/4410", "https://old.example/feeds/14410", "4411"]
    assert stored_identity("4410", known) == "https://old.example/feeds/4410"
    assert stored_identity("/feeds/14410", known) == "https://old.example/feeds/14410"
    assert stored_identity("https://new.example/4410", known) is None
    assert stored_identity("410", known) is None
