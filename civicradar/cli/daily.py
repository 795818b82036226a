"""The daily job and its steps: ``run``, ``crawl``, ``detect``, and ``sources`` to see how
each source's last crawl went."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from civicradar.cli.common import (
    App,
    exclusive_run,
    fail_usage,
    format_option,
    handles_config_errors,
    jurisdiction_option,
)
from civicradar.output import counted, render

if TYPE_CHECKING:
    from civicradar.crawlers.base import CrawlOutcome
    from civicradar.monitors.detect import DetectSummary
    from civicradar.pipeline import CrawlSummary

SOURCE_COLUMNS = [
    "jurisdiction",
    "source",
    "platform",
    "last_run",
    "last_status",
    "records",
    "problem",
    "recovered_at",
    "error",
]


@click.command()
@click.pass_obj
@handles_config_errors
def run(app: App) -> None:
    """The daily job: crawl every source, detect changes, deliver alerts."""
    from civicradar.alerts.deliver import deliver
    from civicradar.monitors.detect import detect
    from civicradar.pipeline import crawl_step

    with exclusive_run(app):  # never two runs at once (see civicradar/scheduler.py)
        summary = crawl_step(app.store, app.config, app.now, on_done=_progress())
        _print_crawl(summary)
        found = detect(app.store, app.config, app.now)
        _print_detect(found)
        delivered = deliver(app.store, app.config, app.now)
        click.echo(delivered.describe())


@click.command()
@jurisdiction_option
@click.option("--source", help="Only this source id.")
@click.pass_obj
@handles_config_errors
def crawl(app: App, jurisdiction: str | None, source: str | None) -> None:
    """Crawl sources and record each run (status, requests, bytes, records). No alerts."""
    from civicradar.pipeline import crawl_step, select_sources

    if not select_sources(app.config, jurisdiction, source):
        wanted = " ".join(
            f"--{name} {value}"
            for name, value in (("jurisdiction", jurisdiction), ("source", source))
            if value
        )
        fail_usage(f"no configured source matches {wanted}")
    summary = crawl_step(
        app.store,
        app.config,
        app.now,
        jurisdiction=jurisdiction,
        source=source,
        on_done=_progress(),
    )
    _print_crawl(summary)


@click.command()
@click.pass_obj
@handles_config_errors
def detect(app: App) -> None:
    """Compare crawled runs not yet examined with the store and log the changes."""
    from civicradar.monitors.detect import detect as detect_changes

    _print_detect(detect_changes(app.store, app.config, app.now))


@click.command()
@jurisdiction_option
@format_option
@click.pass_obj
@handles_config_errors
def sources(app: App, jurisdiction: str | None, fmt: str) -> None:
    """Each source's last crawl and any open problem."""
    from civicradar.models.source_queries import sources_status
    from civicradar.models.store import sync_sources

    with app.store.session() as session:
        sync_sources(session, app.config)
    with app.store.session() as session:
        rows = sources_status(session, jurisdiction=jurisdiction)
    render(rows, fmt, columns=SOURCE_COLUMNS)


def _progress() -> Callable[[CrawlOutcome], None] | None:
    """A line per finished source on a terminal; silent when piped."""
    if not sys.stderr.isatty():
        return None

    def done(outcome: CrawlOutcome) -> None:
        state = "failed" if outcome.failures else "done"
        click.echo(
            f"  {outcome.job.label}: {state}, {counted(outcome.requests, 'request')}, "
            f"{counted(len(outcome.records), 'record')}",
            err=True,
        )

    return done


def _print_crawl(summary: CrawlSummary) -> None:
    for report in summary.reports:
        line = (
            f"{report.label}: {report.status}, {counted(report.records, 'record')}, "
            f"{counted(report.requests, 'request')}, {report.bytes:,} bytes"
        )
        if report.not_modified:
            line += f", {report.not_modified} not modified"
        if report.error:
            line += f" — {report.error}"
        click.echo(line)


def _print_detect(summary: DetectSummary) -> None:
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(summary.by_kind.items())) or "nothing new"
    click.echo(f"examined {summary.runs} crawl runs: {kinds}")
