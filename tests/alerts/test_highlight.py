"""Marking the initiative's words: the spellings the matcher accepts, never inside a word,
and always on escaped text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from civicradar.alerts.highlight import marked, sentence_around


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("Child-Care Facility Fund", "child care", ["Child-Care"]),
        ("new childcare centers", "child care", ["childcare"]),
        ("Pre-K, pre k and PreK seats", "pre-k", ["Pre-K", "pre k", "PreK"]),
        ("two nurseries and a nursery", "nursery", ["nurseries", "nursery"]),
        ("Head Start classrooms", "head start", ["Head Start"]),
        ("grandchild care and careful children", "child care", []),
    ],
)
def test_marks_the_spellings_a_term_matches_and_nothing_inside_other_words(text, term, expected):
    soup = BeautifulSoup(str(marked(text, [term])), "html.parser")
    assert [m.get_text() for m in soup.find_all("mark")] == expected
    assert soup.get_text() == text


def test_markup_in_the_text_is_escaped_before_marking():
    html = str(marked('<a href="javascript:x()">child care</a>', ["child care"]))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("a") is None
    assert [m.get_text() for m in soup.find_all("mark")] == ["child care"]


def test_sentence_around_keeps_only_sentences_with_a_match():
    text = "Parks get two staff. Staff propose child-care subsidies. Roads follow."
    assert sentence_around(text, ["child care"]) == "Staff propose child-care subsidies."
    assert sentence_around(text, ["zoning"]) is None
