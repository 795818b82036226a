"""A misread list is not news: rows that fold onto a few names, a name column gone empty and a
directory cut at ``max_pages`` make the run suspicious — over scripted days, nobody leaves or
arrives because of them — while a 6,000-person directory, ten a page, is read whole at the
default limit."""

from __future__ import annotations

from html import escape

from tests.conftest import Reply
from tests.crawlers.list_days import ListDays, kinds
from tests.crawlers.staff_crawl import crawl_once
from tests.fixtures.staff.layouts import expected, people, read
from tests.fixtures.staff.pages import Staffer, directory_page

DEPARTMENTS = ("Planning", "Finance", "Parks")


def _table(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (
        "<!DOCTYPE html><html><head><title>Staff</title></head><body><table>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def _days(tmp_path, http_server, cli_run, **source) -> ListDays:
    return ListDays(
        tmp_path, http_server, cli_run, "staff_directory", "/staff", platform="html_table", **source
    )


def test_a_redesign_that_reads_departments_as_names_is_suspicious_not_departures(
    tmp_path, http_server, cli_run
):
    staff = people(30, DEPARTMENTS)
    days = _days(tmp_path, http_server, cli_run)
    days.serve(directory_page(staff, style="first_last"), "text/html")
    assert days.day("2026-03-02") == []
    redesigned = _table(
        [(p.department, p.name(), p.title, p.department, p.email, p.phone) for p in staff],
        ("Name", "Contact", "Title", "Department", "Email", "Phone"),
    )  # the "Name" column now names the department; the person sits under "Contact"
    days.serve(redesigned, "text/html")
    for date in ("2026-03-03", "2026-03-04", "2026-03-05"):
        changes = days.day(date)
        assert not [c for c in changes if c["kind"] != "source_problem"], changes
    runs = days.runs()
    assert [r.status for r in runs] == ["ok", "suspicious", "suspicious", "suspicious"]
    assert "27 of 30 rows fold onto a person already listed" in runs[1].error
    assert 'name <- "Name"' in runs[1].error and '"Planning" x10' in runs[1].error
    assert "civicradar check --source list" in runs[1].error
    assert runs[1].reading["fields"]["name"] == "Name"
    assert kinds(days.day("2026-03-06")) == []


def test_a_name_column_gone_empty_is_suspicious_and_names_the_column(
    tmp_path, http_server, cli_run
):
    staff = people(20, DEPARTMENTS)
    days = _days(tmp_path, http_server, cli_run)
    days.serve(directory_page(staff, style="first_last"), "text/html")
    days.day("2026-03-02")
    rows = [
        ("" if n > 3 else p.name(), p.title, p.department, p.email, p.phone)
        for n, p in enumerate(staff)
    ]  # names now drawn by a script: the cells are empty
    days.serve(_table(rows, ("Name", "Title", "Department", "Email", "Phone")), "text/html")
    assert [c["kind"] for c in days.day("2026-03-03")] == ["source_problem"]
    assert days.day("2026-03-04") == []
    run = days.runs()[1]
    assert run.status == "suspicious"
    assert 'name is empty in 16 of 20 rows read with columns name <- "Name"' in run.error


def _pages(staff: list[Staffer], per_page: int = 10):
    def serve(request):
        page = int(request.query.get("page", ["1"])[0])
        chunk = staff[(page - 1) * per_page : page * per_page]
        more = page * per_page < len(staff)
        return Reply(
            body=directory_page(
                chunk, style="first_last", next_url=f"/staff?page={page + 1}" if more else None
            )
        )

    return serve


def test_a_directory_longer_than_max_pages_is_incomplete_not_departures(
    tmp_path, http_server, cli_run
):
    staff = sorted(people(25, DEPARTMENTS), key=lambda p: p.last)
    days = _days(tmp_path, http_server, cli_run, max_pages=3)
    http_server.routes["/staff"] = _pages(staff)
    assert days.day("2026-03-02") == []
    hired = [p.moved(last=f"Aa{p.last}", email=f"new.{p.email}") for p in people(10)]
    grown = sorted(staff + hired, key=lambda p: p.last)  # the new names push five past page 3
    http_server.routes["/staff"] = _pages(grown)
    for date in ("2026-03-03", "2026-03-04", "2026-03-05"):
        assert [c["kind"] for c in days.day(date)] in (["source_problem"], []), date
    runs = days.runs()
    assert [r.status for r in runs] == ["ok", "suspicious", "suspicious", "suspicious"]
    assert "stopped at max_pages (3)" in runs[1].error
    assert "raise max_pages for this source" in runs[1].error
    days.write_config(max_pages=10)
    changes = days.day("2026-03-06")
    assert sorted(c["kind"] for c in changes) == ["staff_arrival"] * 10
    assert not any(c["kind"] == "staff_departure" for c in days.day("2026-03-07"))


def test_the_default_page_limit_reads_a_6000_person_directory_ten_a_page(
    tmp_path, http_server, cli_run
):
    staff = people(6000, ("Planning", "Parks", "Finance", "Police", "Fire", "Library"))
    http_server.routes["/staff"] = _pages(staff)
    source = {"platform": "html_table", "url": f"{http_server.url}/staff"}
    run, found = crawl_once(cli_run, tmp_path, source)
    assert run.status == "ok", run.error
    assert run.requests == 600 and run.reading["pages"] == 600
    assert read(found) == expected(staff, department=True)
