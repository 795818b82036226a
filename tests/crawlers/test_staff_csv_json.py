"""Open-data staff lists: Socrata-style CSV and JSON with ``fields`` mapping, and the corpus."""

from __future__ import annotations

from tests.conftest import Reply
from tests.crawlers.staff_crawl import by_name, crawl_once
from tests.fixtures.staff.pages import socrata_csv, socrata_json, team


def test_socrata_csv_headers_are_detected(tmp_path, http_server, cli_run):
    staff = team(30, "Finance")
    http_server.routes["/rows.csv"] = Reply(body=socrata_csv(staff), content_type="text/csv")
    url = f"{http_server.url}/rows.csv"
    run, people = crawl_once(cli_run, tmp_path, {"platform": "csv", "url": url})
    assert run.status == "ok" and len(people) == 30
    first = by_name(people)[staff[0].name("upper").replace(",  ", ", ")]
    assert (first["title"], first["department"]) == (staff[0].title, "Finance")


def test_socrata_json_needs_and_uses_a_fields_mapping(tmp_path, http_server, cli_run):
    staff = team(12, "Library")
    http_server.routes["/resource.json"] = Reply(
        body=socrata_json(staff), content_type="application/json"
    )
    url = f"{http_server.url}/resource.json"
    fields = {"name": "employee_name", "title": "job_titles", "department": "dept"}
    run, people = crawl_once(cli_run, tmp_path, {"platform": "json", "url": url, "fields": fields})
    assert run.status == "ok" and len(people) == 12
    person = by_name(people)[staff[1].name("last_first")]
    assert person["title"] == staff[1].title
    assert person["department"] == "Library"
    assert person["email"] == staff[1].email  # "work_email" is recognised without mapping


def test_json_without_recognisable_columns_is_suspicious(tmp_path, http_server, cli_run):
    http_server.routes["/resource.json"] = Reply(body='[{"a": 1, "b": 2}]')
    url = f"{http_server.url}/resource.json"
    run, people = crawl_once(cli_run, tmp_path, {"platform": "json", "url": url})
    assert run.status == "suspicious" and people == []


def test_corpus_chicago_salaries_ipra_slice(corpus, tmp_path, cli_run):
    url = (corpus / "staff" / "chicago-employees-salaries-ipra-slice.csv").as_uri()
    run, people = crawl_once(cli_run, tmp_path, {"platform": "csv", "url": url})
    assert run.status == "ok"
    assert len(people) == 83
    assert len({p["name"] for p in people}) == 83
    assert {p["department"] for p in people} == {"IPRA"}
    found = by_name(people)
    assert found["ABBRUZZESE, WILLIAM J"]["title"] == "INVESTIGATOR - IPRA II"
    assert found["ANDO, SCOTT M"]["title"] == "CHIEF ADMINISTRATOR"
    assert found["WILSON, GRACE L"]["title"] == "INVESTIGATOR - IPRA III"


def test_corpus_ipra_slice_makes_83_people_with_one_key_each(corpus, tmp_path, cli_run):
    from civicradar.models.names import name_key

    url = (corpus / "staff" / "chicago-employees-salaries-ipra-slice.csv").as_uri()
    _, people = crawl_once(cli_run, tmp_path, {"platform": "csv", "url": url})
    assert len({name_key(p["name"]) for p in people}) == 83
    assert name_key("ABBRUZZESE,  WILLIAM J") == name_key("William Abbruzzese")
