"""``candidates``: the election calendar and who is running."""

from __future__ import annotations

import click

from civicradar.cli import App, format_option, handles_config_errors, jurisdiction_option


@click.command()
@jurisdiction_option
@format_option
@click.pass_obj
@handles_config_errors
def candidates(app: App, jurisdiction: str | None, fmt: str) -> None:
    """Candidates stored now, by election and office."""
    raise click.ClickException("candidates: not implemented yet")


def _register() -> None:
    from civicradar.cli import cli

    cli.add_command(candidates)


_register()
