"""``people`` and ``turnover``: the staff and officials stored now, and who came and went."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from civicradar.cli.common import (
    App,
    format_option,
    handles_config_errors,
    jurisdiction_option,
    parse_date,
)
from civicradar.output import COLUMNS, render

if TYPE_CHECKING:
    from civicradar.models.staff_queries import StaffFilter


def staff_filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters ``people`` and ``turnover`` share."""
    options = [
        jurisdiction_option,
        click.option("--department", help="Department contains this text."),
        click.option("--title", help="Title contains this text."),
        click.option("--role", type=click.Choice(["staff", "official"]), help="Only this role."),
        click.option("--since", callback=parse_date, help="From this date (YYYY-MM-DD)."),
        click.option("--until", callback=parse_date, help="Up to this date (YYYY-MM-DD)."),
        format_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(**kwargs: str | None) -> StaffFilter:
    from civicradar.models.staff_queries import StaffFilter

    return StaffFilter(**kwargs)


@click.command()
@staff_filters
@click.pass_obj
@handles_config_errors
def people(
    app: App,
    jurisdiction: str | None,
    department: str | None,
    title: str | None,
    role: str | None,
    since: dt.date | None,
    until: dt.date | None,
    fmt: str,
) -> None:
    """People on the staff directories and rosters now, with their current titles.

    --since/--until bound the day CivicRadar first saw each person.
    """
    from civicradar.models.staff_queries import current_people

    filters = _filters(jurisdiction=jurisdiction, department=department, title=title, role=role)
    with app.store.session() as session:
        rows = current_people(session, filters, since=since, until=until)
    render(
        rows,
        fmt,
        columns=COLUMNS["people"],
        empty="no people stored",
    )


@click.command()
@staff_filters
@click.option(
    "--stayed-through",
    "stayed",
    callback=parse_date,
    help="People listed both before and after this date (e.g. an election day).",
)
@click.option("--rate", is_flag=True, help="Turnover rate per department per year.")
@click.pass_obj
@handles_config_errors
def turnover(
    app: App,
    jurisdiction: str | None,
    department: str | None,
    title: str | None,
    role: str | None,
    since: dt.date | None,
    until: dt.date | None,
    stayed: dt.date | None,
    rate: bool,
    fmt: str,
) -> None:
    """Tenures that started or ended in a window, with dates and titles.

    event is started (a hire or a new post), departed or role_change (the old post).
    """
    from civicradar.models import staff_queries as q

    if stayed and rate:
        raise click.UsageError("choose one of --stayed-through and --rate")
    filters = _filters(jurisdiction=jurisdiction, department=department, title=title, role=role)
    with app.store.session() as session:
        if stayed:
            rows = q.stayed_through(session, filters, stayed)
            columns = COLUMNS["stayed_through"]
        elif rate:
            today = app.now.date()
            rows = [
                r
                for r in q.turnover_rate(session, filters, today=today)
                if (not since or r["year"] >= since.year) and (not until or r["year"] <= until.year)
            ]
            columns = COLUMNS["turnover_rate"]
        else:
            rows = q.turnover(session, filters, since=since, until=until)
            columns = COLUMNS["turnover"]
    render(rows, fmt, columns=columns, empty="no turnover found")
