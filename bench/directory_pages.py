"""Benchmark: reading one 6,000-person directory, ten people a page, at the default max_pages.

A local HTTP server in a separate process serves the directory (600 pages, each linking
the next) as a table or as repeated blocks without classes; the ``html_table`` spider
reads it through ``civicradar check``'s code path (one crawl, nothing stored). Prints the
pages, requests, people read against people served, and wall time per layout.
Run: ``.venv/bin/python bench/directory_pages.py [--people N] [--per-page N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from civicradar.check import check_source
from civicradar.config.schema import Config
from tests.fixtures.staff.layouts import blocks_page, people
from tests.fixtures.staff.pages import directory_page

LAYOUTS = ("table", "blocks")


def page_body(layout: str, staff: list, page: int, per_page: int) -> bytes:
    chunk = staff[(page - 1) * per_page : page * per_page]
    more = page * per_page < len(staff)
    next_url = f"/{layout}?page={page + 1}" if more else None
    if layout == "table":
        return directory_page(chunk, style="first_last", next_url=next_url).encode()
    html = blocks_page(chunk)
    pager = f"<p><a href='{next_url}'>Next page</a></p>" if next_url else ""
    return html.replace("</main>", f"{pager}</main>").encode()


def serve(port_queue: multiprocessing.Queue, count: int, per_page: int) -> None:
    staff = people(count, ["Planning", "Parks", "Finance", "Police", "Fire", "Library"])

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            body = page_body(parts.path.strip("/"), staff, page, per_page)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--per-page", type=int, default=10)
    args = parser.parse_args()
    queue: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=serve, args=(queue, args.people, args.per_page), daemon=True
    )
    server.start()
    port = queue.get(timeout=30)
    try:
        for layout in LAYOUTS:
            config = Config.model_validate(
                {
                    "initiative": {"name": "bench", "terms": ["x"]},
                    "crawling": {"download_delay": 0, "autothrottle": False, "obey_robots": False},
                    "jurisdictions": [
                        {
                            "id": "bench",
                            "name": "Bench City",
                            "sources": [
                                {
                                    "id": layout,
                                    "type": "staff_directory",
                                    "platform": "html_table",
                                    "url": f"http://127.0.0.1:{port}/{layout}",
                                }
                            ],
                        }
                    ],
                }
            )
            started = time.perf_counter()
            report = check_source(config, layout, None, dt.datetime.now(dt.UTC))
            seconds = time.perf_counter() - started
            pages = (report.reading or {}).get("pages")
            print(
                f"{layout:>6}: {args.people:,} people, {args.per_page} a page: read "
                f"{report.records:,} in {pages} pages ({report.requests} requests, "
                f"{report.bytes / 1e6:.1f} MB) in {seconds:.1f} s, status {report.status}"
            )
            for warning in report.warnings:
                print(f"        warning: {warning}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
