"""Benchmark: agenda document text extraction speed, and what conditional requests save.

1. Pages per second of text extraction (pypdf + tidying) and of item splitting, over
   generated agendas (reportlab, a dev dependency; flat, and with "6." / "6.A. 26-0601"
   sub-items) and the corpus PDFs when present.
2. A Legistar cycle with documents: a local Legistar API whose events link generated
   agenda PDFs on a local file server with ETags; crawl + detect on day 1, then on an
   unchanged day 2. Prints requests and bytes of both days and what day 2 saved.

    .venv/bin/python bench/pdf_extraction.py [--documents 40] [--pages 12] [--events 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from civicradar.config import load_config
from civicradar.crawlers.agenda_split import split_items
from civicradar.crawlers.pdf_text import extract_pdf
from civicradar.models.store import Store
from civicradar.monitors.detect import detect
from civicradar.pipeline import crawl_step
from civicradar.sample.legistar_api import ClientData, LegistarServer

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "agendas" / "pdf"
TODAY = dt.date(2026, 3, 2)
TITLES = (
    "Approval of the minutes of the previous regular meeting",
    "Ordinance amending the zoning code to allow accessory dwelling units in residential "
    "districts, with parking",
    "Contract with Acme Paving for the street resurfacing program, phase {n}",
    "Resolution supporting child care workforce grants for licensed providers",
    "Public hearing on the proposed budget amendment for fiscal year 2027",
    "Appointment of members to the library board and the parks advisory commission",
)


def agenda_pdf(pages: int, seed: int, *, sections: bool = False) -> bytes:
    """An agenda of ``pages`` pages with a running header and wrapped, numbered items; with
    ``sections``, each number heads lettered sub-items with file numbers ("6.A. 26-0601 …")."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter, invariant=1)
    number = 1
    for page in range(pages):
        y = 740
        for line in ("City of Benchville — City Council", f"Agenda {seed}, page {page + 1}"):
            pdf.drawString(72, y, line)
            y -= 14
        y -= 14
        while y > 90:
            title = TITLES[(number + seed) % len(TITLES)].format(n=number)
            if sections:
                pdf.drawString(72, y, f"{number}. {SECTIONS[(number + seed) % len(SECTIONS)]}")
                y -= 14
                for sub in "AB":
                    marker = f"{number}.{sub}. 26-{number:03d}{ord(sub) - 64}"
                    y = _draw_item(pdf, y, marker, title)
            else:
                y = _draw_item(pdf, y, f"{number}.", title)
            number += 1
        pdf.showPage()
    pdf.save()
    return out.getvalue()


SECTIONS = ("CONSENT CALENDAR", "PUBLIC HEARINGS AND NEW BUSINESS", "ORDINANCES AND RESOLUTIONS")


def _draw_item(pdf: canvas.Canvas, y: float, marker: str, title: str) -> float:
    """A numbered title wrapped at 80 characters and a line of text; the next line's y."""
    line = marker
    for word in title.split():
        if len(line) + len(word) > 80:
            pdf.drawString(72, y, line)
            y, line = y - 14, ""
        line = f"{line} {word}".strip()
    pdf.drawString(72, y, line)
    pdf.drawString(90, y - 14, "Staff report and recommendation attached.")
    return y - 42


def extraction_speed(files: list[bytes], label: str, repeat: int = 1) -> None:
    """Pages per second extracted (wall clock), and split into items (CPU time of this
    process, best of five: the machine is shared, and splitting takes milliseconds)."""
    pages = 0
    started = time.perf_counter()
    texts = []
    for _ in range(repeat):
        for data in files:
            text = extract_pdf(data)
            pages += text.page_count
            texts.append(text)
    extracted = time.perf_counter() - started
    split = float("inf")
    for _ in range(5):
        started = time.process_time()
        items = [item for t in texts for item in split_items(t.pages)]
        split = min(split, time.process_time() - started)
    with_matter = sum(1 for i in items if i.matter_file)
    in_section = sum(1 for i in items if i.section)
    print(
        f"{label}: {pages} pages in {extracted:.2f} s = {pages / extracted:,.0f} pages/s "
        f"extracted; split into {len(items)} items ({with_matter} with a file number, "
        f"{in_section} in a section) at {pages / max(split, 1e-9):,.0f} pages/s"
    )


class _Files(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        not_modified = self.headers.get("If-None-Match") == tag
        self.send_response(304 if not_modified else 200)
        self.send_header("ETag", tag)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", "0" if not_modified else str(len(body)))
        self.end_headers()
        if not not_modified:
            self.wfile.write(body)


def legistar_cycle(events: int, pages: int) -> None:
    files = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    threading.Thread(target=files.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{files.server_address[1]}"
    data = ClientData(bodies=[{"BodyId": 1, "BodyName": "City Council"}])
    for e in range(events):
        path = f"/agendas/{e + 1}.pdf"
        _Files.files[path] = agenda_pdf(pages, e)
        day = TODAY + dt.timedelta(days=-20 + e % 50)
        data.events.append(
            {
                "EventId": e + 1,
                "EventBodyId": 1,
                "EventBodyName": "City Council",
                "EventDate": f"{day.isoformat()}T00:00:00",
                "EventTime": "6:00 PM",
                "EventAgendaFile": base + path,
                "EventLastModifiedUtc": "2026-02-20T10:00:00",
            }
        )
        data.eventitems.append(
            {
                "EventItemId": e + 1,
                "EventItemEventId": e + 1,
                "EventItemAgendaSequence": 1,
                "EventItemTitle": TITLES[3],
            }
        )
    with LegistarServer({"bench": data}) as api, tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "civicradar.yaml"
        path.write_text(
            yaml.safe_dump(
                {
                    "database": f"sqlite:///{Path(folder) / 'bench.db'}",
                    "initiative": {"name": "Early Learning", "terms": ["child care", "pre-k"]},
                    "crawling": {"download_delay": 0, "autothrottle": False, "retries": 0},
                    "jurisdictions": [
                        {
                            "id": "benchville",
                            "name": "Benchville",
                            "timezone": "America/Chicago",
                            "sources": [
                                {
                                    "id": "council",
                                    "type": "agendas",
                                    "platform": "legistar",
                                    "client": "bench",
                                    "base_url": api.url,
                                }
                            ],
                        }
                    ],
                }
            )
        )
        config = load_config(path)
        store = Store(config.database)
        pdf_bytes = sum(len(b) for b in _Files.files.values())
        print(
            f"legistar cycle: {events} events, each with a {pages}-page agenda PDF "
            f"({pdf_bytes:,} bytes of PDFs)"
        )
        totals = []
        for day in (1, 2):
            now = dt.datetime.combine(TODAY + dt.timedelta(days=day - 1), dt.time(12), dt.UTC)
            started = time.perf_counter()
            crawled = crawl_step(store, config, now)
            found = detect(store, config, now)
            report = crawled.reports[0]
            totals.append(report)
            print(
                f"  day {day}: {report.status}, {report.requests} requests, "
                f"{report.bytes:,} bytes, {report.not_modified} not modified, "
                f"{len(found.changes)} changes, {time.perf_counter() - started:.2f} s"
            )
        saved = totals[0].bytes - totals[1].bytes
        print(
            f"  unchanged day 2 downloads {totals[1].bytes:,} bytes instead of "
            f"{totals[0].bytes:,}: {saved:,} bytes saved ({saved / totals[0].bytes:.1%})"
        )
    files.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--events", type=int, default=60)
    args = parser.parse_args()
    generated = [agenda_pdf(args.pages, seed) for seed in range(args.documents)]
    extraction_speed(generated, f"generated agendas ({args.documents} x {args.pages} pages)")
    nested = [agenda_pdf(args.pages, seed, sections=True) for seed in range(args.documents)]
    extraction_speed(nested, f"generated agendas with sub-items ({args.documents} x {args.pages})")
    corpus = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    if corpus:
        files = [p.read_bytes() for p in corpus]
        extraction_speed(files, f"corpus PDFs ({len(files)} files, x20)", repeat=20)
    else:
        print(f"corpus PDFs: not present at {CORPUS}")
    legistar_cycle(args.events, 3)


if __name__ == "__main__":
    main()
