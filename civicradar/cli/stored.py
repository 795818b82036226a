"""``changes`` and ``meetings``: the change log and the meetings stored now."""

from __future__ import annotations

import datetime as dt

import click

from civicradar import clock
from civicradar.cli.common import (
    App,
    format_option,
    handles_config_errors,
    jurisdiction_option,
    kind_option,
    parse_date,
)
from civicradar.output import COLUMNS, render


@click.command()
@click.option(
    "--since",
    callback=parse_date,
    help="Changes detected on or after this date (from midnight in schedule.timezone).",
)
@kind_option
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


@click.command()
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
    render(rows, fmt, columns=COLUMNS["meetings"], empty="no meetings stored")
