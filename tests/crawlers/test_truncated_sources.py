"""A file cut off on the server's side is not news: the transfer is complete, the document is not.

Day 1 reads the full list (the baseline), day 2 the same list cut off mid-way through its
last row (or its last entry), day 3 the full list again. Day 2 must be exactly one
``source_problem`` and no role change, office change, departure or withdrawal; day 3 adds
nothing. Served over HTTP in full (no short transfer) and from ``file://`` paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from civicradar.crawlers.truncation import csv_cut_short, feed_cut_short, html_cut_short
from civicradar.models.store import Store
from civicradar.models.tables import Change, CrawlRun
from tests.conftest import Reply, write_config

FIXTURES = Path(__file__).parents[1] / "fixtures"
DAYS = ("2026-11-23", "2026-11-24", "2026-11-25")
ELECTION = {"name": "2027 Municipal General", "date": "2027-04-06"}
CRAWLING = {"download_delay": 0, "autothrottle": False, "retries": 0, "timeout_seconds": 5}

STAFF = [
    ("Ada Brook", "City Clerk", "Clerk"),
    ("Ben Ortiz", "Planner", "Planning"),
    ("Cora Diaz", "Senior Planner", "Planning"),
    ("Dev Shah", "Engineer", "Public Works"),
    ("Eli Moss", "Inspector", "Building"),
    ("Fay Lund", "Accountant", "Finance"),
    ("Gus Hale", "Librarian", "Library"),
    ("Lena Park", "Budget Analyst", "Finance"),
]
STAFF_CSV = "Name,Title,Department\n" + "".join(
    f"{name},{title},{department}\n" for name, title, department in STAFF
)
CUT_STAFF_CSV = STAFF_CSV[: STAFF_CSV.index("Lena Park,Budget") + len("Lena Park,Budget")]

CANDIDATES = [
    ("Nora Quist", "Alderman", "Ward 3"),
    ("Omar Reyes", "Alderman", "Ward 4"),
    ("Pia Stone", "Mayor", ""),
    ("Quin Tate", "Alderman", "Ward 1"),
    ("Rae Vance", "City Treasurer", ""),
    ("Sol Wren", "Alderman", "Ward 2"),
]
CANDIDATES_CSV = "Candidate,Office,Ward,Party\n" + "".join(
    f"{name},{office},{ward},Nonpartisan\n" for name, office, ward in CANDIDATES
)
CUT_CANDIDATES_CSV = CANDIDATES_CSV[: CANDIDATES_CSV.index("Sol Wren,Alder") + 14]


def staff_page(rows: list[tuple[str, str, str]]) -> str:
    body = "".join(f"<tr><td>{n}</td><td>{t}</td><td>{d}</td></tr>" for n, t, d in rows)
    return (
        "<!DOCTYPE html><html><head><title>Staff Directory</title></head><body>"
        "<h1>Staff Directory</h1><table><thead><tr><th>Name</th><th>Title</th>"
        f"<th>Department</th></tr></thead><tbody>{body}</tbody></table>"
        "<footer>City of Testville</footer></body></html>\n"
    )


STAFF_HTML = staff_page(STAFF)


def config(folder: Path, source: dict[str, Any]) -> Path:
    return write_config(
        folder,
        {
            "crawling": CRAWLING,
            "jurisdictions": [
                {
                    "id": "testville",
                    "name": "City of Testville",
                    "timezone": "America/Chicago",
                    "sources": [{"id": "list", **source}],
                }
            ],
        },
    )


def runs_and_changes(folder: Path) -> tuple[list[CrawlRun], list[Change]]:
    with Store(f"sqlite:///{folder / 'civicradar.db'}").session() as session:
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        changes = list(session.scalars(select(Change).order_by(Change.id)))
        return runs, changes


def three_days(folder: Path, cli_run: Any, source: dict[str, Any], serve: Any) -> None:
    """Full, cut, full: the cut day is one failed run and one source_problem, nothing else."""
    path = config(folder, source)
    kinds_after: list[list[str]] = []
    for day, cut in zip(DAYS, (False, True, False), strict=True):
        serve(cut)
        result = cli_run("--config", path, "run", now=day)
        assert result.exit_code == 0, result.output
        runs, changes = runs_and_changes(folder)
        kinds_after.append([c.kind for c in changes])
        if cut:
            assert runs[-1].status == "failed", runs[-1].error
            assert "truncated" in runs[-1].error
        else:
            assert runs[-1].status == "ok", runs[-1].error
    baseline = kinds_after[0]
    assert kinds_after[1] == [*baseline, "source_problem"]
    assert kinds_after[2] == kinds_after[1]  # recovery says nothing


# --- the rules ---------------------------------------------------------------------------


def test_a_csv_cut_mid_row_is_told_from_one_without_a_final_newline():
    assert csv_cut_short(STAFF_CSV) is None
    assert csv_cut_short(STAFF_CSV.rstrip("\n")) is None  # complete rows, no final newline
    assert "ends mid-row" in csv_cut_short(CUT_STAFF_CSV)
    assert "quoted field" in csv_cut_short('Name,Title\nLena Park,"Budget Analyst, Fin')
    assert csv_cut_short("Name,Title,Department,Phone\nA,B\nC,D") is None  # a ragged export


def test_html_and_feed_cut_short():
    assert html_cut_short(STAFF_HTML.encode()) is None
    cut = STAFF_HTML[: STAFF_HTML.index("Lena Park")].encode()
    assert "before </html>" in html_cut_short(cut)
    fragment = b"<h1>Staff</h1><table><tr><th>Name</th></tr><tr><td>Ada Brook</td>"
    assert "table that is never closed" in html_cut_short(fragment)
    feed = (FIXTURES / "rss" / "legistar-calendar.xml").read_bytes()
    assert not feed_cut_short(feed)
    assert feed_cut_short(feed[: feed.index(b"</item>") + 7])


def test_corpus_staff_pages_and_candidate_files_are_not_cut(corpus):
    for page in sorted((corpus / "staff").glob("*.html")):
        assert html_cut_short(page.read_bytes()) is None, page.name
    for export in sorted((corpus / "candidates").glob("*.csv")) + sorted(
        (corpus / "staff").glob("*.csv")
    ):
        text = export.read_bytes().decode("utf-8", errors="replace")
        assert csv_cut_short(text) is None, export.name


# --- three days of each source kind ------------------------------------------------------


@pytest.mark.parametrize("via", ["http", "file"])
def test_a_staff_csv_cut_mid_row_is_no_role_change(tmp_path, http_server, cli_run, via):
    export = tmp_path / "staff.csv"

    def serve(cut: bool) -> None:
        body = CUT_STAFF_CSV if cut else STAFF_CSV
        http_server.routes["/staff.csv"] = Reply(body=body, content_type="text/csv")
        export.write_text(body, encoding="utf-8")

    url = f"{http_server.url}/staff.csv" if via == "http" else export.as_uri()
    source = {"type": "staff_directory", "platform": "csv", "url": url}
    three_days(tmp_path, cli_run, source, serve)


@pytest.mark.parametrize("via", ["http", "file"])
def test_a_candidate_csv_cut_mid_row_is_no_office_change(tmp_path, http_server, cli_run, via):
    export = tmp_path / "filings.csv"

    def serve(cut: bool) -> None:
        body = CUT_CANDIDATES_CSV if cut else CANDIDATES_CSV
        http_server.routes["/filings.csv"] = Reply(body=body, content_type="text/csv")
        export.write_text(body, encoding="utf-8")

    url = f"{http_server.url}/filings.csv" if via == "http" else export.as_uri()
    source = {"type": "candidate_list", "platform": "csv", "url": url, "election": ELECTION}
    three_days(tmp_path, cli_run, source, serve)


@pytest.mark.parametrize(
    "cut_at",
    ["<td>Budget", "</tbody>"],
    ids=["mid-row", "after-the-rows"],
)
def test_a_staff_page_cut_short_is_no_role_change_or_departure(
    tmp_path, http_server, cli_run, cut_at
):
    def serve(cut: bool) -> None:
        body = STAFF_HTML[: STAFF_HTML.index(cut_at) + len(cut_at)] if cut else STAFF_HTML
        http_server.routes["/staff"] = Reply(body=body)

    url = f"{http_server.url}/staff"
    source = {"type": "staff_directory", "platform": "html_table", "url": url}
    three_days(tmp_path, cli_run, source, serve)


@pytest.mark.parametrize("via", ["http", "file"])
def test_a_feed_cut_after_its_first_entry_is_failed(tmp_path, http_server, cli_run, via):
    feed = (FIXTURES / "rss" / "legistar-calendar.xml").read_bytes()
    saved = tmp_path / "meetings.xml"

    def serve(cut: bool) -> None:
        body = feed[: feed.index(b"</item>") + len(b"</item>")] if cut else feed
        http_server.routes["/Feed.ashx"] = Reply(body=body, content_type="application/rss+xml")
        saved.write_bytes(body)

    url = f"{http_server.url}/Feed.ashx" if via == "http" else saved.as_uri()
    source = {
        "type": "agendas",
        "platform": "rss",
        "url": url,
        "fetch_documents": False,
        "days_back": 365,
        "days_ahead": 365,
    }
    three_days(tmp_path, cli_run, source, serve)


def test_a_complete_feed_with_a_stray_ampersand_is_still_read(tmp_path, cli_run):
    feed = (FIXTURES / "rss" / "legistar-calendar.xml").read_bytes()
    saved = tmp_path / "meetings.xml"
    saved.write_bytes(feed.replace(b"<title>", b"<title>Parks & Rec ", 2))
    source = {"type": "agendas", "platform": "rss", "url": saved.as_uri()}
    source.update(fetch_documents=False, days_back=365, days_ahead=365)
    result = cli_run("--config", config(tmp_path, source), "run", now=DAYS[0])
    assert result.exit_code == 0, result.output
    runs, changes = runs_and_changes(tmp_path)
    assert runs[-1].status == "ok", runs[-1].error
    assert "source_problem" not in [c.kind for c in changes]
