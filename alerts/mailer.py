"""Sending email over SMTP: implicit TLS (``smtps://``, port 465) or STARTTLS (``smtp://``).

Credentials come from the config (usually from ``CIVICRADAR_SMTP_USER`` /
``CIVICRADAR_SMTP_PASSWORD``); they are never logged and never sent over a connection
that is not encrypted unless ``starttls: never`` says so explicitly (a local relay).
Errors say whether the message may have gone out (``in_doubt``), which the ledger needs.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from urllib.parse import unquote, urlsplit

from civicradar.config.schema import Email

log = logging.getLogger(__name__)


class SendError(Exception):
    """A message was not (or may not have been) accepted; ``in_doubt`` if it may have been."""

    def __init__(self, message: str, *, in_doubt: bool = False) -> None:
        super().__init__(message)
        self.in_doubt = in_doubt


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    starttls: str
    timeout: float
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """Host and port only: safe to print."""
        return f"{self.host}:{self.port}"


def smtp_settings(email: Email) -> SmtpSettings:
    """Read ``smtp_url`` (user and password in the URL are accepted but the config wins)."""
    parts = urlsplit(email.smtp_url)
    implicit = parts.scheme == "smtps"
    if not parts.hostname:
        raise SendError(f"alerts.email.smtp_url has no host: {parts.scheme}://…")
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 587),
        implicit_tls=implicit,
        starttls=email.starttls,
        timeout=email.timeout_seconds,
        username=email.username or (unquote(parts.username) if parts.username else None),
        password=email.password or (unquote(parts.password) if parts.password else None),
    )


class Mailer:
    """One SMTP session for a delivery run; use as a context manager."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def connected(self) -> bool:
        return self._smtp is not None

    def connect(self) -> None:
        """Open, secure and authenticate; any failure here means nothing was sent."""
        s = self.settings
        context = ssl.create_default_context()
        try:
            if s.implicit_tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            self._smtp = smtp
            smtp.ehlo()
            secure = s.implicit_tls
            if not secure and s.starttls != "never" and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
                secure = True
            if not secure and s.starttls == "require":
                raise SendError(f"{s.where} does not offer STARTTLS (starttls: require)")
            if s.username:
                if not secure and s.starttls != "never":
                    raise SendError(
                        f"{s.where} offers no TLS; refusing to send the SMTP password in clear "
                        "(set starttls: never only for a trusted local relay)"
                    )
                smtp.login(s.username, s.password or "")
        except SendError:
            self.close()
            raise
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SendError(f"SMTP {s.where}: {_describe(exc)}") from None

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; raise :class:`SendError` if it was not accepted."""
        if self._smtp is None:
            raise SendError("SMTP connection is closed")
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"recipient refused: {_describe(exc)}") from None
        except smtplib.SMTPResponseException as exc:
            # The server answered with an error code: it did not take the message.
            raise SendError(f"SMTP {self.settings.where}: {_describe(exc)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            # The connection broke mid-conversation: the message may or may not be queued.
            self.close()
            raise SendError(
                f"SMTP {self.settings.where}: {_describe(exc)}", in_doubt=True
            ) from None
        if refused:
            raise SendError(f"recipient refused: {sorted(refused)}")

    def close(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self._smtp.close()
        self._smtp = None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error
        text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
