"""What every command shares: the loaded config, store and clock, the common options, and
the rule that bad configuration or usage exits 2 with a message naming what is wrong."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property, wraps
from typing import Any, NoReturn

import click

from civicradar import clock
from civicradar.config import Config, ConfigError, load_config
from civicradar.config.platforms import CHANGE_KINDS
from civicradar.models.store import Store
from civicradar.output import FORMATS


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


def fail_usage(message: str) -> NoReturn:
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


@contextmanager
def exclusive_run(app: App) -> Iterator[None]:
    """Hold the run lock (see civicradar/scheduler.py); exit 1 if another run holds it."""
    from civicradar.scheduler import RunBusy, RunLock

    try:
        with RunLock(app.store).hold():
            yield
    except RunBusy as exc:
        click.echo(f"civicradar: another run is in progress ({exc}); try again later", err=True)
        sys.exit(1)


def parse_date(_ctx: Any, _param: Any, value: str | None) -> dt.date | None:
    """A ``--since``/``--until`` style option's value as a date (a click callback)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table to read, json (an array of flat objects) or csv for tools.",
)
jurisdiction_option = click.option("--jurisdiction", help="Only this jurisdiction id.")
kind_option = click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(CHANGE_KINDS),
    help="Only this kind (repeatable).",
)
