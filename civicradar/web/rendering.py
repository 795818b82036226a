"""Rendering a page: Jinja2 templates from ``templates/`` with autoescaping, so crawled text
stays text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from civicradar.web.state import config_of

TEMPLATES = Path(__file__).parent / "templates"


def page_templates() -> Jinja2Templates:
    """The templates one app renders with (``create_app`` keeps them on ``app.state``)."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    )
    return Jinja2Templates(env=environment)


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """The template ``name`` with ``context``, titled with the configured feed title."""
    templates: Jinja2Templates = request.app.state.templates
    title = config_of(request).alerts.feed.title
    return templates.TemplateResponse(
        request, name, {"title": title, **context}, status_code=status
    )
