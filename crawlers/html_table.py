"""``platform: html_table`` — any page with a table of people or candidates, paginated or not."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from civicradar.crawlers.table_records import TableSpider
from civicradar.crawlers.tabular import HtmlCell, html_tables, map_columns
from civicradar.models.records import ProblemRecord


class HtmlTableSpider(TableSpider):
    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.source.url, self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Any, page: int) -> Iterator[Any]:
        if not response.body.strip():
            yield ProblemRecord(detail=f"empty response from {response.url}", url=response.url)
            return
        tables = html_tables(response.selector)
        best = max(
            tables,
            key=lambda t: (
                len(map_columns(t[0], self.source.type, self.source.fields).columns)
                + min(len(t[1]), 1000) / 10000
            ),
            default=None,
        )
        if best is None:
            yield ProblemRecord(
                severity="suspicious", detail=f"no table found on {response.url}", url=response.url
            )
            return
        headers, cells = best
        rows = [{header: _flat(cell) for header, cell in row.items()} for row in cells]
        yield from self.emit_rows(headers, rows, response.url)
        next_page = _next_link(response)
        if next_page and page < self.source.max_pages:
            yield self.request(next_page, self.parse, cb_kwargs={"page": page + 1})


def _flat(cell: HtmlCell) -> str:
    return cell.emails[0] if not cell.text and cell.emails else cell.text


def _next_link(response: Any) -> str | None:
    href = response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').get()
    if not href:
        for link in response.css("a"):
            label = " ".join(link.css("::text").getall()).strip().lower()
            if label in ("next", "next ›", "next »", "›", "»", "next page"):
                href = link.attrib.get("href")
                break
    if not href or href.startswith("javascript:"):
        return None
    return response.urljoin(href)
