"""The OpenFEC spider against a local OpenFEC-compatible ``/v1/candidates/``: filters and
key in the query, offset and seek paging, today's flat reply and the v0.2 nested one,
and every broken reply as a source problem that never shows the API key."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Reply
from tests.crawlers.test_candidates_lists import crawl
from tests.fixtures.candidates.lists import FecCandidate, fec_page, fec_result

KEY = "sekrit-key-123"
PARAMS = {"state": "IL", "office": "H", "district": "07", "election_year": "2026"}


def field(count: int) -> list[FecCandidate]:
    return [
        FecCandidate(f"H6IL07{n:03d}", f"LAST{n}, FIRST{n}", years=(2024, 2026))
        for n in range(count)
    ]


def api(server, candidates: list[FecCandidate]) -> None:
    def reply(request: Any) -> Reply:
        page = int(request.query.get("page", ["1"])[0])
        per_page = int(request.query.get("per_page", ["20"])[0])
        return Reply(body=fec_page(candidates, page, per_page), content_type="application/json")

    server.routes["/v1/candidates/"] = reply


def source(server, **extra: Any) -> dict[str, Any]:
    return {
        "platform": "openfec",
        "base_url": f"{server.url}/v1",
        "api_key": KEY,
        "params": PARAMS,
        **extra,
    }


def test_flat_reply_pages_with_filters_and_key(tmp_path, http_server, cli_run):
    api(http_server, field(150))
    run, records = crawl(cli_run, tmp_path, source(http_server))
    assert run.status == "ok" and len(records) == 150
    first, second = (r for r in http_server.requests if r.path == "/v1/candidates/")
    assert first.query["api_key"] == [KEY] and first.query["per_page"] == ["100"]
    assert {k: first.query[k] for k in PARAMS} == {k: [v] for k, v in PARAMS.items()}
    assert second.query["page"] == ["2"]
    assert records[0] == {
        "record_type": "candidate",
        "name": "LAST0, FIRST0",
        "office": "U.S. House",
        "district": "IL-07",
        "party": "DEMOCRATIC PARTY",
        "status": "statutory candidate",
        "filed_on": "2025-06-01",
        "election_name": "2026 federal general election",
        "election_date": "2026-11-03",
        "email": None,
        "phone": None,
        "website": None,
        "committee": None,
        "address": None,
        "external_id": "H6IL07000",
        "extra": {
            "state": "IL",
            "incumbent_challenge": "Challenger",
            "candidate_status_code": "C",
            "election_year": "2026",
        },
    }


def test_senate_at_large_and_configured_election(tmp_path, http_server, cli_run):
    api(
        http_server,
        [
            FecCandidate("S6IL00001", "DOE, JANE", office="S", incumbent="I"),
            FecCandidate("H6AK00001", "ROE, RAY", state="AK", district="00"),
        ],
    )
    election = {"name": "2026 General", "date": "2026-11-03"}
    _, (senate, house) = crawl(
        cli_run, tmp_path, source(http_server, params={"election_year": "2026"}, election=election)
    )
    assert (senate["office"], senate["district"], senate["election_name"]) == (
        "U.S. Senate",
        "IL",
        "2026 General",
    )
    assert senate["extra"]["incumbent_challenge"] == "Incumbent"
    assert house["district"] == "AK-at large"


def test_candidates_not_running_in_the_wanted_year_are_left_out(tmp_path, http_server, cli_run):
    api(
        http_server,
        [FecCandidate("H2IL07001", "OLD, TIMER", years=(2020, 2022)), *field(2)],
    )
    _, records = crawl(cli_run, tmp_path, source(http_server))
    assert [r["external_id"] for r in records] == ["H6IL07000", "H6IL07001"]


def test_seek_paging_sends_last_indexes_back(tmp_path, http_server, cli_run):
    candidates = field(3)

    def reply(request: Any) -> Reply:
        after = request.query.get("last_index", [None])[0]
        start = 0 if after is None else int(after)
        chunk = candidates[start : start + 2]
        more = start + 2 < len(candidates)
        body = {
            "api_version": "1.0",
            "pagination": {
                "count": len(candidates),
                "per_page": 2,
                "last_indexes": {"last_index": str(start + 2)} if more else None,
            },
            "results": [fec_result(c) for c in chunk],
        }
        return Reply(body=json.dumps(body), content_type="application/json")

    http_server.routes["/v1/candidates/"] = reply
    run, records = crawl(cli_run, tmp_path, source(http_server))
    assert run.status == "ok" and len(records) == 3
    pages = [r for r in http_server.requests if r.path == "/v1/candidates/"]
    assert [r.query.get("last_index") for r in pages] == [None, ["2"]]


def test_v0_2_reply_with_nested_elections_and_float_years(tmp_path, http_server, cli_run):
    body = {
        "api_version": "0.2",
        "pagination": {"count": 1, "page": 1, "pages": 1, "per_page": 20},
        "results": [
            {
                "candidate_id": "H2FL03130",
                "name": {"full_name": "DODDS, PHILIP", "name_1": "PHILIP", "name_2": "DODDS"},
                "elections": [
                    {
                        "candidate_status": "C",
                        "candidate_status_full": "candidate",
                        "district": "03",
                        "election_year": 2012.0,
                        "incumbent_challenge": "C",
                        "office_sought": "H",
                        "office_sought_full": "House",
                        "party_affiliation": "Invalid Party Code",
                        "primary_committee": {"committee_id": "C00520551"},
                        "state": "FL",
                    }
                ],
                "mailing_addresses": [{"street_1": "13695 NW 172 AVE", "city": "ALACHUA"}],
            }
        ],
    }
    http_server.routes["/v1/candidates/"] = Reply(
        body=json.dumps(body), content_type="application/json"
    )
    _, (record,) = crawl(cli_run, tmp_path, source(http_server, params={}))
    assert (record["name"], record["office"], record["district"]) == (
        "DODDS, PHILIP",
        "U.S. House",
        "FL-03",
    )
    assert (record["election_date"], record["status"]) == ("2012-11-06", "candidate")
    assert record["committee"] == "C00520551" and record["address"] is None
    assert "13695" not in json.dumps(record)


def test_api_key_comes_from_the_environment(tmp_path, http_server, cli_run):
    api(http_server, field(1))
    config = source(http_server)
    del config["api_key"]
    run, records = crawl(cli_run, tmp_path, config, env={"OPENFEC_API_KEY": "from-env"})
    assert run.status == "ok" and len(records) == 1
    (request,) = [r for r in http_server.requests if r.path == "/v1/candidates/"]
    assert request.query["api_key"] == ["from-env"]


def test_missing_key_fails_without_a_request(tmp_path, http_server, cli_run):
    config = source(http_server)
    del config["api_key"]
    run, _ = crawl(cli_run, tmp_path, config, env={"OPENFEC_API_KEY": ""})
    assert run.status == "failed" and "OPENFEC_API_KEY" in run.error
    assert http_server.requests == []


def test_broken_replies_are_failures_that_never_show_the_key(tmp_path, http_server, cli_run):
    cases = {
        "forbidden": Reply(
            status=403,
            body=json.dumps(
                {"error": {"code": "API_KEY_INVALID", "message": "An invalid api_key"}}
            ),
            content_type="application/json",
        ),
        "server": Reply(status=500, body="Internal Server Error", content_type="text/plain"),
        "garbage": Reply(body="{not json", content_type="application/json"),
        "no-results": Reply(body=json.dumps({"message": "ok"}), content_type="application/json"),
        "truncated": Reply(
            body=fec_page(field(40)), content_type="application/json", truncate=True
        ),
    }
    errors = {}
    for name, reply in cases.items():
        http_server.routes["/v1/candidates/"] = reply
        folder = tmp_path / name
        folder.mkdir()
        run, records = crawl(cli_run, folder, source(http_server))
        assert run.status == "failed" and records == [], name
        assert KEY not in run.error, name
        errors[name] = run.error
    assert "HTTP 403" in errors["forbidden"] and "An invalid api_key" in errors["forbidden"]
    assert "HTTP 500" in errors["server"]
    assert "malformed JSON" in errors["garbage"]
    assert "no results list" in errors["no-results"]


def test_more_pages_than_max_pages_is_suspicious(tmp_path, http_server, cli_run):
    api(http_server, field(250))
    run, records = crawl(cli_run, tmp_path, source(http_server, max_pages=2))
    assert run.status == "suspicious" and "max_pages" in run.error
    assert len(records) == 200
