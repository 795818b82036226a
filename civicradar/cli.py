"""``civicradar`` command line: the one place where the steps of the flow are wired together.

Exit status is 0 on success (a failing source is reported and recorded, not fatal) and
2 for bad configuration or usage, with a message naming what is wrong.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from functools import cached_property, wraps
from pathlib import Path
from typing import Any

import click

from civicradar import clock
from civicradar.config import Config, ConfigError, load_config
from civicradar.config.platforms import CHANGE_KINDS, platforms_help
from civicradar.models.store import Store
from civicradar.output import COLUMNS, FORMATS, counted, render


class App:
    """What every command shares: the config file, the store and the clock, loaded on demand."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @cached_property
    def store(self) -> Store:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import SQLAlchemyError

        from civicradar.config.loader import resolve_path

        url = self.config.database
        try:
            return Store(url)
        except (SQLAlchemyError, OSError) as exc:  # a bad URL, missing driver, server down
            try:
                shown = make_url(url).render_as_string(hide_password=True)
            except SQLAlchemyError:
                shown = url.split("@")[-1]
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise ConfigError(
                f"{resolve_path(self.config_path)}: database: cannot open {shown}: {reason}"
            ) from None

    @cached_property
    def now(self) -> dt.datetime:
        return clock.now()


def _one_line_library_errors(record: logging.LogRecord) -> bool:
    """Scrapy and Twisted log a traceback for every unreachable host or robots.txt; the
    source's crawl line and ``source_problem`` already say what failed, so below ``-vv``
    their records keep the one-line message only."""
    if record.name.startswith(("scrapy", "twisted")):
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
    return True


def fail_usage(message: str) -> None:
    click.echo(f"civicradar: {message}", err=True)
    sys.exit(2)


def handles_config_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn configuration and clock errors into a message and exit status 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (ConfigError, clock.ClockError) as exc:
            fail_usage(str(exc))

    return wrapper


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table to read, json (an array of flat objects) or csv for tools.",
)
jurisdiction_option = click.option("--jurisdiction", help="Only this jurisdiction id.")


def parse_date(_ctx: Any, _param: Any, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="\b\nPlatforms a source may name, by type (docs/configuration.md):\n" + platforms_help(),
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (else $CIVICRADAR_CONFIG, else ./civicradar.yaml).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="civicradar")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """CivicRadar watches local governments (agendas, candidate filings, staff directories)
    and reports what changed: new candidates, staff departures, agenda items that touch
    your initiative.

    \b
    Daily job:     civicradar run
    Try it:        civicradar demo
    Environment:   CIVICRADAR_CONFIG (config file), CIVICRADAR_NOW (replay clock),
                   CIVICRADAR_SMTP_USER / CIVICRADAR_SMTP_PASSWORD (SMTP credentials)
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(
        level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s"
    )
    if verbose < 2:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_one_line_library_errors)
    try:
        clock.now()
    except clock.ClockError as exc:
        fail_usage(str(exc))
    ctx.obj = App(config_path)


# --- the daily job and its steps ------------------------------------------------------


@cli.command()
@click.pass_obj
@handles_config_errors
def run(app: App) -> None:
    """The daily job: crawl every source, detect changes, deliver alerts."""
    from civicradar.alerts.deliver import deliver
    from civicradar.cli_alerts import exclusive_run
    from civicradar.monitors.detect import detect
    from civicradar.pipeline import crawl_step

    with exclusive_run(app):  # never two runs at once (see civicradar/scheduler.py)
        summary = crawl_step(app.store, app.config, app.now, on_done=_progress())
        _print_crawl(summary)
        found = detect(app.store, app.config, app.now)
        _print_detect(found)
        delivered = deliver(app.store, app.config, app.now)
        click.echo(delivered.describe())


@cli.command()
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


@cli.command()
@click.pass_obj
@handles_config_errors
def detect(app: App) -> None:
    """Compare crawled runs not yet examined with the store and log the changes."""
    from civicradar.monitors.detect import detect as detect_changes

    _print_detect(detect_changes(app.store, app.config, app.now))


@cli.command()
@jurisdiction_option
@format_option
@click.pass_obj
@handles_config_errors
def sources(app: App, jurisdiction: str | None, fmt: str) -> None:
    """Each source's last crawl and any open problem."""
    from civicradar.models.store import sync_sources
    from civicradar.pipeline import sources_status

    with app.store.session() as session:
        sync_sources(session, app.config)
    rows = [
        r
        for r in sources_status(app.store)
        if not jurisdiction or r["jurisdiction"] == jurisdiction
    ]
    render(
        rows,
        fmt,
        columns=[
            "jurisdiction",
            "source",
            "platform",
            "last_run",
            "last_status",
            "records",
            "problem",
            "recovered_at",
            "error",
        ],
    )


# --- what is stored -------------------------------------------------------------------


@cli.command()
@click.option(
    "--since",
    callback=parse_date,
    help="Changes detected on or after this date (from midnight in schedule.timezone).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(CHANGE_KINDS),
    help="Only this kind (repeatable).",
)
@jurisdiction_option
@format_option
@click.pass_obj
@handles_config_errors
def changes(
    app: App, since: dt.date | None, kinds: tuple[str, ...], jurisdiction: str | None, fmt: str
) -> None:
    """Every recorded change, oldest first (ids are stable for the life of the store)."""
    from civicradar.models.queries import change_row, list_changes

    zone = app.config.schedule.timezone
    start = clock.start_of_day(since, zone) if since else None
    with app.store.session() as session:
        rows = [
            change_row(c)
            for c in list_changes(
                session, since=start, kinds=list(kinds), jurisdiction=jurisdiction
            )
        ]
    render(
        rows,
        fmt,
        columns=COLUMNS["changes"],
        empty="no changes match these filters"
        if since or kinds or jurisdiction
        else "no changes recorded",
    )


@cli.command()
@jurisdiction_option
@click.option("--since", callback=parse_date, help="Meetings on or after this date.")
@click.option("--until", callback=parse_date, help="Meetings on or before this date.")
@click.option("--body", help="Body name contains this text.")
@format_option
@click.pass_obj
@handles_config_errors
def meetings(
    app: App,
    jurisdiction: str | None,
    since: dt.date | None,
    until: dt.date | None,
    body: str | None,
    fmt: str,
) -> None:
    """Meetings stored now, with local times; json includes agenda items and document text."""
    from civicradar.models.queries import list_meetings, meeting_row

    with app.store.session() as session:
        rows = [
            meeting_row(m, with_items=fmt == "json")
            for m in list_meetings(
                session, jurisdiction=jurisdiction, since=since, until=until, body=body
            )
        ]
    render(
        rows,
        fmt,
        columns=COLUMNS["meetings"],
        empty="no meetings stored",
    )


@cli.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo's store, config and feed (default ./civicradar-demo).",
)
def demo(output: Path | None) -> None:
    """Run the whole pipeline offline on the sample city shipped with CivicRadar."""
    from civicradar.demo import run_demo

    run_demo(output or Path("civicradar-demo"))


# --- printing -------------------------------------------------------------------------


def _progress() -> Callable[[Any], None] | None:
    """A line per finished source on a terminal; silent when piped."""
    if not sys.stderr.isatty():
        return None

    def done(outcome: Any) -> None:
        state = "failed" if outcome.failures else "done"
        click.echo(
            f"  {outcome.job.label}: {state}, {counted(outcome.requests, 'request')}, "
            f"{counted(len(outcome.records), 'record')}",
            err=True,
        )

    return done


def _print_crawl(summary: Any) -> None:
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


def _print_detect(summary: Any) -> None:
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(summary.by_kind.items())) or "nothing new"
    click.echo(f"examined {summary.runs} crawl runs: {kinds}")


def main() -> None:
    cli(prog_name="civicradar")


# Commands of the other areas register themselves on ``cli`` when imported.
from civicradar import cli_alerts, cli_candidates, cli_people  # noqa: E402, F401
