"""Printing lists of flat rows as a table, a JSON array or CSV (the ``--format`` option)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from tabulate import tabulate

FORMATS = ("table", "json", "csv")

# The columns each listing shows in a table, and puts first in CSV (the rest follow):
# one list per listing, so the CLI's files and the web API's ``?format=csv`` are the same.
COLUMNS: dict[str, list[str]] = {
    "changes": ["id", "detected_at", "kind", "jurisdiction", "summary"],
    "meetings": ["id", "jurisdiction", "body", "meeting_date", "start", "status", "items"],
    "people": ["jurisdiction", "name", "title", "department", "role", "email", "phone"],
    "turnover": ["jurisdiction", "name", "event", "title", "department", "started_on", "ended_on"],
    "stayed_through": ["jurisdiction", "name", "title", "department", "listed_since", "left_on"],
    "turnover_rate": ["jurisdiction", "department", "year", "departures", "turnover_rate"],
    "candidates": [
        "jurisdiction",
        "election_date",
        "days_remaining",
        "office",
        "district",
        "name",
        "party",
        "status",
        "filed_on",
        "email",
        "phone",
        "incumbent",
        "insider",
    ],
    "calendar": [
        "jurisdiction",
        "election",
        "election_date",
        "days_remaining",
        "office",
        "candidates",
        "withdrawn",
    ],
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def plain_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as ``--format json`` prints them: dates and times as ISO 8601 text."""
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def counted(count: int, noun: str) -> str:
    """A count with its noun: "1 request", "2,030 requests"."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def render(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
    empty: str = "nothing found",
) -> None:
    """Write rows in the chosen format; ``columns`` picks and orders the table's columns."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(
            plain_rows(rows),
            out,
            indent=2,
            ensure_ascii=False,
            default=str,
        )
        out.write("\n")
        return
    if fmt == "csv":
        keys: list[str] = list(columns or [])
        for row in rows:
            keys.extend(k for k in row if k not in keys)
        writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: json.dumps(v, default=str) if isinstance(v, dict | list) else _csv_cell(v)
                    for k, v in row.items()
                }
            )
        return
    if not rows:
        out.write(f"{empty}\n")
        return
    shown = list(columns or rows[0].keys())
    table = [[_cell(row.get(key)) for key in shown] for row in rows]
    out.write(tabulate(table, headers=shown, tablefmt="simple") + "\n")


_FORMULA_START = ("=", "@", "\t", "\r", "+", "-")
_SIGNED_NUMBER = re.compile(r"^[+-][\d\s().-]*$")  # "+1 (555) 010-2030", "-3.5"


def _csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: crawled text that starts like a formula gets a
    leading apostrophe (phone numbers and signed numbers are left as they are)."""
    value = _plain(value)
    formula_like = isinstance(value, str) and value.startswith(_FORMULA_START)
    if formula_like and not _SIGNED_NUMBER.match(value):
        return "'" + value
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, default=str)
    text = str(value)
    return text if len(text) <= 70 else text[:67] + "..."
