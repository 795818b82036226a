"""Real agenda and minutes PDFs in ../shared/corpus/agendas/pdf (read in place; skipped when
absent) give the facts in the corpus's EXPECTED.md."""

from __future__ import annotations

import pytest

from civicradar.crawlers.agenda_split import split_items
from civicradar.crawlers.pdf_text import extract_pdf
from civicradar.monitors.matching import Matcher

pytestmark = pytest.mark.corpus


def read(corpus, name):
    path = corpus / "agendas" / "pdf" / name
    if not path.is_file():
        pytest.skip(f"{path} not in the corpus")
    text = extract_pdf(path.read_bytes())
    assert text.status == "ok", text.error
    return text


def matching(items, *terms):
    matcher = Matcher(list(terms))
    return [i.number for i in items if matcher.find(f"{i.title}\n{i.text or ''}")]


def test_nash_county_agenda_has_ten_items_and_terms_find_the_right_one(corpus):
    text = read(corpus, "nash-county-nc-agenda-2020-05-05.pdf")
    assert text.page_count == 1
    assert text.pages[0].startswith("FY2020/2021 BUDGET WORKSHOP\nMay 5, 2020")
    items = split_items(text.pages)
    assert [i.number for i in items] == [str(n) for n in range(1, 11)]
    assert items[0].title == "Call Recessed Meeting to Order – Chairman Robbie B. Davis"
    assert items[5].title == "Nash County Fire District Tax Rates Increase Requests"
    assert items[4].title == "Nash-Rocky Mount Public School (NRMS) Budget Presentation"
    assert items[4].text.startswith("Dr. Steve Ellis – NRMS Superintendent")
    assert items[9].title == "Adjournment"
    assert matching(items, "fire district") == ["6"]
    assert matching(items, "public school") == ["5"]


def test_cuyahoga_management_items_are_whole_and_the_page_header_is_not_an_item(corpus):
    text = read(corpus, "cuyahoga-community-college-2019-09-26.pdf")
    assert text.page_count == 2
    assert "Regular Meeting of the Board of Trustees" in text.pages[1]
    items = split_items(text.pages)
    management = [i for i in items if (i.section or "").endswith("C. MANAGEMENT")]
    assert [i.number for i in management] == [str(n) for n in range(1, 14)]
    assert management[0].title == (
        "Approval of Unum Life Insurance of American Long Term Disability Plan and FMLA "
        "Administration Four-Year Agreement"
    )
    assert management[4].title == "Approval of Healthcare Plans and Rates for Calendar Year 2020"
    assert [i.page for i in management[8:10]] == [1, 2]
    assert management[12].title.endswith(
        "College-wide Infrastructure Maintenance Architectural Projects"
    )
    everything = " ".join(f"{i.title} {i.text or ''}" for i in items)
    assert "Board of Trustees" not in everything and "Page 2 of 2" not in everything
    assert [i.number for i in items if i.section is None] == ["I", "II", "III", "IV", "VI"]
    # V. COMMITTEE REPORTS heads A-D: a section, not an item; B and D head nothing: items
    assert [i.number for i in items if i.section == "V. COMMITTEE REPORTS"] == ["B", "D"]


def test_chicago_district_council_single_item_wrapped_over_three_lines(corpus):
    text = read(corpus, "chicago-district-council-001-2023-06-01-closed.pdf")
    items = split_items(text.pages)
    assert [(i.number, i.title) for i in items] == [
        (
            "1",
            "Matters relating to appointment of a District Council member to fill a vacancy "
            "in District Council 001, including but not limited to discussion of District "
            "Council candidates",
        )
    ]


def test_chicago_human_relations_doubled_letters_are_undone(corpus):
    text = read(corpus, "chicago-human-relations-2019.pdf")
    page = text.pages[0]
    assert page.startswith("CHICAGO COMMISSION ON HUMAN RELATIONS\n2019 MONTHLY BOARD MEETING")
    assert "Held every 2nd Thursday of the month" in page
    assert "LOCATION: 740 N. Sedgwick St, 4th Floor Boardroom" in page
    assert "JANUARY 10" in page and "CCHH" not in page
    assert split_items(text.pages) == []  # a schedule, not an agenda


def test_nash_county_minutes_keep_the_typographic_apostrophe_and_join_lines(corpus):
    text = read(corpus, "nash-county-nc-minutes-2020-05-05.pdf")
    assert text.page_count == 2
    flat = " ".join(" ".join(text.pages).split())
    assert (
        "It was the consensus of the Board to cancel the Board of Commissioners’ May 18, 2020 "
        "regular" in flat
    )
    assert "FY2020-2021 General Fund Draft Budget" in flat  # a real hyphen at a line end stays
