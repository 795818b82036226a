"""The ``civicradar`` command group: global options, logging, and every area's commands.

Each area's module defines its commands without knowing the group; this module is the
only one that imports them all, so the command modules never import each other.
"""

from __future__ import annotations

import logging

import click

from civicradar import clock
from civicradar.cli import candidates, check, daily, delivery, demo, people, stored
from civicradar.cli.common import App, fail_usage
from civicradar.config.platforms import platforms_help


def _one_line_library_errors(record: logging.LogRecord) -> bool:
    """Scrapy and Twisted log a traceback for every unreachable host or robots.txt; the
    source's crawl line and ``source_problem`` already say what failed, so below ``-vv``
    their records keep the one-line message only."""
    if record.name.startswith(("scrapy", "twisted")):
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
    return True


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


COMMANDS: list[click.Command] = [
    daily.run,
    daily.crawl,
    daily.detect,
    daily.sources,
    check.check,
    stored.changes,
    stored.meetings,
    people.people,
    people.turnover,
    candidates.candidates,
    delivery.deliver,
    delivery.digest,
    delivery.feed,
    delivery.serve,
    demo.demo,
]
for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    cli(prog_name="civicradar")
