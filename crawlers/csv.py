"""``platform: csv`` — open-data exports (Socrata and the like) for staff and candidates.

A file that ends mid-row (no final newline, a last row shorter than the header) was cut
off where it was written and fails the run (``crawlers/truncation.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from civicradar.crawlers.table_records import TableSpider
from civicradar.crawlers.tabular import csv_rows, decode
from civicradar.crawlers.truncation import csv_cut_short
from civicradar.models.records import ProblemRecord, Record


class CsvSpider(TableSpider):
    async def start(self) -> AsyncIterator[Any]:
        yield self.conditional_request(self.parse)

    def parse(self, response: Any) -> Iterator[Record]:
        if self.not_modified(response):
            return
        self.remember_validators(response)
        if not response.body.strip():
            yield ProblemRecord(detail=f"empty response from {response.url}", url=response.url)
            return
        text = decode(response.body, _charset(response))
        cut = csv_cut_short(text)
        if cut:
            yield ProblemRecord(detail=f"{response.url}: {cut}", url=response.url)
            return
        headers, rows = csv_rows(text)
        yield from self.emit_rows(headers, rows, response.url)


def _charset(response: Any) -> str | None:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if "charset=" in content_type:
        return content_type.split("charset=", 1)[1].split(";")[0].strip()
    return None
