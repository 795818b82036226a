"""``platform: json`` — JSON lists of staff or candidates (a bare list or one under a key)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

from civicradar.crawlers.table_records import TableSpider
from civicradar.crawlers.tabular import json_rows
from civicradar.models.records import ProblemRecord, Record


class JsonSpider(TableSpider):
    async def start(self) -> AsyncIterator[Any]:
        yield self.conditional_request(self.parse)

    def parse(self, response: Any) -> Iterator[Record]:
        if self.not_modified(response):
            return
        self.remember_validators(response)
        try:
            document = json.loads(response.body)
        except ValueError as exc:
            yield ProblemRecord(
                detail=f"malformed JSON from {response.url}: {exc}", url=response.url
            )
            return
        rows = json_rows(document, self.source.params.get("records_path"))
        headers: list[str] = []
        for row in rows:
            headers.extend(key for key in row if key not in headers)
        for column in self.source.fields.values():
            if column not in headers:
                headers.append(column)
        yield from self.emit_rows(headers, rows, response.url)
