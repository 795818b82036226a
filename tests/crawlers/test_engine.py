"""The crawl engine: many crawls in one process, costs counted, failures recorded per source."""

from __future__ import annotations

import json

from sqlalchemy import select

from civicradar.models.store import Store
from civicradar.models.tables import Change, CrawlRun
from tests.conftest import Reply, write_config

STAFF_CSV = (
    "Name,Title,Department,Email\n"
    "Ana Ruiz,Planner,Planning,ana@city.test\n"
    "Bo Li,Clerk,Clerk,bo@city.test\n"
)


def _config(tmp_path, server, path="/staff.csv"):
    return write_config(
        tmp_path,
        {
            "jurisdictions": [
                {
                    "id": "testville",
                    "name": "Testville",
                    "timezone": "America/Chicago",
                    "sources": [
                        {
                            "id": "staff",
                            "type": "staff_directory",
                            "platform": "csv",
                            "url": f"{server.url}{path}",
                        }
                    ],
                }
            ],
        },
    )


def _runs(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'civicradar.db'}")
    with store.session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def test_crawl_records_a_run_with_requests_bytes_and_records(tmp_path, http_server, cli_run):
    http_server.routes["/staff.csv"] = Reply(body=STAFF_CSV, content_type="text/csv")
    config = _config(tmp_path, http_server)
    result = cli_run("--config", config, "crawl", now="2026-03-02")
    assert result.exit_code == 0, result.output
    assert "testville/staff: ok, 2 records" in result.output
    (run,) = _runs(tmp_path)
    assert run.status == "ok"
    assert run.records == 2
    assert run.requests == 2  # robots.txt and the list
    assert run.bytes >= len(STAFF_CSV)
    assert http_server.requests[-1].headers["user-agent"].startswith("CivicRadar/")


def test_crawling_twice_in_one_process_works(tmp_path, http_server, cli_run):
    http_server.routes["/staff.csv"] = Reply(body=STAFF_CSV, content_type="text/csv")
    config = _config(tmp_path, http_server)
    assert cli_run("--config", config, "crawl", now="2026-03-02").exit_code == 0
    assert cli_run("--config", config, "crawl", now="2026-03-03").exit_code == 0
    assert [r.status for r in _runs(tmp_path)] == ["ok", "ok"]


def test_http_500_is_a_failed_run_and_one_source_problem(tmp_path, http_server, cli_run):
    http_server.routes["/staff.csv"] = Reply(status=500, body="oops")
    config = _config(tmp_path, http_server)
    for day in ("2026-03-02", "2026-03-03"):
        result = cli_run("--config", config, "crawl", now=day)
        assert result.exit_code == 0
        assert "failed" in result.output and "HTTP 500" in result.output
        assert cli_run("--config", config, "detect", now=day).exit_code == 0
    listed = json.loads(cli_run("--config", config, "changes", "--format", "json").output)
    assert [c["kind"] for c in listed] == ["source_problem"]
    assert listed[0]["data"]["status"] == "failed"
    assert "HTTP 500" in listed[0]["data"]["detail"]


def test_unreachable_host_is_a_failed_run(tmp_path, http_server, cli_run):
    config = write_config(
        tmp_path,
        {
            "jurisdictions": [
                {
                    "id": "t",
                    "name": "T",
                    "sources": [
                        {
                            "id": "staff",
                            "type": "staff_directory",
                            "platform": "csv",
                            "url": "http://127.0.0.1:9/staff.csv",
                        }
                    ],
                }
            ],
        },
    )
    result = cli_run("--config", config, "crawl", now="2026-03-02")
    assert result.exit_code == 0
    (run,) = _runs(tmp_path)
    assert run.status == "failed"
    assert "127.0.0.1:9" in run.error


def test_truncated_response_is_a_failed_run(tmp_path, http_server, cli_run):
    http_server.routes["/staff.csv"] = Reply(
        body=STAFF_CSV * 50, content_type="text/csv", truncate=True
    )
    config = _config(tmp_path, http_server)
    cli_run("--config", config, "crawl", now="2026-03-02")
    (run,) = _runs(tmp_path)
    assert run.status == "failed"


def test_detect_twice_finds_nothing_new(tmp_path, http_server, cli_run):
    http_server.routes["/staff.csv"] = Reply(status=503, body="down")
    config = _config(tmp_path, http_server)
    cli_run("--config", config, "crawl", now="2026-03-02")
    assert "1 source_problem" in cli_run("--config", config, "detect", now="2026-03-02").output
    assert "nothing new" in cli_run("--config", config, "detect", now="2026-03-02").output
    store = Store(f"sqlite:///{tmp_path / 'civicradar.db'}")
    with store.session() as session:
        assert len(list(session.scalars(select(Change)))) == 1


def test_an_exception_in_a_spider_callback_fails_the_run(http_server, monkeypatch):
    """A page that breaks the parser is a failed run, never a quiet empty one."""
    import datetime as dt

    from civicradar.config.schema import Crawling, Detection, Jurisdiction, Source
    from civicradar.crawlers import engine
    from civicradar.crawlers.base import CrawlJob, SourceSpider

    class Brittle(SourceSpider):
        async def start(self):
            yield self.request(self.source.url, self.parse_page)

        def parse_page(self, response):
            raise KeyError("a field the layout no longer has")
            yield  # a generator, like every spider callback

    monkeypatch.setattr(engine, "spider_for_source", lambda source: Brittle)
    http_server.routes["/staff.csv"] = Reply(body=STAFF_CSV, content_type="text/csv")
    source = Source(
        id="staff", type="staff_directory", platform="csv", url=http_server.url + "/staff.csv"
    )
    job = CrawlJob(
        jurisdiction=Jurisdiction(id="testville", name="Testville", sources=[source]),
        source=source,
        detection=Detection(),
        now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    (outcome,) = engine.crawl([job], Crawling(obey_robots=False, retries=0))
    assert outcome.failures == [
        f"error parsing {http_server.url}/staff.csv: 'a field the layout no longer has'"
    ]
