"""``create_app``: one configuration, store and scheduler made into the Starlette app, with
each area's routes, the read-only middleware and the 400 answer to a bad query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware

from civicradar.config.schema import Config
from civicradar.models.store import Store
from civicradar.web import api, changes, pages, service
from civicradar.web.middleware import ReadOnly
from civicradar.web.params import BadQuery, bad_query
from civicradar.web.rendering import page_templates

if TYPE_CHECKING:
    from civicradar.scheduler import Scheduler


def create_app(config: Config, store: Store, scheduler: Scheduler | None = None) -> Starlette:
    """The Starlette app for one configuration and store; routes find both on ``app.state``."""
    app = Starlette(
        routes=[*changes.ROUTES, *api.ROUTES, *pages.ROUTES, *service.ROUTES],
        middleware=[Middleware(ReadOnly, token=config.web.token)],
        exception_handlers={BadQuery: bad_query},
    )
    app.state.config = config
    app.state.store = store
    app.state.scheduler = scheduler
    app.state.templates = page_templates()
    return app
