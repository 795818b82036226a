"""``platform: html_table`` — any page listing people or candidates, paginated or not.

A page is read with the source's CSS ``selectors`` when it gives them
(``crawlers/css_records.py``); otherwise from the table (or same-headed tables) whose
headers place the most fields (``crawlers/page_tables.py``), and for staff pages without
such a table from repeated blocks of people — cards, list items, ``dl`` lists, a heading
per person (``crawlers/person_blocks.py``). "Next" links are followed up to
``max_pages``; a next page left unread makes the run suspicious, since an incomplete list
would report everyone past the cut as gone. A page that ends before ``</html>`` or inside
its last table was cut off and fails the run.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from civicradar.crawlers.columns import ColumnMap
from civicradar.crawlers.css_records import next_page_link, selected_rows
from civicradar.crawlers.page_tables import PageTables, page_tables
from civicradar.crawlers.person_blocks import describe_page, people_blocks
from civicradar.crawlers.reading import Reading
from civicradar.crawlers.table_records import TableSpider, column_problem
from civicradar.crawlers.truncation import html_cut_short
from civicradar.models.records import ProblemRecord

NEXT_LABELS = {"next", "next ›", "next »", "›", "»", "next page", "next >", ">", "next page »"}
PAGE_PARAMETER = re.compile(r"page|[?&](p|pg|start|offset)=", re.I)


class HtmlTableSpider(TableSpider):
    async def start(self) -> AsyncIterator[Any]:
        self.visited: set[str] = {self.source.url}
        yield self.conditional_request(self.parse, cb_kwargs={"page": 1})

    def parse(self, response: Any, page: int) -> Iterator[Any]:
        if page == 1 and self.not_modified(response):
            return
        if page == 1:
            self.remember_validators(response)
        if not response.body.strip():
            yield ProblemRecord(detail=f"empty response from {response.url}", url=response.url)
            return
        cut = html_cut_short(response.body)
        if cut:  # a cut page lists its last person wrong or not at all
            yield ProblemRecord(detail=f"{response.url}: {cut}", url=response.url)
            return
        yield from self.read_page(response)
        yield from self._next_page(response, page)

    def read_page(self, response: Any) -> Iterator[Any]:
        """The records of one page, or a problem saying what the page held instead."""
        found, tables = self.usable_records(response)
        if found is not None:
            yield from found
        else:
            yield self.nothing_found(response, tables)

    def usable_records(
        self, response: Any, *, label_one: bool = False
    ) -> tuple[Iterator[Any] | None, PageTables | None]:
        """(records by selectors, else a usable table, else blocks of people — or None;
        the page's best table). ``label_one``: a lone table takes the heading above it as
        its department (a department's own page)."""
        selectors = self.source.selectors
        url = response.url
        if selectors:
            rows = [_absolute(response, row) for row in selected_rows(response.selector, selectors)]
            fields = [k for k in selectors if k not in ("record", "next_page")]
            reading = Reading("selectors", fields={k: selectors[k] for k in fields})
            reading.record = selectors["record"]
            return self.emit_rows(fields, rows, url, _identity(fields), reading), None
        tables = page_tables(
            response.selector,
            self.source.type,
            self.source.fields,
            response.urljoin,
            label_one=label_one,
        )
        if tables is not None and tables.usable:
            columns = tables.columns
            reading = Reading("columns", fields=dict(columns.columns), unused=columns.unused())
            reading.rows = reading.empty["name"] = tables.continued  # nameless rows count
            return self.emit_rows(tables.headers, tables.rows, url, columns, reading), tables
        staff = self.source.type == "staff_directory"
        layout = people_blocks(response.selector) if staff else None
        if layout is None:
            return None, tables
        rows = [_absolute(response, person) for person in layout.people]
        fields = list(dict.fromkeys(k for person in rows for k in person))
        reading = Reading("blocks", fields=layout.how, record=layout.record)
        return self.emit_rows(fields, rows, url, _identity(fields), reading), tables

    def nothing_found(self, response: Any, tables: PageTables | None = None) -> ProblemRecord:
        """No usable table and no repeated blocks: a suspicious run that says what the
        page holds instead (and why its best table did not do)."""
        found = describe_page(response.selector)
        what = "people" if self.source.type == "staff_directory" else "candidates"
        reading = Reading("none", found_instead=found)
        detail = f"no table or repeated blocks of {what} found on {response.url}"
        if tables is not None:
            columns = tables.columns
            reading = Reading("columns", fields=dict(columns.columns), unused=columns.unused())
            reading.found_instead = found
            detail = f"{response.url}: {column_problem(self.source.type, columns)}"
            if self.source.type == "staff_directory":
                detail += ", and no repeated blocks of people"
        self.read_as(reading)
        return ProblemRecord(
            severity="suspicious", detail=f"{detail} (the page has {found})", url=response.url
        )

    def _next_page(self, response: Any, page: int) -> Iterator[Any]:
        next_page = self._next_link(response, page)
        if not next_page or next_page in self.visited:
            return
        self.another_page()  # followed or not, a page-1 304 would not vouch for it
        if page >= self.source.max_pages:
            yield ProblemRecord(
                severity="suspicious",
                detail=f"stopped at max_pages ({self.source.max_pages}) while {response.url} "
                f"links a next page ({next_page}): the list is incomplete, so nobody past the "
                "cut is reported gone; raise max_pages for this source",
                url=response.url,
            )
            return
        self.visited.add(next_page)
        yield self.request(next_page, self.parse, cb_kwargs={"page": page + 1})

    def _next_link(self, response: Any, page: int) -> str | None:
        query = (self.source.selectors or {}).get("next_page")
        href = next_page_link(response.selector, query) if query else _next_href(response, page)
        if not href or href.startswith(("javascript:", "#")):
            return None
        return response.urljoin(href)


def _next_href(response: Any, page: int) -> str | None:
    """A rel=next link, a link reading "Next" (or », ›), or the link numbered page+1 that
    points at a page parameter."""
    href = response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').get()
    if href:
        return href
    numbered = None
    for link in response.css("a"):
        label = " ".join(" ".join(link.css("::text").getall()).split()).lower()
        target = link.attrib.get("href")
        if label in NEXT_LABELS:
            return target
        if numbered is None and label == str(page + 1) and PAGE_PARAMETER.search(target or ""):
            numbered = target
    return numbered


def _identity(fields: list[str]) -> ColumnMap:
    """Rows already keyed by field name (selectors, blocks) map each field to itself."""
    return ColumnMap(columns={k: k for k in fields}, headers=tuple(fields))


def _absolute(response: Any, row: dict[str, str]) -> dict[str, str]:
    """Profile and campaign links as absolute addresses."""
    for key in ("url", "website"):
        if row.get(key) and not row[key].lower().startswith(("mailto:", "tel:")):
            row[key] = response.urljoin(row[key])
    return row
