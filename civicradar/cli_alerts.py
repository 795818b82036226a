"""``deliver``, ``digest``, ``feed`` and ``serve``: getting changes to people."""

from __future__ import annotations

import click

from civicradar.cli import App, handles_config_errors


@click.command()
@click.pass_obj
@handles_config_errors
def deliver(app: App) -> None:
    """Send what has not been delivered yet (email digests, webhooks)."""
    from civicradar.alerts.deliver import deliver as deliver_changes

    click.echo(deliver_changes(app.store, app.config, app.now).describe())


def _register() -> None:
    from civicradar.cli import cli

    cli.add_command(deliver)


_register()
