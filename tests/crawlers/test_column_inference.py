"""Every header weighed for every field: real export layouts map as a person would map them,
no header about something else becomes the person's name, and a state board's verbose list
yields every candidacy with the board's status words understood."""

from __future__ import annotations

import pytest

from civicradar.crawlers.columns import map_columns
from civicradar.models.ingest.filings import status_kind
from tests.conftest import Reply
from tests.crawlers.list_days import ListDays
from tests.crawlers.test_candidates_lists import crawl
from tests.fixtures.candidates.lists import NC_HEADERS, STATE_HEADERS, Filer, state_board_csv

LAYOUTS = [
    (
        "candidate_list",
        STATE_HEADERS,
        {
            "election_name": "Election Name",
            "office": "Office Name",
            "district": "District Name",
            "last_name": "Candidate Last Name and Suffix",
            "first_name": "Candidate First Name and Middle Name",
            "party": "Party Affiliation",
            "status": "Candidate Status",
            "filed_on": "Filing Type and Date",
            "phone": "Public Phone",
            "email": "Public Email",
            "address": "Mailing Address",
        },
    ),
    (
        "candidate_list",
        NC_HEADERS,
        {
            "election_date": "election_dt",
            "office": "contest_name",
            "name": "name_on_ballot",
            "middle_name": "middle_name",
            "suffix": "name_suffix_lbl",
            "nickname": "nick_name",
            "address": "street_address",
            "phone": "business_phone",
            "email": "email",
            "filed_on": "candidacy_dt",
            "party": "party_candidate",
        },
    ),
    (
        "candidate_list",
        ["FIRST NAME", "LAST NAME", "ADDRESS", "ADDRESS 2", "CITY", "ST", "ZIP", "OFFICE", "PARTY"],
        {
            "first_name": "FIRST NAME",
            "last_name": "LAST NAME",
            "address": "ADDRESS",
            "office": "OFFICE",
            "party": "PARTY",
        },
    ),
    (
        "candidate_list",
        ["Contest Name", "Candidate", "Ballot Status", "Date of Filing", "Campaign Website"],
        {
            "office": "Contest Name",
            "name": "Candidate",
            "status": "Ballot Status",
            "filed_on": "Date of Filing",
            "website": "Campaign Website",
        },
    ),
    (
        "staff_directory",
        ["Person Name", "Ward/Office", "Ward Office Phone", "Fax", "E-mail", "Website"],
        {
            "name": "Person Name",
            "title": "Ward/Office",
            "phone": "Ward Office Phone",
            "email": "E-mail",
            "url": "Website",
        },
    ),
    (
        "staff_directory",
        ["Employee Name", "Job Title", "Department Name", "Work Phone", "Email Address", "Salary"],
        {
            "name": "Employee Name",
            "title": "Job Title",
            "department": "Department Name",
            "phone": "Work Phone",
            "email": "Email Address",
        },
    ),
]


@pytest.mark.parametrize(("source_type", "headers", "mapping"), LAYOUTS)
def test_real_export_layouts_map_every_field_to_its_column(source_type, headers, mapping):
    assert map_columns(headers, source_type).columns == mapping


@pytest.mark.parametrize(
    "header",
    [
        "Office Name",
        "County Name",
        "Committee Name",
        "Contest Name",
        "District Name",
        "Related Candidate Name",
        "Mailing Name",
        "Treasurer Name",
        "Party Name",
        "Election Name",
    ],
)
def test_a_header_about_something_else_is_never_the_persons_name(header):
    for source_type in ("candidate_list", "staff_directory"):
        assert map_columns([header, "Status"], source_type).columns.get("name") is None


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("Active", "filed"),
        ("Pending", "filed"),
        ("Certified", "qualified"),
        ("Withdrawn", "withdrawn"),
        ("Deceased", "withdrawn"),
        ("Inactive", "withdrawn"),
        ("Removed", "disqualified"),
        ("Disqualified", "disqualified"),
        ("Not Certified", "disqualified"),
    ],
)
def test_state_board_status_words_map_onto_candidacy_statuses(words, kind):
    assert status_kind(words) == kind


FIELD = [
    Filer("Nora", "Quist", "City Council", district="Ward 3", party="Independent",
          status="Active", filed="07/11/2026", email="nora@quist.org", phone="555-0142",
          middle="B.", suffix="Jr.", address="42 Private Lane"),
    Filer("Ada", "Brook", "City Council", district="Ward 3", status="Active", filed="07/14/2026"),
    Filer("Ben", "Castro", "City Council", district="Ward 4", status="Active", filed="07/20/2026"),
    Filer("Cora", "Dunn", "Mayor", status="Active", filed="06/30/2026", email="cora@dunn.org"),
]  # fmt: skip


def test_a_verbose_state_list_yields_every_candidacy_with_its_parts(tmp_path, http_server, cli_run):
    http_server.routes["/c.csv"] = Reply(body=state_board_csv(FIELD), content_type="text/csv")
    run, records = crawl(cli_run, tmp_path, {"platform": "csv", "url": f"{http_server.url}/c.csv"})
    assert run.status == "ok", run.error
    assert [(r["name"], r["office"], r["district"], r["filed_on"]) for r in records] == [
        ("Nora B. Quist Jr.", "City Council", "Ward 3", "2026-07-11"),
        ("Ada Brook", "City Council", "Ward 3", "2026-07-14"),
        ("Ben Castro", "City Council", "Ward 4", "2026-07-20"),
        ("Cora Dunn", "Mayor", None, "2026-06-30"),
    ]
    quist = records[0]
    assert (quist["status"], quist["party"], quist["phone"], quist["email"]) == (
        "Active",
        "Independent",
        "555-0142",
        "nora@quist.org",
    )
    assert quist["election_name"] == "2027 Municipal General"
    assert quist["address"] == "42 Private Lane"
    assert quist["extra"] == {
        "County Name": "CATAWBA",
        "Related Committee Name": "Friends of Nora Quist",
    }
    assert run.reading["fields"]["first_name"] == "Candidate First Name and Middle Name"


def test_board_status_words_become_candidate_updates(tmp_path, http_server, cli_run):
    days = ListDays(tmp_path, http_server, cli_run, "candidate_list", "/c.csv", platform="csv")
    days.serve(state_board_csv(FIELD), "text/csv")
    assert days.day("2026-07-21") == []
    statuses = {"Ada": "Withdrawn", "Ben": "Removed", "Cora": "Deceased"}
    days.serve(
        state_board_csv([f.but(status=statuses.get(f.first, f.status)) for f in FIELD]),
        "text/csv",
    )
    changes = days.day("2026-07-22")
    assert sorted((c["data"]["name"], c["data"]["what"]) for c in changes) == [
        ("Ada Brook", "withdrew"),
        ("Ben Castro", "disqualified"),
        ("Cora Dunn", "withdrew"),
    ]
