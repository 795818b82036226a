"""``people`` and ``turnover``: the staff and officials stored now, and who came and went."""

from __future__ import annotations

import click

from civicradar.cli import App, format_option, handles_config_errors, jurisdiction_option


@click.command()
@jurisdiction_option
@format_option
@click.pass_obj
@handles_config_errors
def people(app: App, jurisdiction: str | None, fmt: str) -> None:
    """People on the staff directories and rosters now, with their current titles."""
    raise click.ClickException("people: not implemented yet")


@click.command()
@jurisdiction_option
@format_option
@click.pass_obj
@handles_config_errors
def turnover(app: App, jurisdiction: str | None, fmt: str) -> None:
    """Tenures that started or ended in a window, with dates and titles."""
    raise click.ClickException("turnover: not implemented yet")


def _register() -> None:
    from civicradar.cli import cli

    cli.add_command(people)
    cli.add_command(turnover)


_register()
