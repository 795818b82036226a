"""The daily digest: which changes a reader gets, in what order, and the message itself.

Both parts are rendered from Jinja2 templates in ``alerts/templates``; the HTML one with
autoescaping, so crawled text can never become markup. The subject holds only the date
and counts (no crawled text), so nothing from a page can reach a header.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from civicradar.alerts.details import Detail, detail_lines
from civicradar.alerts.kinds import by_importance, kind_label, kind_rank
from civicradar.alerts.meeting_time import meeting_time
from civicradar.alerts.public import matches_filters, safe_url
from civicradar.config.schema import Config, Recipient
from civicradar.models.tables import Change

_templates = Environment(
    loader=PackageLoader("civicradar.alerts", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass
class ChangeView:
    """One change as a reader sees it: text, link and labelled lines (no addresses)."""

    id: int
    summary: str
    link: str
    lines: list[Detail]
    detected_at: dt.datetime
    past: bool = False  # a meeting that took place before the digest's day


@dataclass
class KindGroup:
    kind: str
    label: str
    changes: list[ChangeView]


@dataclass
class PlaceGroup:
    jurisdiction_id: str
    name: str
    kinds: list[KindGroup] = field(default_factory=list)


# Kinds about one meeting: listed in calendar order, upcoming ones first.
MEETING_KINDS = frozenset({"agenda_match", "meeting_change"})


def recipient_wants(recipient: Recipient, change: Change) -> bool:
    return matches_filters(
        change,
        jurisdictions=recipient.jurisdictions,
        kinds=list(recipient.kinds) if recipient.kinds else None,
        terms=recipient.terms,
    )


def view(change: Change, site: str, *, day: dt.date, zone: str | None = None) -> ChangeView:
    when = meeting_time(change.data or {}, zone) if change.kind in MEETING_KINDS else None
    return ChangeView(
        id=change.id,
        summary=change.summary,
        link=safe_url(change.url) or f"{site.rstrip('/')}/changes/{change.id}",
        lines=detail_lines(change, zone=zone),
        detected_at=change.detected_at,
        past=when is not None and when.is_past(day),
    )


def in_meeting_order(changes: list[Change], day: dt.date, zones: dict[str, str]) -> list[Change]:
    """Upcoming meetings first, each part in calendar order (date, then time)."""

    def key(change: Change) -> tuple[bool, dt.date, dt.time, int]:
        when = meeting_time(change.data or {}, zones.get(change.jurisdiction_id))
        if when is None:
            return True, dt.date.max, dt.time.max, change.id
        return (when.is_past(day), *when.order(), change.id)

    return sorted(changes, key=key)


def group_changes(
    changes: list[Change],
    names: dict[str, str],
    site: str,
    *,
    day: dt.date,
    zones: dict[str, str] | None = None,
) -> list[PlaceGroup]:
    """By jurisdiction, then kind; the place and kind holding the most important change first.

    Within a kind, changes go by importance, except meetings: in calendar order."""
    zones = zones or {}
    places: dict[str, dict[str, list[Change]]] = {}
    for change in by_importance(changes):
        places.setdefault(change.jurisdiction_id, {}).setdefault(change.kind, []).append(change)

    def weight(items: list[Change]) -> int:
        return max(c.importance or 0 for c in items)

    groups = []
    ordered_places = sorted(
        places.items(),
        key=lambda p: (-max(weight(v) for v in p[1].values()), names.get(p[0], p[0])),
    )
    for jurisdiction_id, kinds in ordered_places:
        place = PlaceGroup(jurisdiction_id, names.get(jurisdiction_id, jurisdiction_id))
        zone = zones.get(jurisdiction_id)
        for kind, items in sorted(kinds.items(), key=lambda k: (-weight(k[1]), kind_rank(k[0]))):
            if kind in MEETING_KINDS:
                items = in_meeting_order(items, day, zones)
            views = [view(c, site, day=day, zone=zone) for c in items]
            place.kinds.append(KindGroup(kind, kind_label(kind), views))
        groups.append(place)
    return groups


def subject_line(prefix: str, day: dt.date, changes: list[Change]) -> str:
    if not changes:
        return f"{prefix} {day:%a %d %b %Y}: nothing new".strip()
    counts = Counter(c.kind for c in changes)
    parts = [
        f"{n} {kind_label(kind, plural=n != 1).lower()}"
        for kind, n in sorted(counts.items(), key=lambda k: kind_rank(k[0]))
    ]
    total = len(changes)
    noun = "change" if total == 1 else "changes"
    return f"{prefix} {day:%a %d %b %Y}: {total} {noun} ({', '.join(parts)})".strip()


def why_received(recipient: Recipient | None, names: dict[str, str]) -> str:
    """The footer's explanation of the reader's filters, in words."""
    if recipient is None:
        return "this preview holds every change, as a reader without filters would get it."
    places = (
        ", ".join(names.get(j, j) for j in recipient.jurisdictions)
        if recipient.jurisdictions
        else "every jurisdiction watched"
    )
    kinds = (
        ", ".join(kind_label(k).lower() for k in recipient.kinds)
        if recipient.kinds
        else "every kind of change"
    )
    text = f"{recipient.address} is subscribed to CivicRadar alerts for {places}; {kinds}"
    if recipient.terms:
        text += " mentioning " + ", ".join(f"“{t}”" for t in recipient.terms)
    return text + "."


def unsubscribe_headers(config: Config, recipient: Recipient) -> dict[str, str]:
    """``List-Unsubscribe`` (RFC 2369) and, for https links, one-click (RFC 8058)."""
    email = config.alerts.email
    assert email is not None
    target = email.unsubscribe
    if target:
        target = target.replace("{address}", quote(recipient.address, safe="@"))
    else:
        target = f"mailto:{email.sender}?subject={quote('unsubscribe ' + recipient.address)}"
    headers = {"List-Unsubscribe": f"<{target}>"}
    if target.startswith("https://"):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def message_id(batch: str, sender: str) -> str:
    return f"<civicradar.{batch}@{sender.rpartition('@')[2]}>"


_URL = re.compile(r"\b(?:https?|mailto):\S+")


def wrap(text: str, indent: str = "", hang: str | None = None, width: int = 76) -> str:
    """A paragraph of the plain part, wrapped at spaces. A URL is never split, and one
    that ends the paragraph ("Agenda (PDF): https://...") stays after its label."""
    urls: list[str] = []

    def hold(found: re.Match[str]) -> str:
        urls.append(found.group(0))
        token = f"\x00{len(urls) - 1}\x00"
        return token if found.end() == len(text) else token.ljust(len(found.group(0)), "\x01")

    filled = textwrap.fill(
        _URL.sub(hold, text),
        width=width,
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return re.sub("\x00(\\d+)\x00\x01*", lambda m: urls[int(m.group(1))], filled)


_templates.filters["wrap"] = wrap


def render_parts(
    config: Config,
    recipient: Recipient | None,
    changes: list[Change],
    *,
    day: dt.date,
    names: dict[str, str],
    unsubscribe: str | None = None,
) -> tuple[str, str]:
    """The digest's plain-text and HTML bodies (``recipient`` None: an unfiltered preview)."""
    context = {
        "title": config.alerts.feed.title,
        "initiative": config.initiative.name,
        "day": day,
        "day_text": f"{day:%A %d %B %Y}",
        "groups": group_changes(
            changes, names, config.alerts.feed.link, day=day, zones=config.zones()
        ),
        "count": len(changes),
        "why": why_received(recipient, names),
        "unsubscribe": unsubscribe,
        "site": config.alerts.feed.link,
    }
    text = _templates.get_template("digest.txt").render(context)
    html = _templates.get_template("digest.html").render(context)
    return text, html


def compose(
    config: Config,
    recipient: Recipient,
    changes: list[Change],
    *,
    day: dt.date,
    batch: str,
    names: dict[str, str],
    now: dt.datetime,
) -> EmailMessage:
    """The multipart (plain text + HTML) digest for one reader and one batch."""
    email = config.alerts.email
    assert email is not None
    unsubscribe = unsubscribe_headers(config, recipient)
    text, html = render_parts(
        config,
        recipient,
        changes,
        day=day,
        names=names,
        unsubscribe=unsubscribe["List-Unsubscribe"].strip("<>"),
    )
    message = EmailMessage()
    message["From"] = email.sender
    message["To"] = recipient.address
    message["Subject"] = subject_line(email.subject_prefix, day, changes)
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Message-ID"] = message_id(batch, email.sender)
    message["List-Id"] = f"CivicRadar digest <digest.civicradar.{email.sender.rpartition('@')[2]}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-CivicRadar-Batch"] = batch
    for name, value in unsubscribe.items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
