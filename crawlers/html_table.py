"""``platform: html_table`` — any page with a table of people or candidates, paginated or not.

The widest recognisable table on the page is read; pagination links are followed.
Staff pages get extra care: an email column takes the ``mailto:`` address even when the
link reads "Email" or a name, a one-cell row names the department of the rows below it,
a row without a name continues the person above it, and a page of people cards (no
usable table) is read as a list (``crawlers/html_cards.py``). A page that ends before
``</html>`` or inside its last table was cut off and fails the run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from civicradar.crawlers.html_cards import people_cards
from civicradar.crawlers.table_records import TableSpider, column_problem
from civicradar.crawlers.tabular import ColumnMap, HtmlCell, html_tables, map_columns
from civicradar.crawlers.truncation import html_cut_short
from civicradar.models.records import ProblemRecord

LINKED_EMAIL = "Email (link)"
SECTION = "Department (section)"


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
        staff = self.source.type == "staff_directory"
        best = self._best_table(response)
        if best is None and staff:
            people = list(people_cards(response))
            if people:
                yield from people
                yield from self._next_page(response, page)
                return
        if best is None:
            yield ProblemRecord(
                severity="suspicious", detail=f"no table found on {response.url}", url=response.url
            )
            return
        headers, cells, columns = best
        headers, rows = _flatten(headers, cells, columns, staff)
        yield from self.emit_rows(headers, rows, response.url)
        yield from self._next_page(response, page)

    def _best_table(
        self, response: Any
    ) -> tuple[list[str], list[dict[str, HtmlCell]], ColumnMap] | None:
        """The table whose headers place the most fields (ties: more rows), if any is usable."""
        scored = []
        for headers, cells in html_tables(response.selector):
            columns = map_columns(headers, self.source.type, self.source.fields)
            score = len(columns.columns) + min(len(cells), 1000) / 10000
            scored.append((score, headers, cells, columns))
        if not scored:
            return None
        usable = [s for s in scored if column_problem(self.source.type, s[3]) is None]
        _, headers, cells, columns = max(usable or scored, key=lambda s: s[0])
        if not usable and self.source.type == "staff_directory" and people_cards(response):
            return None
        return headers, cells, columns

    def _next_page(self, response: Any, page: int) -> Iterator[Any]:
        next_page = _next_link(response)
        if not next_page or next_page in self.visited:
            return
        self.another_page()  # followed or not, a page-1 304 would not vouch for it
        if page < self.source.max_pages:
            self.visited.add(next_page)
            yield self.request(next_page, self.parse, cb_kwargs={"page": page + 1})


def _flatten(
    headers: list[str], cells: list[dict[str, HtmlCell]], columns: ColumnMap, staff: bool
) -> tuple[list[str], list[dict[str, str]]]:
    """Cells to text rows: mailto addresses for email, sections and continuation rows merged."""
    email_column = columns.columns.get("email")
    name_columns = [columns.columns.get(k) for k in ("name", "first_name", "last_name")]
    name_columns = [c for c in name_columns if c]
    link_columns = {columns.columns.get(k) for k in ("url", "website")} - {None}
    add_email = email_column is None
    add_section = staff and "department" not in columns.columns
    rows: list[dict[str, str]] = []
    section: str | None = None
    for row in cells:
        filled = [cell for cell in row.values() if cell.text or cell.emails]
        if staff and _is_section(row, filled, name_columns, len(headers)):
            section = filled[0].text
            continue
        flat = {
            header: _flat(cell, header, email_column, link_columns) for header, cell in row.items()
        }
        mailtos = [email for cell in row.values() for email in cell.emails]
        if add_email and mailtos:
            flat[LINKED_EMAIL] = mailtos[0]
        if add_section and section:
            flat[SECTION] = section
        if staff and rows and name_columns and not any(flat.get(c) for c in name_columns):
            _continue(rows[-1], flat)
            continue
        rows.append(flat)
    extra = [h for h in (LINKED_EMAIL, SECTION) if any(h in r for r in rows)]
    return headers + extra, rows


def _is_section(
    row: dict[str, HtmlCell], filled: list[HtmlCell], name_columns: list[str], width: int
) -> bool:
    """A lone cell spanning the row (or first, outside the name columns) heads a department."""
    if len(filled) != 1 or width < 2 or filled[0].emails:
        return False
    first = next(iter(row.values()))
    return len(row) == 1 or (
        first is filled[0] and not any(row.get(c) is first for c in name_columns)
    )


def _continue(previous: dict[str, str], row: dict[str, str]) -> None:
    """A row without a name carries more of the person above (a second line of cells)."""
    for header, value in row.items():
        if value and not previous.get(header):
            previous[header] = value


def _flat(cell: HtmlCell, header: str, email_column: str | None, link_columns: set) -> str:
    """A cell's value: the mailto address in the email column, the href in a link column
    (link text is often shortened), else the text."""
    if cell.emails and (header == email_column or not cell.text):
        return cell.emails[0]
    if header in link_columns and cell.links:
        return cell.links[0]
    return cell.text


def _next_link(response: Any) -> str | None:
    href = response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').get()
    if not href:
        for link in response.css("a"):
            label = " ".join(link.css("::text").getall()).strip().lower()
            if label in ("next", "next ›", "next »", "›", "»", "next page", "next >", ">"):
                href = link.attrib.get("href")
                break
    if not href or href.startswith(("javascript:", "#")):
        return None
    return response.urljoin(href)
