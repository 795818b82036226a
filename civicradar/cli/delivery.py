"""``deliver``, ``digest``, ``feed`` and ``serve``: getting changes to people."""

from __future__ import annotations

from pathlib import Path

import click

from civicradar.cli.common import (
    App,
    exclusive_run,
    fail_usage,
    handles_config_errors,
    jurisdiction_option,
    kind_option,
)


@click.command()
@click.pass_obj
@handles_config_errors
def deliver(app: App) -> None:
    """Send what has not been delivered yet (email digests, webhooks)."""
    from civicradar.alerts.deliver import deliver as deliver_changes

    with exclusive_run(app):
        click.echo(deliver_changes(app.store, app.config, app.now).describe())


@click.command()
@click.option("--dry-run", is_flag=True, help="Write the messages as .eml files; send nothing.")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for --dry-run messages (default ./digests).",
)
@click.pass_obj
@handles_config_errors
def digest(app: App, dry_run: bool, output: Path | None) -> None:
    """Send today's email digest to each recipient (or, with --dry-run, only render it)."""
    from civicradar.alerts.deliver import deliver as deliver_changes
    from civicradar.alerts.deliver import write_digests

    if app.config.alerts.email is None:
        fail_usage("digest: alerts.email is not configured")
    if output is not None and not dry_run:
        fail_usage("digest: --output is for --dry-run (a real digest is sent, not written)")
    if dry_run:
        summary = write_digests(app.store, app.config, app.now, output or Path("digests"))
        for path in summary.written:
            click.echo(str(path))
        click.echo(summary.describe() if summary.written else "nothing to write")
        return
    with exclusive_run(app):
        click.echo(deliver_changes(app.store, app.config, app.now, webhooks=False).describe())


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
@kind_option
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
        click.echo(body, nl=False)
        return
    count = write_feed(
        app.store, app.config, output, fmt=fmt, jurisdiction=jurisdiction, kinds=kinds
    )
    click.echo(f"wrote {count} changes to {output}")


@click.command()
@click.option("--host", help="Interface to listen on (default: web.host).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: web.port).")
@click.option("--no-schedule", is_flag=True, help="Serve only; do not run the daily job.")
@click.pass_obj
@handles_config_errors
def serve(app: App, host: str | None, port: int | None, no_schedule: bool) -> None:
    """Serve the web pages, JSON API and feeds, and run the daily job on schedule.cron."""
    import uvicorn

    from civicradar.scheduler import RunLock, Scheduler, daily_job
    from civicradar.web import create_app

    config, store = app.config, app.store
    scheduler = Scheduler(config, RunLock(store), lambda: daily_job(store, config))
    if not no_schedule:
        scheduler.start()
    host = host or config.web.host
    port = port or config.web.port
    schedule = "off" if no_schedule else f"{config.schedule.cron} ({config.schedule.timezone})"
    click.echo(f"civicradar: serving http://{host}:{port}/ — daily job: {schedule}", err=True)
    try:
        uvicorn.run(
            create_app(config, store, scheduler),
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=True,
        )
    finally:
        scheduler.stop()
