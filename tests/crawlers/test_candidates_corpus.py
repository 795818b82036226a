"""Real candidate lists from ../shared/corpus/candidates, read in place through file:// URLs
and run through crawl and detect; counts and sample rows as its EXPECTED.md states them.
Skipped when the corpus is absent."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import Candidacy, CrawlRun, Election
from tests.conftest import write_config
from tests.fixtures.candidates.lists import candidate_sources


def crawl_and_detect(cli_run: Any, folder: Path, source: dict[str, Any], now: str):
    """The run's candidate records, then the stored candidacies after detection."""
    config = write_config(folder, candidate_sources({"id": "filings", **source}))
    result = cli_run("--config", config, "crawl", now=now)
    assert result.exit_code == 0, result.output
    store = Store(f"sqlite:///{folder / 'civicradar.db'}")
    with store.session() as session:
        run = session.scalars(select(CrawlRun)).one()
        status, records = run.status, [r for r in run.payload if r["record_type"] == "candidate"]
    result = cli_run("--config", config, "detect", now=now)
    assert result.exit_code == 0, result.output
    with store.session() as session:
        candidacies = list(session.scalars(select(Candidacy)))
        for candidacy in candidacies:
            _ = candidacy.election.date
    return status, records, candidacies


def test_north_carolina_listing(corpus, tmp_path, cli_run):
    url = (corpus / "candidates" / "nc-sbe-candidate-listing-2025.csv").as_uri()
    status, records, candidacies = crawl_and_detect(
        cli_run, tmp_path, {"platform": "csv", "url": url}, "2025-08-01"
    )
    assert status == "ok"
    assert len(records) == 3120
    assert len({(r["office"], r["name"]) for r in records}) == 2759
    assert sum("(" in r["name"] for r in records) == 128
    tichy = next(r for r in records if r["name"] == "Don Tichy")
    assert (tichy["office"], tichy["filed_on"], tichy["election_date"]) == (
        "VILLAGE OF ALAMANCE MAYOR",
        "2025-07-11",
        "2025-11-04",
    )
    assert tichy["email"] == "don@tichytraingroup.com" and tichy["phone"] == "3362694202"
    assert tichy["extra"]["county_name"] == "ALAMANCE" and tichy["extra"]["is_partisan"] == "false"
    assert not any("zip_code" in r["extra"] or "city" in r["extra"] for r in records)

    # one candidacy per (election, person, office): rows per county collapse
    assert len(candidacies) == 2832
    lyles = [c for c in candidacies if c.name == "Vi Lyles"]
    assert sorted(c.election.date.isoformat() for c in lyles) == ["2025-09-09", "2025-11-04"]
    assert {(c.office, c.party, c.filed_on.isoformat()) for c in lyles} == {
        ("CITY OF CHARLOTTE MAYOR", "DEM", "2025-07-16")
    }
    dula = [c for c in candidacies if c.name_key == "arnita dula"]
    assert len(dula) == 2 and len({(c.name_key, c.office_key) for c in dula}) == 1
    assert dula[0].office_key == "hickory council 5"
    assert all(c.baseline for c in candidacies)


def test_north_carolina_calendar_counts_by_office(corpus, tmp_path, cli_run):
    url = (corpus / "candidates" / "nc-sbe-candidate-listing-2025.csv").as_uri()
    crawl_and_detect(cli_run, tmp_path, {"platform": "csv", "url": url}, "2025-08-01")
    config = tmp_path / "civicradar.yaml"
    result = cli_run(
        "--config", config, "candidates", "--calendar", "--office", "Charlotte Mayor",
        "--format", "json", now="2025-08-01",
    )  # fmt: skip
    rows = json.loads(result.output)
    assert [(r["election_date"], r["days_remaining"], r["office"]) for r in rows] == [
        ("2025-09-09", 39, "CITY OF CHARLOTTE MAYOR"),
        ("2025-11-04", 95, "CITY OF CHARLOTTE MAYOR"),
    ]
    assert all(r["candidates"] >= 1 for r in rows)


def test_philadelphia_primary_with_typos(corpus, tmp_path, cli_run):
    url = (corpus / "candidates" / "philadelphia-unofficial-candidates-2015-primary.csv").as_uri()
    election = {"name": "2015 Primary", "date": "2015-05-19"}
    status, records, candidacies = crawl_and_detect(
        cli_run, tmp_path, {"platform": "csv", "url": url, "election": election}, "2015-03-20"
    )
    assert status == "ok" and len(records) == 68 and len(candidacies) == 68
    by_name = {c.name: c for c in candidacies}
    assert (by_name["James Kenney"].office, by_name["James Kenney"].party) == ("Mayor", "Democrat")
    assert by_name["Lisa Deeley"].office == "City Commissioner"
    blackwell = by_name["Jannie Blackwell"]
    assert (blackwell.office, blackwell.office_key) == ("03rd Dostrict Council", "council 3")
    offices = Counter(c.office_key for c in candidacies)
    assert offices["council 3"] == 2  # "03rd District Council" and its misspelling: one seat
    assert offices["council at large"] == 28 and offices["mayor"] == 7
    assert all(c.address for c in candidacies)
    assert not any("ZIP" in c.extra or "ADDRESS 2" in c.extra for c in candidacies)


def test_fec_v0_2_reply(corpus, tmp_path, cli_run, http_server):
    from tests.conftest import Reply

    body = (corpus / "candidates" / "fec-candidates-api-v0.2-2014.json").read_bytes()
    http_server.routes["/v1/candidates/"] = Reply(body=body, content_type="application/json")
    source = {"platform": "openfec", "base_url": f"{http_server.url}/v1", "api_key": "k"}
    source["max_pages"] = 1
    status, records, candidacies = crawl_and_detect(cli_run, tmp_path, source, "2014-09-20")
    assert status == "suspicious"  # page 1 of 2 only: an incomplete list is not trusted
    assert len({r["external_id"] for r in records}) == 20
    moulton = next(r for r in records if r["external_id"] == "H4MA06090")
    assert (moulton["name"], moulton["office"], moulton["district"]) == (
        "MOULTON, SETH",
        "U.S. House",
        "MA-06",
    )
    assert (moulton["election_date"], moulton["extra"]["candidate_status_code"]) == (
        "2014-11-04",
        "C",
    )
    dodds = next(r for r in records if r["external_id"] == "H2FL03130")
    assert (dodds["district"], dodds["extra"]["election_year"]) == ("FL-03", "2012")
    assert candidacies == []  # nothing stored from an untrusted run


def test_fec_v0_2_reply_single_page(corpus, tmp_path, cli_run, http_server):
    from tests.conftest import Reply

    reply = json.loads((corpus / "candidates" / "fec-candidates-api-v0.2-2014.json").read_text())
    reply["pagination"]["pages"] = 1
    http_server.routes["/v1/candidates/"] = Reply(body=json.dumps(reply))
    source = {"platform": "openfec", "base_url": f"{http_server.url}/v1", "api_key": "k"}
    status, _, candidacies = crawl_and_detect(cli_run, tmp_path, source, "2014-09-20")
    assert status == "ok"
    moulton = next(c for c in candidacies if c.external_id == "H4MA06090")
    assert (moulton.name, moulton.office_key) == ("Seth Moulton", "house ma 6")
    with Store(f"sqlite:///{tmp_path / 'civicradar.db'}").session() as session:
        years = sorted({e.date.year for e in session.scalars(select(Election))})
    assert 2012 in years and 2014 in years
