"""``platform: civicplus`` for staff directories — the CivicPlus ``Directory.aspx`` layout.

The configured URL is the directory index (or any department page): every
``Directory.aspx?did=N`` link is a department and all are followed. A department page
holds ``table#cityDirectoryDepartmentDetails_N`` tables under a ``.DirectoryCategoryText
h1`` heading; names read "Last, First", profiles link ``directory.aspx?EID=N``, and the
email is written by an inline script from ``var w = "user"`` and ``var x = "domain"``.
Sites whose directory differs (``table.directoryTable`` with a ``thead``, one table per
department, cards) are read like any page of people (``crawlers/html_table.py``), each
table taking the heading above it as its department.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from parsel import Selector
from pydantic import ValidationError

from civicradar.crawlers.columns import clean_text, normalize_header
from civicradar.crawlers.html_table import HtmlTableSpider
from civicradar.crawlers.reading import Reading
from civicradar.crawlers.tabular import script_email
from civicradar.crawlers.truncation import html_cut_short
from civicradar.models.records import PersonRecord, ProblemRecord

DEPARTMENT_TABLE = "table[id^=cityDirectoryDepartmentDetails]"
HEADER_FIELDS = {
    "name": "name",
    "title": "title",
    "position": "title",
    "email": "email",
    "phone": "phone",
    "department": "department",
}


class CivicPlusDirectorySpider(HtmlTableSpider):
    async def start(self) -> AsyncIterator[Any]:
        self.departments: set[str] = set()
        yield self.conditional_request(self.parse, cb_kwargs={"first": True})

    def parse(self, response: Any, first: bool = False) -> Iterator[Any]:  # type: ignore[override]
        """Read the people on this page (if it is a department) and follow every department.
        Only a directory of one page (a department page linking no other) is conditional."""
        if first and self.not_modified(response):
            return
        if first:
            self.remember_validators(response)
        if not response.body.strip():
            yield ProblemRecord(detail=f"empty response from {response.url}", url=response.url)
            return
        cut = html_cut_short(response.body)
        if cut:  # its last department table would be read short
            yield ProblemRecord(detail=f"{response.url}: {cut}", url=response.url)
            return
        own = _department_id(response.url)
        if own:
            self.departments.add(own)
        tables = response.css(DEPARTMENT_TABLE)
        links = self._department_links(response)
        if tables:
            yield from self._people(response, tables)
        else:  # another CivicPlus layout: any table or blocks of people on the page
            found, _ = self.usable_records(response, label_one=True)
            if found is not None:
                yield from found
            elif not links and not self.departments - {own}:
                yield self.nothing_found(response)
        for department_id, url in links:
            if department_id not in self.departments:
                self.departments.add(department_id)
                self.another_page()
                yield self.request(url, self.parse)

    def _department_links(self, response: Any) -> list[tuple[str, str]]:
        found = []
        for href in response.css("a::attr(href)").getall():
            department_id = _department_id(href)
            if department_id:
                found.append((department_id, response.urljoin(href.strip())))
        return found

    def _people(self, response: Any, tables: list[Selector]) -> Iterator[Any]:
        department = clean_text(" ".join(response.css(".DirectoryCategoryText h1 ::text").getall()))
        for table in tables:
            headers = _headers(table)
            reading = self.read_as(
                Reading(
                    "columns",
                    fields={h: h.title() for h in headers if h in HEADER_FIELDS.values()},
                    unused=[h for h in headers if h not in HEADER_FIELDS.values()],
                    record="CivicPlus table#cityDirectoryDepartmentDetails row",
                )
            )
            if "name" not in headers:
                yield ProblemRecord(
                    severity="suspicious",
                    detail=f"directory table without a Name column on {response.url}",
                    url=response.url,
                )
                continue
            for row in table.xpath("./tr | ./tbody/tr"):
                cells = row.xpath("./td")
                if not cells:
                    continue
                person = _person(dict(zip(headers, cells, strict=False)), department, response)
                reading.count_row("staff_directory", {"name": person.name if person else None})
                if person is not None:
                    yield person


def _department_id(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.path.lower().endswith("directory.aspx"):
        return None
    query = {key.lower(): value for key, value in parse_qs(parts.query).items()}
    return query.get("did", [None])[0]


def _headers(table: Selector) -> list[str]:
    """The column header row (the widest ``th`` row; the "Staff" banner has one cell)."""
    rows = table.xpath("./thead/tr | ./tr[th]")
    widest = max(rows, key=lambda r: len(r.xpath("./th")), default=None)
    if widest is None:
        return []
    names = []
    for cell in widest.xpath("./th"):
        label = normalize_header(" ".join(cell.css("::text").getall()))
        names.append(HEADER_FIELDS.get(label, label))
    return names


def _person(cells: dict[str, Selector], department: str, response: Any) -> PersonRecord | None:
    name_cell = cells.get("name")
    if name_cell is None:
        return None
    name = clean_text(" ".join(name_cell.css("::text").getall()))
    if not name:
        return None
    profile = name_cell.css("a::attr(href)").get()
    employee = _employee_id(profile)
    try:
        return PersonRecord(
            name=name,
            title=_text(cells.get("title")),
            department=_text(cells.get("department")) or department or None,
            email=_email(cells.get("email")),
            phone=_text(cells.get("phone")),
            external_id=f"EID:{employee}" if employee else None,
            url=response.urljoin(profile) if profile else None,
        )
    except ValidationError:
        return None


def _text(cell: Selector | None) -> str | None:
    if cell is None:
        return None
    text = clean_text(" ".join(cell.xpath(".//text()[not(ancestor::script)]").getall()))
    return text or None


def _email(cell: Selector | None) -> str | None:
    """The address from a mailto link, or assembled from the inline script's w and x."""
    if cell is None:
        return None
    mailto = cell.css("a[href^=mailto]::attr(href), a[href^=MAILTO]::attr(href)").get()
    if mailto:
        return mailto
    return script_email(cell) or (_text(cell) if "@" in (_text(cell) or "") else None)


def _employee_id(href: str | None) -> str | None:
    if not href:
        return None
    query = {k.lower(): v for k, v in parse_qs(urlsplit(href).query).items()}
    return query.get("eid", [None])[0]
