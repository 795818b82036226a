"""Benchmark: what a first and an unchanged crawl of each new agenda platform cost, on the
real captures of ../shared/corpus served at their real paths on 127.0.0.1.

For each source the pipeline crawls and detects twice (the second day nothing changed)
and prints meetings stored against the captured facts, and requests and bytes per crawl.
The export, calendar and feed answer conditional requests with an ETag, as files on a
web server do; ASP.NET pages (iQM2, NovusAGENDA) answer without validators. iQM2 detail
pages are not in the corpus: they are made from the project's fixture with each row's
date so the cost of asking them is real.

    .venv/bin/python bench/agenda_platforms.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from civicradar.config import load_config
from civicradar.models.store import Store
from civicradar.monitors.detect import detect
from civicradar.pipeline import crawl_step

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "agendas"
FIXTURES = ROOT / "tests" / "fixtures"
Route = Callable[[dict[str, list[str]], dict[str, str]], tuple[int, bytes, dict[str, str]]]


def static(body: bytes, content_type: str, *, etag: bool) -> Route:
    tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

    def reply(query, headers):
        if etag and headers.get("if-none-match") == tag:
            return 304, b"", {"ETag": tag}
        return 200, body, {"Content-Type": content_type, **({"ETag": tag} if etag else {})}

    return reply


class Server:
    def __init__(self, routes: dict[str, Route]) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                route = routes.get(parts.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if length := int(self.headers.get("Content-Length") or 0):
                    self.rfile.read(length)
                status, body, extra = (
                    route(parse_qs(parts.query), headers) if route else (404, b"", {})
                )
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


def iqm2_details(calendar: bytes) -> Route:
    """Detail pages for every row of a calendar, each with its own date."""
    when = {
        meeting: (day + b" " + (clock or b"12:00 AM")).decode()
        for meeting, day, clock in re.findall(
            rb'Detail_Meeting\.aspx\?ID=(\d+)"[^>]*>\s*'
            rb"([A-Z][a-z]{2} \d{1,2}, \d{4})\s*([\d:]+ [AP]M)?",
            calendar,
        )
    }
    template = (FIXTURES / "iqm2" / "Detail_Meeting.html").read_text(encoding="utf-8")

    def reply(query, headers):
        meeting = query["ID"][0]
        stamp = dt.datetime.strptime(when[meeting.encode()], "%b %d, %Y %I:%M %p")
        page = template
        for key, value in {
            "{id}": meeting,
            "{board}": "Board",
            "{when}": stamp.strftime("%m/%d/%Y %I:%M %p"),
            "{agenda}": meeting,
            "{item}": "Report",
            "{title}": "Meeting",
            "{status}": "",
        }.items():
            page = page.replace(key, value)
        return 200, page.encode(), {"Content-Type": "text/html; charset=utf-8"}

    return reply


def scenarios() -> list[dict]:
    def corpus(path: str) -> bytes:
        return (CORPUS / path).read_bytes()

    xml, html, cal = "text/xml; charset=UTF-8", "text/html; charset=utf-8", "text/calendar"
    grand_rapids = corpus("iqm2/grandrapidscitymi-calendar-list.html")
    return [
        {
            "name": "boarddocs akron",
            "routes": {
                "/oh/akron/Board.nsf/XML-ActiveMeetings": static(
                    corpus("boarddocs/akron-XML-ActiveMeetings.xml"), xml, etag=True
                )
            },
            "path": "/oh/akron/Board.nsf",
            "platform": "boarddocs",
            "zone": "America/New_York",
            "day": "2019-09-27",
            "expected": "21 <meeting>s = 6 meetings + 15 yearly archive folders",
        },
        {
            "name": "boarddocs ctpf",
            "routes": {
                "/il/ctpf/Board.nsf/XML-ActiveMeetings": static(
                    corpus("boarddocs/chicago-teachers-pension-boarddocs.xml"), xml, etag=True
                )
            },
            "path": "/il/ctpf/Board.nsf",
            "platform": "boarddocs",
            "zone": "America/Chicago",
            "day": "2019-04-15",
            "expected": "28 meetings",
        },
        {
            "name": "iqm2 grand rapids",
            "routes": {
                "/Citizens/calendar.aspx": static(grand_rapids, html, etag=False),
                "/Citizens/Detail_Meeting.aspx": iqm2_details(grand_rapids),
            },
            "path": "/Citizens/calendar.aspx",
            "platform": "iqm2",
            "zone": "America/Detroit",
            "day": "2023-06-30",
            "expected": "329 rows (35 cancelled)",
        },
        {
            "name": "novusagenda dinuba",
            "routes": {
                "/agendapublic/meetingsgeneral.aspx": static(
                    corpus("novusagenda/dinuba-meetingsgeneral.html"), html, etag=False
                )
            },
            "path": "/agendapublic/meetingsgeneral.aspx?MeetingType=1",
            "platform": "novusagenda",
            "zone": "America/Los_Angeles",
            "day": "2022-10-01",
            "expected": "4 meetings",
        },
        {
            "name": "ics chicago lihtf",
            "routes": {
                "/events/ical/": static(
                    corpus("ics/chicago-low-income-housing-trust-fund.ics"), cal, etag=True
                )
            },
            "path": "/events/ical/",
            "platform": "ics",
            "zone": "America/Chicago",
            "day": "2024-05-07",
            "expected": "30 events",
        },
    ]


def run(scenario: dict, folder: Path) -> None:
    server = Server(scenario["routes"])
    config_path = folder / "civicradar.yaml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "database": f"sqlite:///{folder / 'bench.db'}",
                "initiative": {"name": "Early Learning", "terms": ["child care", "pre-k"]},
                "crawling": {"download_delay": 0, "autothrottle": False, "obey_robots": False},
                "jurisdictions": [
                    {
                        "id": "bench",
                        "name": "Bench",
                        "timezone": scenario["zone"],
                        "sources": [
                            {
                                "id": "meetings",
                                "type": "agendas",
                                "platform": scenario["platform"],
                                "url": server.url + scenario["path"],
                                "days_back": 3650,
                                "days_ahead": 365,
                                "fetch_documents": False,
                            }
                        ],
                    }
                ],
            }
        )
    )
    config = load_config(config_path)
    store = Store(config.database)
    costs = []
    for offset in (0, 1):
        now = dt.datetime.fromisoformat(scenario["day"]).replace(
            hour=12, tzinfo=dt.UTC
        ) + dt.timedelta(days=offset)
        summary = crawl_step(store, config, now)
        detect(store, config, now)
        (report,) = summary.reports
        costs.append(f"{report.requests:>4} req {report.bytes:>9,} B ({report.status})")
    from sqlalchemy import func, select

    from civicradar.models.tables import Meeting

    with store.session() as session:
        stored = session.scalar(select(func.count()).select_from(Meeting))
    print(
        f"{scenario['name']:<20} {stored:>4} stored / {scenario['expected']:<46}"
        f" first {costs[0]}   unchanged {costs[1]}"
    )
    server.httpd.shutdown()


def main() -> None:
    if not CORPUS.is_dir():
        raise SystemExit(f"no corpus at {CORPUS}")
    for scenario in scenarios():
        with tempfile.TemporaryDirectory(prefix="civicradar-bench-") as folder:
            run(scenario, Path(folder))


if __name__ == "__main__":
    main()
