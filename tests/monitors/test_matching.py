"""Initiative term matching: whole words, case, plurals, spacing variants and exclusions."""

from __future__ import annotations

import pytest

from civicradar.config.schema import Initiative
from civicradar.monitors.matching import Matcher, snippet


def texts(matcher: Matcher, text: str) -> list[str]:
    return [m.text for m in matcher.find(text)]


@pytest.mark.parametrize("term", ["child care", "childcare", "child-care"])
@pytest.mark.parametrize(
    "text", ["Child care grants", "CHILDCARE grants", "child-care grants", "child  care grants"]
)
def test_spacing_and_hyphen_variants_match_each_other(term, text):
    assert Matcher([term]).find(text), (term, text)


@pytest.mark.parametrize("term", ["pre-k", "pre k", "prek", "Pre-K"])
@pytest.mark.parametrize("text", ["Pre-K expansion", "pre k expansion", "PreK expansion"])
def test_pre_k_variants_match_each_other(term, text):
    assert Matcher([term]).find(text), (term, text)


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("child care center", "two child care centers", "child care centers"),
        ("child care centers", "a new child care center", "child care center"),
        ("policy", "early learning policies", "policies"),
        ("head start", "Head Start's classroom", "Head Start's"),
        ("class", "pre-k classes", "classes"),
    ],
)
def test_plural_and_singular_forms_match(term, text, found):
    assert texts(Matcher([term]), text) == [found]


@pytest.mark.parametrize(
    "text",
    ["skincare products", "preKindergarten", "prekindle", "headstartup", "children care"],
)
def test_only_whole_words_match(text):
    assert Matcher(["child care", "pre-k", "head start"]).find(text) == []


def test_an_exclude_phrase_covering_the_match_suppresses_it():
    matcher = Matcher(["child care"], exclude=["child care tax credit"])
    assert matcher.find("Outreach on the child care tax credit") == []
    assert matcher.find("Outreach on the Child-Care Tax Credits") == []
    only = matcher.find("The child care tax credit and child care subsidies")
    assert [(m.start, m.text) for m in only] == [(30, "child care")]


def test_an_exclude_phrase_elsewhere_does_not_suppress_a_match():
    matcher = Matcher(["pre-k"], exclude=["tax credit"])
    assert texts(matcher, "Pre-K funding and the tax credit") == ["Pre-K"]


def test_matched_terms_follow_the_initiative_order_without_repeats():
    initiative = Initiative(name="x", terms=["early childhood", "child care", "pre-k"])
    matcher = Matcher.from_initiative(initiative)
    hits = matcher.find("Pre-K and child care; more child care; early childhood")
    assert matcher.matched_terms(hits) == ["early childhood", "child care", "pre-k"]


def test_terms_without_letters_are_ignored():
    assert Matcher(["--", "child care"]).find("child care") != []


def test_snippet_shows_the_match_in_context_cut_at_words():
    text = ("word " * 60) + "an ordinance funding child-care\n   licensing " + ("tail " * 60)
    matcher = Matcher(["child care"])
    (match,) = matcher.find(text)
    piece = snippet(text, match, width=60)
    assert "child-care licensing" in piece
    assert piece.startswith("…") and piece.endswith("…")
    assert len(piece) <= 62
    assert snippet("child care", matcher.find("child care")[0]) == "child care"
