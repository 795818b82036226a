"""What an organizer reads in the digest: meetings in order with time, place and agenda PDF,
matched words marked, contacts as links, and a plain part that reads as well as the HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bs4 import BeautifulSoup

from civicradar.alerts.deliver import deliver, write_digests

from .conftest import add_change

# 2026-03-04 in Chicago: the digest day of these tests.
DIGEST_AT = dt.datetime(2026, 3, 4, 14, 0, tzinfo=dt.UTC)
FOUND_AT = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)
AGENDA_PDF = "https://springfield.example.gov/agendas/2026-03-10.pdf"
PACKET_PDF = "https://springfield.example.gov/packets/2026-03-19.pdf"
MARKUP_TITLE = '<b onmouseover="alert(1)">Child care</b> <script>alert(2)</script> grants'


def _agenda(summary: str, **data: Any) -> dict[str, Any]:
    base = {"body": "City Council", "matched_terms": ["child care"], "status": "scheduled"}
    return {"summary": summary, "data": {**base, **data}}


def seed_week(store) -> dict[str, int]:
    """Agenda items of a past meeting and three upcoming ones, found in random order,
    plus a candidate, a withdrawal and a cancellation."""
    rows = {
        "later": _agenda(
            "Council, 2026-03-19: packet mentions child care",
            meeting_date="2026-03-19",
            start="2026-03-19T23:00:00+00:00",  # 6 pm in Chicago (CDT)
            item_title="Budget workshop",
            document_url=PACKET_PDF,
            page=12,
            document_snippet=(
                "The budget adds four parks staff. Staff propose a child-care "
                "subsidy pilot for 40 families. Road resurfacing follows."
            ),
            snippet="Budget workshop",
        ),
        "past": _agenda(
            "Council, 2026-02-10: early grant mentions child care",
            meeting_date="2026-02-10",
            start="2026-02-10T18:30:00-06:00",
            item_title="Child care grant (adopted)",
            agenda_url="https://springfield.example.gov/agendas/2026-02-10.pdf",
        ),
        "evening": _agenda(
            "Council, 2026-03-10: facilities fund mentions child care",
            meeting_date="2026-03-10",
            start="2026-03-10T23:30:00+00:00",  # 6:30 pm in Chicago (CDT since Mar 8)
            location="Council Chambers, City Hall, 200 Main Street",
            agenda_url=AGENDA_PDF,
            item_title="Ordinance creating a Child-Care Facility Startup Fund",
            snippet=(
                "Ordinance creating a Child-Care Facility Startup Fund "
                "Sponsors: Council Member Lindqvist"
            ),
        ),
        "morning": _agenda(
            "Human Services, 2026-03-10: enrollment mentions child care",
            body="Human Services Committee",
            meeting_date="2026-03-10",
            start="2026-03-10T09:00:00-05:00",
            item_title="Update on child care enrollment",
            agenda_url="https://springfield.example.gov/agendas/hs-2026-03-10.pdf",
        ),
        "markup": _agenda(
            "Council, 2026-03-12: crawled markup mentions child care",
            meeting_date="2026-03-12",
            item_title=MARKUP_TITLE,
            agenda_url="javascript:alert(3)",
            snippet=MARKUP_TITLE,
        ),
    }
    ids = {
        name: add_change(store, "agenda_match", row["summary"], data=row["data"], at=FOUND_AT)
        for name, row in rows.items()
    }
    ids["candidate"] = add_change(
        store,
        "new_candidate",
        "New candidate: Devon Price for Mayor",
        data={
            "name": "Devon Price",
            "office": "Mayor",
            "election": "2026 Municipal General",
            "election_date": "2026-04-07",
            "email": "devon@price2026.example",
            "phone": "(312) 555-0133",
            "website": "https://price2026.example/",
        },
        importance=90,
        at=FOUND_AT,
    )
    ids["hostile_candidate"] = add_change(
        store,
        "new_candidate",
        "New candidate: Mal Icious for Mayor",
        data={
            "name": "Mal Icious",
            "office": "Mayor",
            "email": 'x@evil.example"><script>alert(4)</script>',
            "phone": "javascript:alert(5)",
            "website": "javascript:alert(6)",
        },
        importance=90,
        at=FOUND_AT,
    )
    ids["withdrawal"] = add_change(
        store,
        "candidate_update",
        "Samuel Ito withdrew (Council Member (Ward 4); was filed)",
        data={
            "name": "Samuel Ito",
            "office": "Council Member",
            "district": "Ward 4",
            "election": "2026 Municipal General",
            "election_date": "2026-04-07",
            "status": "withdrawn",
            "previous_status": "filed",
        },
        at=FOUND_AT,
    )
    ids["cancelled"] = add_change(
        store,
        "meeting_change",
        "Human Services Committee meeting of 2026-03-12 cancelled",
        data={
            "body": "Human Services Committee",
            "meeting_date": "2026-03-12",
            "what": "cancelled",
            "matched_items": ["Update on Pre-K enrollment", "Child care licensing report"],
        },
        at=FOUND_AT,
    )
    return ids


def _digest(store, config_for, smtp_server) -> tuple[str, BeautifulSoup, str]:
    config = config_for(
        email={
            "smtp_url": smtp_server.url,
            "sender": "radar@example.org",
            "recipients": [{"address": "all@example.org"}],
        }
    )
    deliver(store, config, DIGEST_AT)
    (message,) = smtp_server.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, BeautifulSoup(html, "html.parser"), html


def _flat(text: str) -> str:
    """The plain part with its line wrapping undone."""
    return " ".join(text.split())


def _item(soup: BeautifulSoup, change_id: int) -> Any:
    item = soup.select_one(f'li[data-change="{change_id}"]')
    assert item is not None, f"change {change_id} not in the digest"
    return item


def _links(item: Any) -> dict[str, str]:
    return {a.get_text(" ", strip=True): a["href"] for a in item.find_all("a")}


def test_agenda_alert_links_the_pdf_and_gives_local_time_and_place(store, config_for, smtp_server):
    ids = seed_week(store)
    text, soup, _html = _digest(store, config_for, smtp_server)
    evening = _item(soup, ids["evening"])
    assert AGENDA_PDF in _links(evening).values()
    words = evening.get_text(" ", strip=True)
    assert "6:30 pm CDT" in words  # stored in UTC, shown in Chicago time
    assert "Council Chambers, City Hall, 200 Main Street" in words
    assert "Hearing date: 2026-03-10" in text and "6:30 pm CDT" in text
    assert "Place: Council Chambers, City Hall, 200 Main Street" in text
    assert AGENDA_PDF in text
    # A match in a document links that document, at its page.
    later = _item(soup, ids["later"])
    assert f"{PACKET_PDF}#page=12" in _links(later).values()
    assert "6:00 pm CDT" in later.get_text(" ", strip=True)


def test_matched_words_are_marked_and_the_sentence_around_them_shown(
    store, config_for, smtp_server
):
    ids = seed_week(store)
    text, soup, _html = _digest(store, config_for, smtp_server)
    evening = _item(soup, ids["evening"])
    assert [m.get_text() for m in evening.find_all("mark")] == ["Child-Care"]
    later = _item(soup, ids["later"])
    assert [m.get_text() for m in later.find_all("mark")] == ["child-care"]
    words = later.get_text(" ", strip=True)
    assert "Staff propose a child-care subsidy pilot for 40 families." in words
    # The sentence around the match, not the whole page around it.
    assert "four parks staff" not in words and "Road resurfacing" not in words
    assert "Staff propose a child-care subsidy pilot for 40 families." in _flat(text)
    assert "four parks staff" not in text
    assert "<mark>" not in text


def test_crawled_markup_and_javascript_links_stay_inert_in_both_parts(
    store, config_for, smtp_server
):
    ids = seed_week(store)
    text, soup, html = _digest(store, config_for, smtp_server)
    assert soup.find("script") is None and soup.find("b") is None
    assert "<script" not in html and not soup.find_all(attrs={"onmouseover": True})
    hrefs = [a["href"] for a in soup.find_all("a")]
    allowed = ("https://", "http://", "mailto:", "tel:")
    assert hrefs and all(h.startswith(allowed) for h in hrefs), hrefs
    markup = _item(soup, ids["markup"])
    # Escaped first, then marked: the crawled tags are text, the match is marked.
    assert [m.get_text() for m in markup.find_all("mark")] == ["Child care"]
    assert MARKUP_TITLE in markup.get_text()
    hostile = _item(soup, ids["hostile_candidate"])
    assert not any("evil" in a["href"] or "javascript" in a["href"] for a in hostile("a"))
    assert "javascript:alert(6)" in hostile.get_text()  # shown as text, inert
    assert "javascript:alert(6)" in text and MARKUP_TITLE in _flat(text)


def test_campaign_contacts_are_links(store, config_for, smtp_server):
    ids = seed_week(store)
    text, soup, _html = _digest(store, config_for, smtp_server)
    links = _links(_item(soup, ids["candidate"]))
    assert links["devon@price2026.example"] == "mailto:devon@price2026.example"
    assert links["(312) 555-0133"] == "tel:+13125550133"
    assert links["https://price2026.example/"] == "https://price2026.example/"
    assert "Email: devon@price2026.example" in text
    assert "Phone: (312) 555-0133" in text
    assert "Website: https://price2026.example/" in text


def _order(text: str, *needles: str) -> list[int]:
    return [text.index(n) for n in needles]


def test_agenda_items_in_meeting_order_upcoming_first_and_past_marked(
    store, config_for, smtp_server
):
    ids = seed_week(store)
    text, soup, _html = _digest(store, config_for, smtp_server)
    agenda = [ids[n] for n in ("morning", "evening", "markup", "later", "past")]
    listed = [
        int(li["data-change"])
        for li in soup.select("li[data-change]")
        if int(li["data-change"]) in agenda
    ]
    assert listed == agenda
    summaries = (
        "enrollment mentions",
        "facilities fund",
        "crawled markup",
        "packet",
        "early grant",
    )
    positions = _order(text, *summaries)
    assert positions == sorted(positions)
    past = [ids[n] for n in ids if "past meeting" in _item(soup, ids[n]).get_text().lower()]
    assert past == [ids["past"]]
    assert "[past meeting] council, 2026-02-10" in text.lower()
    assert text.lower().count("past meeting") == 1


def test_withdrawal_names_the_seat_and_the_election(store, config_for, smtp_server):
    ids = seed_week(store)
    text, soup, _html = _digest(store, config_for, smtp_server)
    words = _item(soup, ids["withdrawal"]).get_text(" ", strip=True)
    assert "Office: Council Member, Ward 4" in words
    assert "Election: 2026 Municipal General, 2026-04-07" in words
    assert "Office: Council Member, Ward 4" in text
    assert "Election: 2026 Municipal General, 2026-04-07" in text


def test_cancellation_says_which_matching_items_made_it_relevant(store, config_for, smtp_server):
    ids = seed_week(store)
    text, soup, _html = _digest(store, config_for, smtp_server)
    words = _item(soup, ids["cancelled"]).get_text(" ", strip=True)
    assert "Matching items: Update on Pre-K enrollment; Child care licensing report" in words
    assert "Matching items: Update on Pre-K enrollment; Child care licensing report" in text


def test_plain_part_reads_as_text_links_written_out_lines_wrapped(store, config_for, smtp_server):
    seed_week(store)
    text, _soup, _html = _digest(store, config_for, smtp_server)
    own_markup = ("<mark", "<a ", "href=", "<br", "<li", "&lt;", "&amp;", "&#")
    assert not any(tag in text for tag in own_markup)
    assert "mailto:devon" not in text and "tel:" not in text  # contacts as a reader writes them
    # The footer's sentence about the reader's filters is left on one line.
    body, _footer = text.replace("\r\n", "\n").split("\n--\n")
    for line in body.splitlines():
        if len(line) > 78:
            # Only an unbreakable word (a URL) may run past the margin.
            assert " " not in line.strip().split(": ", 1)[-1], line
    assert f"Agenda (PDF): {AGENDA_PDF}" in text


def test_delivery_summary_counts_in_the_singular(store, config_for, smtp_server, tmp_path):
    add_change(store, "staff_arrival", "New staff: Lee Park (Planner)", at=FOUND_AT)
    config = config_for(
        email={
            "smtp_url": smtp_server.url,
            "sender": "radar@example.org",
            "recipients": [{"address": "all@example.org"}],
        }
    )
    written = write_digests(store, config, DIGEST_AT, tmp_path / "out")
    assert written.describe() == "wrote 1 digest (dry run, nothing marked sent)"
    assert deliver(store, config, DIGEST_AT).describe() == "delivered 1 change to all@example.org"
