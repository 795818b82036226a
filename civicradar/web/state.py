"""What a route reads from its app: the configuration, the store and the scheduler that
``create_app`` put on ``app.state``, typed, so routes stay plain module-level functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from civicradar.config.schema import Config
from civicradar.models.store import Store

if TYPE_CHECKING:
    from civicradar.scheduler import Scheduler


def config_of(request: Request) -> Config:
    config: Config = request.app.state.config
    return config


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def scheduler_of(request: Request) -> Scheduler | None:
    """The daily job's scheduler; None when ``serve --no-schedule`` or in tests."""
    scheduler: Scheduler | None = request.app.state.scheduler
    return scheduler
