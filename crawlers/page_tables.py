"""The table (or tables) of a page that list people or candidates, as rows of text.

The table whose headers place the most fields is chosen, with every other table of the
page that has the same headers (a directory often has one table per department). Staff
tables get extra care: an email column takes the ``mailto:`` address even when the link
reads "Email" or a name, a one-cell row names the department of the rows below it, a row
without a name continues the person above it, and each table of several is labelled with
its own caption, banner row or the heading above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from civicradar.crawlers.columns import ColumnMap, map_columns, normalize_header
from civicradar.crawlers.person_text import DEPARTMENT_WORDS
from civicradar.crawlers.table_records import column_problem
from civicradar.crawlers.tabular import HtmlCell, HtmlTable, html_tables

LINKED_EMAIL = "Email (link)"
PROFILE = "Profile (link)"
SECTION = "Department (section)"
GENERIC_BANNERS = {"staff", "employees", "contacts", "directory", "members", "personnel"}
GENERIC_BANNERS |= {"staff directory", "contact", "name", "results"}
HEADING = "preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][1]"


@dataclass
class PageTables:
    """The chosen tables of a page: their headers and text rows, the column mapping, and
    whether that mapping is usable (it places the required fields)."""

    headers: list[str]
    rows: list[dict[str, str]]
    columns: ColumnMap
    usable: bool
    tables: int
    continued: int = 0  # rows without a name, read as more of the person above


def page_tables(
    selector: Any,
    source_type: str,
    explicit: dict[str, str],
    urljoin: Callable[[str], str] = str,
    *,
    label_one: bool = False,
) -> PageTables | None:
    """The best table of the page and its look-alikes, or None when the page has no table.
    ``urljoin`` makes links absolute; ``label_one``: label even a single table with the
    heading above it (a department's own page)."""
    scored = []
    for table in html_tables(selector):
        columns = map_columns(table.headers, source_type, explicit)
        score = len(columns.columns) + min(len(table.rows), 1000) / 10000
        usable = column_problem(source_type, columns) is None
        scored.append((usable, score, table, columns))
    if not scored:
        return None
    usable, _, best, columns = max(scored, key=lambda s: (s[0], s[1]))
    shape = [normalize_header(h) for h in best.headers]
    group = [
        table
        for ok, _, table, _ in scored
        if table is best or (ok and [normalize_header(h) for h in table.headers] == shape)
    ]
    staff = source_type == "staff_directory"
    labels = _labels(group, label_one) if staff and "department" not in columns.columns else {}
    headers, rows, continued = list(best.headers), [], 0
    for table in group:
        extra, flat = _flatten(table, columns, staff, labels.get(id(table)), urljoin)
        headers += [h for h in extra if h not in headers]
        rows += flat
        continued += sum(1 for row in table.rows if _nameless(row, columns)) if staff else 0
    if len(headers) > len(best.headers):  # linked emails, section names: columns of their own
        columns = map_columns(headers, source_type, explicit)
    return PageTables(headers, rows, columns, usable, len(group), continued)


def _nameless(row: dict[str, HtmlCell], columns: ColumnMap) -> bool:
    """A row with cells but no name: merged into the person above it."""
    names = [columns.columns.get(k) for k in ("name", "first_name", "last_name")]
    filled = [cell for cell in row.values() if cell.text or cell.emails]
    return len(filled) > 1 and not any(row[c].text for c in names if c and c in row)


def _labels(tables: list[HtmlTable], label_one: bool) -> dict[int, str]:
    """Each table's own name (caption, banner row, heading above), when the names tell
    tables apart, when ``label_one`` asks for it, or when a lone table's name reads like
    a department ("County Council" above it, not "Staff Directory")."""
    names = {id(t): _table_name(t) for t in tables}
    distinct = {n for n in names.values() if n}
    lone = next(iter(distinct)) if len(distinct) == 1 else None
    if len(distinct) >= 2 or (label_one and distinct) or (lone and _department_like(lone)):
        return {key: name for key, name in names.items() if name}
    return {}


def _department_like(name: str) -> bool:
    words = set(normalize_header(name).split())
    return bool(DEPARTMENT_WORDS.search(name)) and not words & {"directory", "staff", "contacts"}


def _table_name(table: HtmlTable) -> str | None:
    caption = table.node.xpath("normalize-space(./caption)").get()
    if caption:
        return caption
    if table.banner and table.banner.lower() not in GENERIC_BANNERS:
        return table.banner
    heading = table.node.xpath(f"normalize-space({HEADING})").get()
    return heading or None


def _flatten(
    table: HtmlTable,
    columns: ColumnMap,
    staff: bool,
    label: str | None,
    urljoin: Callable[[str], str],
) -> tuple[list[str], list[dict[str, str]]]:
    """Cells to text rows: mailto addresses for email, the name's link as the profile,
    sections and continuation rows merged."""
    email_column = columns.columns.get("email")
    name_columns = [columns.columns.get(k) for k in ("name", "first_name", "last_name")]
    name_columns = [c for c in name_columns if c]
    link_columns = {columns.columns.get(k) for k in ("url", "website")} - {None}
    add_email = email_column is None
    add_profile = staff and not link_columns
    add_section = staff and "department" not in columns.columns
    rows: list[dict[str, str]] = []
    section: str | None = label
    width = len(table.headers)
    for row in table.rows:
        filled = [cell for cell in row.values() if cell.text or cell.emails]
        if staff and _is_section(row, filled, name_columns, width):
            section = filled[0].text
            continue
        flat = {
            header: _flat(cell, header, email_column, link_columns, urljoin)
            for header, cell in row.items()
        }
        profile = next((row[c].links[0] for c in name_columns if c in row and row[c].links), None)
        if add_profile and profile:
            flat[PROFILE] = urljoin(profile)
        mailtos = [email for cell in row.values() for email in cell.emails]
        if add_email and mailtos:
            flat[LINKED_EMAIL] = mailtos[0]
        if add_section and section:
            flat[SECTION] = section
        if staff and rows and name_columns and not any(flat.get(c) for c in name_columns):
            _continue(rows[-1], flat)
            continue
        rows.append(flat)
    extra = [h for h in (LINKED_EMAIL, PROFILE, SECTION) if any(h in r for r in rows)]
    return extra, rows


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


def _flat(
    cell: HtmlCell,
    header: str,
    email_column: str | None,
    link_columns: set,
    urljoin: Callable[[str], str],
) -> str:
    """A cell's value: the mailto address in the email column, the href in a link column
    (link text is often shortened), else the text."""
    if cell.emails and (header == email_column or not cell.text):
        return cell.emails[0]
    if header in link_columns and cell.links:
        return urljoin(cell.links[0])
    return cell.text
