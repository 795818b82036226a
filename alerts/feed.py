"""RSS 2.0 and Atom feeds of the change log, built with feedgen.

Each entry's id is a tag: URI made from the change's id and a hash of its dedupe key,
so it stays the same every time the feed is regenerated for the life of the store and
does not collide with another store's change of the same number. Crawled text goes
into entries only as text (Atom ``type="text"``) or as HTML we escaped ourselves (RSS
descriptions, which readers render as HTML).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from feedgen.feed import FeedGenerator
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from civicradar.alerts.details import detail_lines
from civicradar.alerts.kinds import headline, kind_label
from civicradar.alerts.public import safe_url
from civicradar.config.schema import Config
from civicradar.config.schema import Feed as FeedConfig
from civicradar.models.queries import list_changes
from civicradar.models.store import Store
from civicradar.models.tables import Change, Jurisdiction

FORMATS = ("rss", "atom")
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def entry_id(change: Change) -> str:
    """A GUID stable for the life of the store (tag: URI, RFC 4151)."""
    digest = hashlib.sha256(change.dedupe_key.encode("utf-8")).hexdigest()[:12]
    return f"tag:civicradar,2026:change/{change.id}-{digest}"


def change_link(change: Change, feed: FeedConfig) -> str:
    """The change's source page when it is a plain http(s) link, else its page on our site."""
    return safe_url(change.url) or f"{feed.link.rstrip('/')}/changes/{change.id}"


def entry_title(change: Change, jurisdiction_names: dict[str, str]) -> str:
    """``Place · Kind: summary`` (the kind left out when the summary already names it)."""
    place = jurisdiction_names.get(change.jurisdiction_id, change.jurisdiction_id)
    return f"{place} · {headline(change)}"


def entry_html(change: Change, zone: str | None = None) -> str:
    """A short HTML description in which every crawled string is escaped; matched words
    are in ``<strong>`` (feed readers' sanitizers drop ``<mark>``) and only http(s),
    mailto: and tel: links are made."""
    html = Markup("<p>{}</p>").format(change.summary)
    lines = detail_lines(change, zone=zone)
    if lines:
        items = Markup("").join(
            Markup("<li>{}</li>").format(line.html(mark="strong")) for line in lines
        )
        html += Markup("<ul>{}</ul>").format(items)
    return str(html)


def entry_text(change: Change, zone: str | None = None) -> str:
    lines = [change.summary] + [line.text() for line in detail_lines(change, zone=zone)]
    return "\n".join(lines)


def render_feed(
    changes: Sequence[Change],
    feed: FeedConfig,
    fmt: str = "rss",
    *,
    jurisdiction_names: dict[str, str] | None = None,
    self_url: str | None = None,
    subtitle: str | None = None,
    zones: dict[str, str] | None = None,
) -> bytes:
    """The feed document for these changes (given newest first), as UTF-8 XML bytes;
    meeting times in each jurisdiction's zone from ``zones``."""
    if fmt not in FORMATS:
        raise ValueError(f"feed format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    names = jurisdiction_names or {}
    zones = zones or {}
    generator = FeedGenerator()
    generator.id(feed.link)
    title = feed.title if not subtitle else f"{feed.title} ({subtitle})"
    generator.title(title)
    generator.link(href=feed.link, rel="alternate")
    if self_url:
        generator.link(href=self_url, rel="self")
    generator.description(feed.description)
    generator.subtitle(feed.description)
    generator.language("en")
    generator.generator("CivicRadar")
    for change in list(changes)[: feed.max_items]:
        entry = generator.add_entry(order="append")
        entry.id(entry_id(change))
        entry.guid(entry_id(change), permalink=False)
        entry.title(entry_title(change, names))
        entry.link(href=change_link(change, feed))
        entry.published(change.detected_at)
        entry.updated(change.detected_at)
        entry.category(term=change.kind, label=kind_label(change.kind, plural=False))
        zone = zones.get(change.jurisdiction_id)
        if fmt == "rss":
            entry.description(entry_html(change, zone))
        else:
            entry.summary(entry_text(change, zone), type="text")
    if changes:
        generator.updated(max(c.detected_at for c in changes))
        generator.lastBuildDate(max(c.detected_at for c in changes))
    if fmt == "rss":
        return generator.rss_str(pretty=True)
    return generator.atom_str(pretty=True)


def feed_changes(
    session: Session,
    config: Config,
    *,
    jurisdiction: str | None = None,
    kinds: Sequence[str] | None = None,
) -> list[Change]:
    """The newest changes for a feed, newest first, at most ``alerts.feed.max_items``."""
    return list_changes(
        session,
        jurisdiction=jurisdiction,
        kinds=list(kinds or []),
        limit=config.alerts.feed.max_items,
        newest_first=True,
    )


def jurisdiction_names(session: Session, config: Config | None = None) -> dict[str, str]:
    """Display names by jurisdiction id: the store's, overridden by the configuration's."""
    names = {j.id: j.name for j in session.scalars(select(Jurisdiction))}
    if config is not None:
        names.update({j.id: j.name for j in config.jurisdictions})
    return names


def build_feed(
    store: Store,
    config: Config,
    *,
    fmt: str = "rss",
    jurisdiction: str | None = None,
    kinds: Sequence[str] | None = None,
    self_url: str | None = None,
) -> tuple[bytes, int]:
    """The feed bytes for the store's change log (filtered) and how many items it holds."""
    if self_url is None:
        self_url = f"{config.alerts.feed.link.rstrip('/')}/feed.{fmt}"
    with store.session() as session:
        changes = feed_changes(session, config, jurisdiction=jurisdiction, kinds=kinds)
        names = jurisdiction_names(session, config)
        filters = [f for f in (jurisdiction and names.get(jurisdiction, jurisdiction),) if f]
        filters += [kind_label(k) for k in kinds or []]
        body = render_feed(
            changes,
            config.alerts.feed,
            fmt,
            jurisdiction_names=names,
            self_url=self_url,
            subtitle=", ".join(filters) or None,
            zones=config.zones(),
        )
    return body, len(changes)


def write_feed(
    store: Store,
    config: Config,
    path: str | Path,
    *,
    fmt: str = "rss",
    jurisdiction: str | None = None,
    kinds: Sequence[str] | None = None,
) -> int:
    """Write the feed to ``path`` (atomically) and return the number of items written."""
    body, count = build_feed(store, config, fmt=fmt, jurisdiction=jurisdiction, kinds=kinds)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(body)
    partial.replace(target)
    return count
