"""``check``: crawl one source once and print what was understood (``civicradar/check.py``)."""

from __future__ import annotations

import json

import click
from tabulate import tabulate

from civicradar.check import CheckReport, UnknownSource, check_source
from civicradar.cli.common import App, fail_usage, handles_config_errors, jurisdiction_option
from civicradar.output import counted


@click.command()
@click.option("--source", "source_id", required=True, help="The source id to crawl.")
@jurisdiction_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table to read, json (one object) for tools.",
)
@click.pass_obj
@handles_config_errors
def check(app: App, source_id: str, jurisdiction: str | None, fmt: str) -> None:
    """Crawl one source once and show what was understood: the columns, selectors or
    repeated blocks behind each field, the record count, five samples and every warning.

    Nothing is stored and nothing is sent: run it first when adding a city, and again
    after setting fields or selectors. Exit status 0 also when nothing was found.
    """
    try:
        report = check_source(app.config, source_id, jurisdiction, app.now)
    except UnknownSource as exc:
        fail_usage(str(exc))
        return
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(describe(report))


def describe(report: CheckReport) -> str:
    """The report as a person reads it."""
    lines = [f"{report.jurisdiction}/{report.source}: {report.type} from {report.platform}"]
    if report.url:
        lines.append(f"  {report.url}")
    lines += _reading(report.reading, report.platform)
    lines.append("")
    lines.append(f"found {report.found}")
    if report.samples:
        keys = list(dict.fromkeys(k for s in report.samples for k in s))
        rows = [[_short(s.get(k)) for k in keys] for s in report.samples]
        lines += ["", tabulate(rows, headers=keys, tablefmt="simple")]
    if report.warnings:
        lines += ["", "warnings:"] + [f"  - {w}" for w in report.warnings]
    lines += [
        "",
        f"a crawl would be recorded as {report.status} "
        f"({counted(report.requests, 'request')}, {report.bytes:,} bytes, "
        f"{report.seconds:.1f} s; nothing stored)",
    ]
    return "\n".join(lines)


def _reading(reading: dict | None, platform: str) -> list[str]:
    if not reading:  # an API or a platform whose layout the spider knows
        return [f"read as: the {platform} platform's own layout (nothing to infer)"]
    method = reading["method"]
    pages = counted(reading.get("pages") or 0, "page")
    rows = counted(reading.get("rows") or 0, "row")
    if method == "none" or (not reading.get("rows") and reading.get("found_instead")):
        lines = [f"read as: nothing recognisable ({pages})"]
        if reading.get("unused"):
            lines.append("  best table's headers: " + ", ".join(reading["unused"]))
        return lines
    head = {
        "columns": f"read as: a table's columns ({pages}, {rows})",
        "selectors": f"read as: the configured selectors, record = {reading.get('record')!r} "
        f"({pages}, {rows})",
        "blocks": f"read as: {reading.get('record')} ({pages}, {rows})",
    }[method]
    lines = [head]
    for name, where in reading.get("fields", {}).items():
        source = f"from {where}" if method == "blocks" else f"<- {where!r}"
        lines.append(f"  {name:<13} {source}")
    if reading.get("unused"):
        lines.append("  not used:     " + ", ".join(reading["unused"]))
    return lines


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
