"""The same scripted week through every list format (JSON, HTML table, OpenFEC API):
baseline, a filing, a server error, a withdrawal, and the exact changes each day."""

from __future__ import annotations

import pytest

from tests.conftest import Reply
from tests.fixtures.candidates.lists import (
    ELECTION,
    FecCandidate,
    Filer,
    candidates_html,
    candidates_json,
    fec_page,
    slate,
)
from tests.monitors.test_candidates_days import FilingList, kinds

NEW = Filer("Nora", "Quist", "Alderman", district="Ward 3", email="nora@quist.org")


def _json(server, filers):
    server.routes["/list"] = Reply(body=candidates_json(filers), content_type="application/json")


def _html(server, filers):
    server.routes["/list"] = Reply(body=candidates_html(filers))


def _fec(server, filers):
    people = [
        FecCandidate(
            f"H6IL07{n:03d}",
            f"{f.last.upper()}, {f.first.upper()}",
            status="C" if f.status != "Withdrawn" else "P",
        )
        for n, f in enumerate(filers)
    ]

    def reply(request):
        page = int(request.query.get("page", ["1"])[0])
        return Reply(body=fec_page(people, page, 100), content_type="application/json")

    server.routes["/v1/candidates/"] = reply


FORMATS = {
    "json": ({"platform": "json", "url": "{url}/list", "election": ELECTION}, _json),
    "html_table": ({"platform": "html_table", "url": "{url}/list", "election": ELECTION}, _html),
    "openfec": (
        {
            "platform": "openfec",
            "base_url": "{url}/v1",
            "api_key": "k",
            "params": {"election_year": "2026"},
            "url": None,
            "election": None,
        },
        _fec,
    ),
}


@pytest.mark.parametrize("platform", list(FORMATS))
def test_a_week_of_filings(platform, tmp_path, http_server, cli_run):
    settings, serve = FORMATS[platform]
    source = {
        k: v.format(url=http_server.url) if isinstance(v, str) else v for k, v in settings.items()
    }
    filings = FilingList(tmp_path, http_server, cli_run, **source)
    field = slate(10)
    serve(http_server, field)
    assert filings.day("2026-06-01") == []
    serve(http_server, [*field, NEW])
    (new,) = filings.day("2026-06-02")
    assert new["kind"] == "new_candidate"
    name = "Nora Quist"
    assert new["data"]["name"] == name
    if platform == "openfec":
        assert (new["data"]["office"], new["data"]["district"]) == ("U.S. House", "IL-07")
        assert new["data"]["election_date"] == "2026-11-03"
    else:
        assert (new["data"]["office"], new["data"]["district"]) == ("Alderman", "Ward 3")
        assert new["data"]["election_date"] == "2027-04-06"
    http_server.routes.pop("/list", None)
    http_server.routes.pop("/v1/candidates/", None)
    assert kinds(filings.day("2026-06-03")) == [("source_problem", "failed")]
    serve(http_server, [*field, NEW])
    assert [c["kind"] for c in filings.day("2026-06-04")] in ([], ["source_problem"])
    serve(http_server, [*field[1:], NEW])
    assert filings.day("2026-06-05") == []
    (gone,) = filings.day("2026-06-06")
    assert (gone["kind"], gone["data"]["what"]) == ("candidate_update", "withdrew")
    assert gone["data"]["name"] == field[0].name()
