"""Webhooks: one signed JSON POST per batch of changes, retried with backoff.

The body is ``{"batch", "sent_at", "changes": [...]}`` with the contract's change objects
(addresses removed). ``X-CivicRadar-Signature: sha256=<hex>`` is the HMAC-SHA256 of the
exact body bytes with the shared secret; ``X-CivicRadar-Delivery`` is the batch id, the
same on every retry of that batch, so a receiver can drop a duplicate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from tenacity import (
    RetryError,
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from civicradar.alerts.public import matches_filters, public_change
from civicradar.config.schema import Config
from civicradar.models.tables import Change

SIGNATURE_HEADER = "X-CivicRadar-Signature"
DELIVERY_HEADER = "X-CivicRadar-Delivery"
ATTEMPTS = 4
BACKOFF_SECONDS = 0.25
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class WebhookTarget:
    """Where to POST and which changes go there (from alerts.webhooks or a recipient)."""

    url: str
    secret: str | None
    jurisdictions: list[str] | None
    kinds: list[str] | None
    terms: list[str] | None = None

    def wants(self, change: Change) -> bool:
        return matches_filters(
            change, jurisdictions=self.jurisdictions, kinds=self.kinds, terms=self.terms
        )


class WebhookError(Exception):
    """The receiver did not accept the batch; ``in_doubt`` if it may have processed it."""

    def __init__(self, message: str, *, in_doubt: bool) -> None:
        super().__init__(message)
        self.in_doubt = in_doubt


class _Retryable(Exception):
    """A 5xx answer or a network failure: worth trying again shortly."""

    def __init__(self, message: str, *, in_doubt: bool) -> None:
        super().__init__(message)
        self.in_doubt = in_doubt


def targets(config: Config) -> list[WebhookTarget]:
    """Every configured webhook; a URL listed twice is one target (first one wins)."""
    found: dict[str, WebhookTarget] = {}
    for hook in config.alerts.webhooks:
        found.setdefault(
            hook.url,
            WebhookTarget(
                hook.url, hook.secret, hook.jurisdictions, list(hook.kinds) if hook.kinds else None
            ),
        )
    if config.alerts.email:
        for r in config.alerts.email.recipients:
            if r.webhook:
                found.setdefault(
                    r.webhook,
                    WebhookTarget(
                        r.webhook,
                        r.webhook_secret,
                        r.jurisdictions,
                        list(r.kinds) if r.kinds else None,
                        r.terms,
                    ),
                )
    return list(found.values())


def payload(batch: str, changes: Sequence[Change], now: dt.datetime) -> bytes:
    body = {
        "batch": batch,
        "sent_at": now.isoformat(),
        "changes": [public_change(c) for c in changes],
    }
    return json.dumps(body, ensure_ascii=False, default=str, sort_keys=True).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post_batch(
    target: WebhookTarget, batch: str, body: bytes, *, client: httpx.Client | None = None
) -> int:
    """POST the batch, retrying 5xx and network errors with exponential backoff."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CivicRadar-webhook/1",
        DELIVERY_HEADER: batch,
    }
    if target.secret:
        headers[SIGNATURE_HEADER] = signature(target.secret, body)
    own_client = client is None
    http = client or httpx.Client(timeout=TIMEOUT_SECONDS)

    @retry(
        retry=retry_if_exception(lambda e: isinstance(e, _Retryable)),
        stop=stop_after_attempt(ATTEMPTS),
        wait=wait_exponential(multiplier=BACKOFF_SECONDS, max=8),
        reraise=False,
    )
    def attempt() -> int:
        try:
            response = http.post(target.url, content=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}", in_doubt=False) from None
        except httpx.TransportError as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}", in_doubt=True) from None
        if response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}", in_doubt=True)
        if response.status_code >= 300:
            raise WebhookError(f"HTTP {response.status_code}", in_doubt=False)
        return response.status_code

    try:
        return attempt()
    except RetryError as exc:
        last = exc.last_attempt.exception()
        in_doubt = bool(getattr(last, "in_doubt", True))
        raise WebhookError(f"{last} after {ATTEMPTS} attempts", in_doubt=in_doubt) from None
    finally:
        if own_client:
            http.close()
