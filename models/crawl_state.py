"""What a spider may know from the store before it crawls (known documents, event versions).

Each source type lists functions that read the store and return a plain dict; the CLI
hands the merged dict to the spider as ``CrawlJob.state``, so spiders never open the store.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from sqlalchemy.orm import Session

from civicradar.models.tables import Source

STATE_READERS: dict[str, list[str]] = {
    "agendas": [
        "civicradar.monitors.agendas:known_meetings",
        "civicradar.monitors.documents:known_documents",
    ],
    "staff_directory": [],
    "candidate_list": [],
}


def crawl_state(session: Session, source: Source) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for target in STATE_READERS.get(source.type, []):
        module, _, name = target.partition(":")
        state.update(getattr(import_module(module), name)(session, source))
    return state
