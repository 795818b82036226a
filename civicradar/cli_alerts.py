"""``deliver``, ``digest``, ``feed`` and ``serve``: getting changes to people."""

from __future__ import annotations

from pathlib import Path

import click

from civicradar.cli import CHANGE_KINDS, App, handles_config_errors, jurisdiction_option


@click.command()
@click.pass_obj
@handles_config_errors
def deliver(app: App) -> None:
    """Send what has not been delivered yet (email digests, webhooks)."""
    from civicradar.alerts.deliver import deliver as deliver_changes

    click.echo(deliver_changes(app.store, app.config, app.now).describe())


@click.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the feed to this file (default: standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["rss", "atom"]),
    default="rss",
    show_default=True,
    help="RSS 2.0 or Atom 1.0.",
)
@jurisdiction_option
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(CHANGE_KINDS),
    help="Only this kind (repeatable).",
)
@click.pass_obj
@handles_config_errors
def feed(
    app: App, output: Path | None, fmt: str, jurisdiction: str | None, kinds: tuple[str, ...]
) -> None:
    """Write the feed of detected changes, newest first (alerts.feed.max_items at most)."""
    from civicradar.alerts.feed import build_feed, write_feed

    if output is None:
        body, _count = build_feed(
            app.store, app.config, fmt=fmt, jurisdiction=jurisdiction, kinds=kinds
        )
        click.get_binary_stream("stdout").write(body)
        return
    count = write_feed(
        app.store, app.config, output, fmt=fmt, jurisdiction=jurisdiction, kinds=kinds
    )
    click.echo(f"wrote {count} changes to {output}")


def _register() -> None:
    from civicradar.cli import cli

    for command in (deliver, feed):
        cli.add_command(command)


_register()
