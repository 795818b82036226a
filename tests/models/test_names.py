"""One person, many spellings: name keys, compatibility under a shared email, fuzzy fallback."""

from __future__ import annotations

import pytest

from civicradar.models.names import (
    compatible,
    fuzzy_same,
    name_key,
    normal_department,
    normal_label,
    parse_name,
)


@pytest.mark.parametrize(
    "spelling",
    [
        "John Smith",
        "Smith, John A.",
        "SMITH,  JOHN A",
        "smith, john",
        'John "Jack" Smith',
        "John (Jack) Smith",
        "Smith, John\t\t",
        "Mr. John A. Smith Jr.",
    ],
)
def test_spellings_of_one_name_share_a_key(spelling):
    assert name_key(spelling) == "john smith"


def test_different_people_have_different_keys():
    assert name_key("John Smith") != name_key("Jane Smith")
    assert name_key("Smith, John") != name_key("John Smithers")


def test_accents_and_apostrophes_fold():
    assert name_key("José Núñez") == name_key("Jose Nunez")
    assert name_key("O'Neill, Pat") == name_key("Pat ONeill")


def test_display_name_reads_first_last_in_natural_case():
    assert parse_name("ABBRUZZESE,  WILLIAM J").display == "William J Abbruzzese"
    assert parse_name("Walker, Angela G.\t").display == "Angela G. Walker"


def test_a_role_mailbox_handed_to_a_successor_is_not_compatible():
    assert not compatible(parse_name("John Arena"), parse_name("Jim Gardiner"))
    assert compatible(parse_name("Smith, Johnny"), parse_name("John A. Smith"))
    assert compatible(parse_name("Jane Doe"), parse_name("Jane Roe"))  # a married name


def test_fuzzy_match_is_conservative():
    assert fuzzy_same(parse_name("Katherine Johnston"), parse_name("Katharine Johnston"))
    assert not fuzzy_same(parse_name("Ana Ruiz"), parse_name("Ana Ortiz"))
    assert not fuzzy_same(parse_name("Dan Berg"), parse_name("Jan Berg"))


@pytest.mark.parametrize(
    "label",
    [
        "Planning Dept.",
        "Department of Planning",
        "Planning Department",
        "Planning Div.",
        "The Planning Division",
        "DEPT. OF PLANNING",
    ],
)
def test_generic_department_words_are_ignored(label):
    assert normal_department(label) == normal_department("Planning") == "planning"


def test_departments_keep_their_own_words():
    assert normal_department("Planning") != normal_department("Parks")
    assert normal_department("Planning & Development") == "planning development"
    assert normal_department("Planning and Development Dept") == "planning development"
    assert normal_department("Office of the Mayor") == normal_department("Mayor")
    assert normal_department("Department") == "department"  # never blank, never "any"
    assert normal_label("Planning Division Manager") != normal_label("Planning Manager")
