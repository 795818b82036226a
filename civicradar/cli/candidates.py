"""``candidates``: who is running, and (``--calendar``) the election calendar."""

from __future__ import annotations

import datetime as dt

import click

from civicradar.cli.common import (
    App,
    format_option,
    handles_config_errors,
    jurisdiction_option,
    parse_date,
)
from civicradar.models.candidate_queries import STATUSES
from civicradar.output import COLUMNS, render

LIST_COLUMNS = COLUMNS["candidates"]
CALENDAR_COLUMNS = COLUMNS["calendar"]


@click.command()
@jurisdiction_option
@click.option(
    "--calendar", is_flag=True, help="Elections with days remaining and counts by office."
)
@click.option("--office", help='Office, e.g. "Mayor" or "Ward 3" (any spelling of the seat).')
@click.option("--election", help="Election name contains this text.")
@click.option(
    "--since",
    callback=parse_date,
    help="Elections on or after this date (YYYY-MM-DD); default today.",
)
@click.option("--until", callback=parse_date, help="Elections up to this date (YYYY-MM-DD).")
@click.option("--all", "everything", is_flag=True, help="Past elections too.")
@click.option("--status", type=click.Choice(STATUSES), help="Only candidacies in this status.")
@format_option
@click.pass_obj
@handles_config_errors
def candidates(
    app: App,
    jurisdiction: str | None,
    calendar: bool,
    office: str | None,
    election: str | None,
    since: dt.date | None,
    until: dt.date | None,
    everything: bool,
    status: str | None,
    fmt: str,
) -> None:
    """Candidates stored now, soonest election first, by office.

    Without --since only elections from today on (and undated ones) are listed; --all
    lists past elections too. status is filed, qualified, withdrawn or disqualified.
    "Today" is the date in each jurisdiction's time zone.

    --calendar lists the elections instead: one row per election and office with
    days_remaining (from CIVICRADAR_NOW when set), candidates still running and those
    who withdrew or were disqualified. Addresses are never shown.
    """
    from civicradar.models import candidate_queries as q
    from civicradar.models.offices import office_matcher

    # An empty answer says what hid the rows: "no elections stored" after hiding past ones misled.
    hidden = (
        ["match these filters"]
        if any((jurisdiction, office, election, since, until, status))
        else []
    )
    upcoming = since is None and not everything
    if upcoming:
        hidden.append("from today on (--all lists past elections too)")
    empty = " ".join(hidden) or "stored"
    filters = q.CandidateFilter(
        jurisdiction=jurisdiction,
        election=election,
        since=since,
        until=until,
        status=status,
        office=office_matcher(office),
        upcoming=upcoming,
    )
    zones = app.config.zones()
    with app.store.session() as session:
        if calendar:
            rows = q.calendar(session, filters, app.now, zones)
            render(rows, fmt, columns=CALENDAR_COLUMNS, empty=f"no elections {empty}")
            return
        rows = q.candidates(session, filters, app.now, zones)
    render(rows, fmt, columns=LIST_COLUMNS, empty=f"no candidates {empty}")
