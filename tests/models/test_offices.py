"""Offices compared by meaning: kind, place and district, whatever the spelling."""

from __future__ import annotations

import pytest

from civicradar.models.ingest.filings import status_kind
from civicradar.models.offices import district_key, normalize_office


@pytest.mark.parametrize(
    ("office", "district", "key"),
    [
        ("Alderman, Ward 3", None, "council 3"),
        ("Ward 03 Alderperson", None, "council 3"),
        ("City Council District 3", None, "council 3"),
        ("03rd Dostrict Council", None, "council 3"),
        ("Council Member", "Third Ward", "council 3"),
        ("City Council", "District No. 3", "council 3"),
        ("Council At Large", None, "council at large"),
        ("Councilmember At-Large", None, "council at large"),
        ("CITY OF HICKORY ALDERMAN WARD 05", None, "hickory council 5"),
        ("TOWN OF CEDAR ROCK TOWN COUNCIL", None, "cedar rock council"),
        ("VILLAGE OF ALAMANCE MAYOR", None, "alamance mayor"),
        ("Mayor", None, "mayor"),
        ("Maoyr", None, "mayor"),
        ("BOARD OF EDUCATION DISTRICT 2", None, "school board 2"),
        ("Register of Wills", None, "register wills"),
        ("U.S. House", "MA-06", "house ma 6"),
        ("U.S. Senate", "IL", "senate il"),
    ],
)
def test_office_keys(office, district, key):
    assert normalize_office(office, district).key == key


def test_different_towns_and_wards_stay_apart():
    hickory = normalize_office("CITY OF HICKORY ALDERMAN WARD 05")
    assert hickory != normalize_office("CITY OF LENOIR ALDERMAN WARD 05")
    assert hickory != normalize_office("CITY OF HICKORY ALDERMAN WARD 04")
    assert normalize_office("Mayor").key != normalize_office("City Council").key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ward 03", "3"),
        ("3", "3"),
        ("District 12", "12"),
        ("MA-06", "ma 6"),
        ("At-Large", "at large"),
        (None, None),
    ],
)
def test_district_keys(text, key):
    assert district_key(text) == key


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (None, "filed"),
        ("Filed", "filed"),
        ("Pending review", "filed"),
        ("Qualified", "qualified"),
        ("Certified to ballot", "qualified"),
        ("Not Qualified", "disqualified"),
        ("Disqualified - residency", "disqualified"),
        ("Petition rejected", "disqualified"),
        ("Withdrawn", "withdrawn"),
        ("Withdrew 12/01/2026", "withdrawn"),
        ("W", "withdrawn"),
    ],
)
def test_status_kinds(status, kind):
    assert status_kind(status) == kind
