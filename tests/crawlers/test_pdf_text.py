"""Agenda document text: pages, hyphenation, wrapped items, running headers, scans, broken files."""

from __future__ import annotations

from civicradar.crawlers.agenda_split import split_items
from civicradar.crawlers.pdf_text import extract_document, extract_pdf, undouble
from tests.crawlers.agenda_pdfs import corrupt_pdf, scanned_pdf, text_pdf

HEADER = ["Testville City Council", "Regular Meeting, Monday, March 9, 2026, 6:00 PM"]
PAGES = [
    [
        "AGENDA",
        "I. CALL TO ORDER",
        "II. CONSENT CALENDAR",
        "A. RESOLUTIONS",
        "1. Resolution supporting childcare workforce grants for licensed family child care "
        "homes and",
        "centers in the Eastside and Riverside neighborhoods",
        "Staff report: the grants support the early childhood com-",
        "munity and its providers.",
        "2. Approval of the minutes of February 23, 2026",
    ],
    [
        "3. Public hearing on the lease of the Oak Street building to the Early Head Start",
        "program for a child-care center, including a ten-year term and a",
        "tenant improvement allowance",
        "B. CONTRACTS",
        "1. Contract with Acme Paving for the fiscal year 2027 street program",
        "III. ADJOURNMENT",
    ],
]


def test_text_is_extracted_page_by_page_with_hyphenated_words_joined():
    text = extract_pdf(text_pdf(PAGES, header=HEADER))
    assert (text.status, text.page_count, len(text.pages), text.error) == ("ok", 2, 2, None)
    assert "the early childhood community\nand its providers." in text.pages[0]
    assert "com-" not in text.pages[0]
    assert "child-care center" in text.pages[1]  # a real hyphen mid-line stays
    assert text.pages[1].startswith("Testville City Council")


def test_items_are_split_with_wrapped_titles_whole_sections_and_pages():
    items = split_items(extract_pdf(text_pdf(PAGES, header=HEADER)).pages)
    assert [(i.number, i.page) for i in items] == [
        ("I", 1),
        ("1", 1),
        ("2", 1),
        ("3", 2),
        ("1", 2),
        ("III", 2),
    ]  # fmt: skip  (II, A and B head the items under them: sections, not items)
    grants = items[1]
    assert grants.title == (
        "Resolution supporting childcare workforce grants for licensed family child care homes "
        "and centers in the Eastside and Riverside neighborhoods"
    )
    assert grants.section == "II. CONSENT CALENDAR › A. RESOLUTIONS"
    assert " ".join(grants.text.split()) == (
        "Staff report: the grants support the early childhood community and its providers."
    )
    lease = items[3]
    assert lease.title.endswith("including a ten-year term and a tenant improvement allowance")
    assert lease.section == "II. CONSENT CALENDAR › A. RESOLUTIONS"  # continues across the page
    assert items[4].section == "II. CONSENT CALENDAR › B. CONTRACTS"
    titles = " ".join(i.title + " " + (i.text or "") for i in items)
    assert "Testville City Council" not in titles and "Page 2 of 2" not in titles


def test_a_scanned_agenda_without_a_text_layer_is_no_text_not_an_error():
    text = extract_pdf(scanned_pdf(pages=3))
    assert (text.status, text.page_count) == ("no_text", 3)
    assert text.pages == ["", "", ""]
    assert "no text layer" in text.error


def test_broken_and_foreign_files_fail_with_a_reason_instead_of_raising():
    broken = extract_pdf(corrupt_pdf())
    assert broken.status == "failed" and broken.error.startswith("unreadable PDF")
    truncated = text_pdf(PAGES)
    assert extract_pdf(truncated[: len(truncated) // 3]).status == "failed"
    assert extract_pdf(b"").error == "not a PDF file (no %PDF header)"
    assert extract_pdf(b"<html>Error 500</html>").status == "failed"


def test_html_agendas_are_read_as_one_page():
    html = (
        b"<html><body><h1>Agenda</h1><p>1. Child care center lease</p>"
        b"<p>2. Adjourn</p></body></html>"
    )
    text = extract_document(html, "text/html; charset=utf-8")
    assert text.status == "ok" and text.pages == ["Agenda\n1. Child care center lease\n2. Adjourn"]


def test_fake_bold_doubled_letters_are_undone_but_real_words_are_kept():
    assert undouble("CCHHIICCAAGGOO  CCOOMMMMIISSSSIIOONN") == "CHICAGO COMMISSION"
    assert undouble("JJAANNUUAARRYY 1100") == "JANUARY 10"
    assert undouble("LLOOCCAATTIIOONN:: 740 N. Sedgwick St") == "LOCATION: 740 N. Sedgwick St"
    assert undouble("Room 1100 at noon") == "Room 1100 at noon"
    assert undouble("Approve ll items") == "Approve ll items"


def test_numbered_lines_that_are_not_a_list_and_prose_give_no_items():
    assert split_items(["The board met at 9:00 AM.\nIt adjourned at noon."]) == []
    assert split_items([]) == []
