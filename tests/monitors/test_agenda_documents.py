"""Agenda PDFs through `civicradar run` over scripted days: a Legistar API whose events link
PDFs served by a local file server with ETags; matches inside documents, one change per
item, amendments by re-publication, and an unchanged day that costs only 304s."""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml
from sqlalchemy import select

from civicradar.crawlers import documents as document_fetching
from civicradar.models.tables import CrawlRun
from civicradar.monitors.documents import title_slug
from tests.conftest import Reply
from tests.conftest import logged_changes as changes
from tests.crawlers.agenda_pdfs import corrupt_pdf, scanned_pdf, text_pdf
from tests.crawlers.test_legistar import (  # noqa: F401  (api is a fixture)
    api,
    legistar_config,
    open_store,
)

HEADER = ["TESTVILLE CITY COUNCIL", "Regular Meeting, March 9, 2026"]
PAGE_1 = [
    "1. Call to order",
    "2. Resolution supporting childcare workforce grants",
    "Grants to licensed child care providers in the Eastside neighborhood.",
]
PAGE_2 = [
    "3. Public hearing: fiscal year 2027 budget",
    "The budget includes funding for pre-k classrooms at two ele-",
    "mentary schools.",
    "4. Lease of the Oak Street building to the Early Head Start program for a",
    "child care center",
]
LEASE = "Lease of the Oak Street building to the Early Head Start program for a child care center"
ADDED = ["5. Child care subsidy pilot for infants and toddlers"]
MINUTES = [["Minutes", "The board discussed the child care tax credit and child care."]]


class DocumentServer:
    """Files by path with ETag/Last-Modified; answers If-None-Match with 304."""

    def __init__(self, server, *, validators: bool = True) -> None:
        self.server, self.files, self.validators = server, {}, validators

    def put(self, path: str, body: bytes) -> str:
        self.files[path] = body
        self.server.routes[path] = self.reply
        return self.server.url + path

    def reply(self, request) -> Reply:
        body = self.files[request.path]
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"ETag": tag, "Last-Modified": "Mon, 02 Mar 2026 08:00:00 GMT"}
        if not self.validators:
            headers = {}
        elif request.headers.get("if-none-match") == tag:
            return Reply(status=304, body=b"", headers=headers, content_type="application/pdf")
        return Reply(body=body, headers=headers, content_type="application/pdf")

    def requests(self) -> list:
        return [r for r in self.server.requests if r.path.endswith(".pdf")]


def set_up(tmp_path, api, http_server, *, validators=True):  # noqa: F811
    docs = DocumentServer(http_server, validators=validators)
    events = {e["EventId"]: e for e in api.clients["testville"].events}
    events[201]["EventAgendaFile"] = docs.put("/Agenda_201.pdf", agenda([PAGE_1, PAGE_2]))
    events[202]["EventAgendaFile"] = docs.put("/Agenda_202.pdf", corrupt_pdf())
    events[203]["EventAgendaFile"] = docs.put("/Agenda_203.pdf", scanned_pdf(2))
    events[204]["EventAgendaFile"] = docs.put("/Agenda_204.pdf", agenda([["1. Briefing"]]))
    events[204]["EventMinutesFile"] = docs.put("/Minutes_204.pdf", text_pdf(MINUTES))
    config = legistar_config(tmp_path, api.url, fetch_documents=True)
    return docs, config


def agenda(pages):
    return text_pdf(pages, header=HEADER)


def run(cli_run, config, day):
    result = cli_run("--config", config, "run", now=day)
    assert result.exit_code == 0, result.output
    return result


def meetings(cli_run, config):
    found = json.loads(cli_run("--config", config, "meetings", "--format", "json").output)
    return {(m["body"], m["meeting_date"]): m for m in found}


def crawl_runs(tmp_path):
    with open_store(tmp_path).session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def test_matches_inside_agenda_pdfs_name_the_page_and_an_item_in_both_is_one_change(
    tmp_path,
    api,  # noqa: F811
    http_server,
    cli_run,
):
    docs, config = set_up(tmp_path, api, http_server)
    run(cli_run, config, "2026-03-02")
    found = {c["data"]["target"]: c for c in changes(cli_run, config, "agenda_match")}
    assert sorted(found) == [
        "doc:agenda:" + title_slug(LEASE),
        "item:7002",
        "item:7003",
        "item:7201",
    ]
    grants = found["item:7002"]["data"]  # title and PDF: one change, with the PDF's page
    assert grants["item_title"] == "Resolution supporting childcare workforce grants"
    assert grants["found_in"] == ["agenda", "item"]
    assert grants["page"] == 1 and "licensed child care providers" in grants["document_snippet"]
    budget = found["item:7003"]  # only the PDF says pre-k, under an agenda item of the API
    assert budget["data"]["item_title"] == "Public hearing: fiscal year 2027 budget"
    assert budget["data"]["page"] == 2 and budget["data"]["matched_terms"] == ["pre-k"]
    assert "pre-k classrooms at two elementary schools" in budget["data"]["snippet"]
    assert "(agenda p. 2)" in budget["summary"]
    lease = found["doc:agenda:" + title_slug(LEASE)]["data"]
    assert (lease["item_title"], lease["page"], lease["item_number"]) == (LEASE, 2, "4")
    assert lease["document_url"] == docs.server.url + "/Agenda_201.pdf"

    stored = meetings(cli_run, config)
    council = stored[("City Council", "2026-03-09")]
    [document] = council["documents"]
    assert (document["kind"], document["status"], document["page_count"]) == ("agenda", "ok", 2)
    assert [i["number"] for i in document["items"]] == ["1", "2", "3", "4"]
    assert [(i["title"], i["page"]) for i in council["agenda_items"]] == [
        ("Call to order", 1),
        ("Resolution supporting childcare workforce grants", 1),
        ("Public hearing: fiscal year 2027 budget", 2),
    ]
    assert "pre-k classrooms at two elementary schools." in " ".join(document["pages"][1].split())
    parks = stored[("Parks and Recreation Board", "2026-03-11")]["documents"][0]
    assert parks["status"] == "failed" and parks["error"].startswith("unreadable PDF")
    scan = stored[("City Council", "2026-03-16")]["documents"][0]
    assert (scan["status"], scan["page_count"]) == ("no_text", 2)
    old = stored[("Parks and Recreation Board", "2026-02-20")]["documents"]
    assert [(d["kind"], d["status"]) for d in old] == [("agenda", "ok"), ("minutes", "ok")]
    assert [r.status for r in crawl_runs(tmp_path)] == ["ok"]  # a broken PDF fails no source


def test_an_unchanged_day_costs_only_conditional_requests_and_finds_nothing(
    tmp_path,
    api,  # noqa: F811
    http_server,
    cli_run,
):
    docs, config = set_up(tmp_path, api, http_server)
    run(cli_run, config, "2026-03-02")
    day_one = len(docs.requests())
    assert day_one == 5  # four agendas and one set of minutes
    assert not any("if-none-match" in r.headers for r in docs.requests())
    before = changes(cli_run, config)

    http_server.requests.clear()
    result = run(cli_run, config, "2026-03-03")
    assert "nothing new" in result.output
    assert changes(cli_run, config) == before
    assert len(docs.requests()) == 5
    assert all(r.headers.get("if-none-match", "").startswith('"') for r in docs.requests())
    first, second = crawl_runs(tmp_path)
    pdf_bytes = sum(len(body) for body in docs.files.values())
    assert first.bytes - second.bytes >= pdf_bytes
    assert second.not_modified == 5 and second.status == "ok"


def test_a_republished_agenda_with_new_matching_text_is_an_amendment_and_breakage_is_not(
    tmp_path,
    api,  # noqa: F811
    http_server,
    cli_run,
):
    docs, config = set_up(tmp_path, api, http_server)
    run(cli_run, config, "2026-03-02")
    count = len(changes(cli_run, config))

    docs.put("/Agenda_201.pdf", agenda([PAGE_1, PAGE_2 + ADDED]))
    run(cli_run, config, "2026-03-03")
    new = changes(cli_run, config)[count:]
    assert [(c["kind"], c["data"].get("item_title")) for c in new] == [
        ("agenda_match", "Child care subsidy pilot for infants and toddlers"),
        ("meeting_change", None),
    ]
    assert new[1]["data"]["what"] == "agenda amended"
    assert new[1]["data"]["items_added"] == ["Child care subsidy pilot for infants and toddlers"]

    docs.put("/Agenda_201.pdf", corrupt_pdf())  # a botched upload: recorded, not news
    run(cli_run, config, "2026-03-04")
    assert len(changes(cli_run, config)) == count + 2
    council = meetings(cli_run, config)[("City Council", "2026-03-09")]["documents"][0]
    assert council["status"] == "failed" and council["error"].startswith("unreadable PDF")
    assert council["page_count"] == 2 and len(council["items"]) == 5  # the last good text

    docs.put("/Agenda_201.pdf", agenda([PAGE_1, PAGE_2[:3] + ADDED]))  # the lease is dropped
    run(cli_run, config, "2026-03-05")
    [dropped] = changes(cli_run, config)[count + 2 :]
    assert dropped["data"]["items_removed"] == [LEASE]
    assert [r.status for r in crawl_runs(tmp_path)] == ["ok"] * 4


def test_without_validators_a_document_is_refetched_only_for_changed_meetings_and_hashed(
    tmp_path,
    api,  # noqa: F811
    http_server,
    cli_run,
):
    docs, config = set_up(tmp_path, api, http_server, validators=False)
    run(cli_run, config, "2026-03-02")
    before = changes(cli_run, config)
    http_server.requests.clear()
    run(cli_run, config, "2026-03-03")
    assert docs.requests() == []  # no validators, meetings unmodified: nothing to ask

    council = next(e for e in api.clients["testville"].events if e["EventId"] == 201)
    council["EventLastModifiedUtc"] = "2026-03-03T20:00:00"
    run(cli_run, config, "2026-03-04")
    assert [r.path for r in docs.requests()] == ["/Agenda_201.pdf"]
    assert "if-none-match" not in docs.requests()[0].headers
    assert changes(cli_run, config) == before  # same bytes, same hash: nothing


def test_documents_too_large_or_missing_are_recorded_on_the_document_only(
    tmp_path,
    api,  # noqa: F811
    http_server,
    cli_run,
    monkeypatch: pytest.MonkeyPatch,
):
    _docs, config = set_up(tmp_path, api, http_server)
    monkeypatch.setattr(document_fetching, "MAX_DOCUMENT_BYTES", 2000)
    del http_server.routes["/Minutes_204.pdf"]
    run(cli_run, config, "2026-03-02")
    stored = meetings(cli_run, config)
    council = stored[("City Council", "2026-03-09")]["documents"][0]
    assert council["status"] == "failed"
    assert "larger than the document size limit (2,000 bytes)" in council["error"]
    minutes = stored[("Parks and Recreation Board", "2026-02-20")]["documents"][1]
    assert minutes["status"] == "failed" and "HTTP 404" in minutes["error"]
    assert [r.status for r in crawl_runs(tmp_path)] == ["ok"]
    titles = {c["data"]["item_title"] for c in changes(cli_run, config, "agenda_match")}
    assert "Resolution supporting childcare workforce grants" in titles  # the API still counts


def test_documents_and_their_text_round_trip_on_sqlite_and_postgresql(
    tmp_path,
    api,  # noqa: F811
    http_server,
    cli_run,
    store_url,
):
    _docs, config = set_up(tmp_path, api, http_server)
    settings = yaml.safe_load(config.read_text())
    config.write_text(yaml.safe_dump({**settings, "database": store_url}))
    run(cli_run, config, "2026-03-02")
    first = changes(cli_run, config)
    assert len([c for c in first if c["kind"] == "agenda_match"]) == 4
    assert "nothing new" in run(cli_run, config, "2026-03-03").output
    council = meetings(cli_run, config)[("City Council", "2026-03-09")]
    [document] = council["documents"]
    assert document["status"] == "ok" and document["changed_at"] == document["fetched_at"]
    assert document["items"][3]["title"] == LEASE and document["items"][3]["page"] == 2
