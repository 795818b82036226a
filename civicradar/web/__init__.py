"""The read-only web app behind ``civicradar serve``: feeds, a JSON API and a few HTML pages.

Everything is GET. Any other method is refused with 405, unless it carries the
``web.token`` bearer token (then it reaches the route, e.g. ``POST /api/run``); a wrong
token is a 401. Pages are Jinja2 templates with autoescaping, so crawled text stays text,
and a strict Content-Security-Policy means nothing on a page can run script anyway.

``create_app`` (``app.py``) is the one entry point; the routes are plain functions grouped
by area (``changes``, ``api``, ``pages``, ``service``) that read the config and store from
``request.app.state`` (``state.py``).
"""

from civicradar.web.app import create_app

__all__ = ["create_app"]
