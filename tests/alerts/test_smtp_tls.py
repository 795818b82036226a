"""SMTP security: STARTTLS and implicit TLS with a login, credentials never shown or leaked."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from civicradar.alerts.deliver import deliver
from civicradar.alerts.mailer import SendError, smtp_settings

from .conftest import DAY1, SmtpRecorder, free_port

# The implicit-TLS test server trips aiosmtpd's warning meant for plain servers.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
USER, PASSWORD = "radar", "correct horse battery staple"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    cert, key = _self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts our test CA only
    return cert, key


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture(params=["starttls", "implicit"])
def tls_server(request, tls_files) -> Iterator[tuple[str, SmtpRecorder]]:
    recorder = SmtpRecorder()
    port = free_port()
    context = _server_context(*tls_files)
    options: dict[str, Any] = {"authenticator": _authenticator, "auth_required": True}
    if request.param == "starttls":
        options.update(tls_context=context, require_starttls=True)
        url = f"smtp://127.0.0.1:{port}"
    else:
        # aiosmtpd only counts STARTTLS as TLS for AUTH; the socket here is TLS from the start.
        options.update(ssl_context=context, auth_require_tls=False)
        url = f"smtps://127.0.0.1:{port}"
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    yield url, recorder
    controller.stop()


def test_digest_goes_out_over_tls_with_a_login(
    store, seeded, config_for, tls_server, caplog, monkeypatch
):
    url, recorder = tls_server
    monkeypatch.setenv("CIVICRADAR_SMTP_USER", USER)
    monkeypatch.setenv("CIVICRADAR_SMTP_PASSWORD", PASSWORD)
    caplog.set_level(logging.DEBUG)
    config = config_for(
        email={
            "smtp_url": url,
            "sender": "radar@example.org",
            "starttls": "require",
            "recipients": [{"address": "all@example.org"}],
        }
    )
    assert config.alerts.email.password == PASSWORD  # read from the environment
    assert PASSWORD not in repr(smtp_settings(config.alerts.email))
    summary = deliver(store, config, DAY1)
    assert summary.sent == {"all@example.org": 4}
    assert [m["To"] for m in recorder.messages] == ["all@example.org"]
    assert PASSWORD not in caplog.text


def test_wrong_password_fails_without_showing_it(
    store, seeded, config_for, tls_server, caplog, monkeypatch
):
    url, recorder = tls_server
    caplog.set_level(logging.DEBUG)
    config = config_for(
        email={
            "smtp_url": url,
            "sender": "radar@example.org",
            "username": USER,
            "password": "wrong-secret-value",
            "recipients": [{"address": "all@example.org"}],
        }
    )
    summary = deliver(store, config, DAY1)
    assert "535" in summary.failed["all@example.org"]
    assert "wrong-secret-value" not in summary.failed["all@example.org"]
    assert "wrong-secret-value" not in caplog.text
    assert recorder.messages == []


def test_password_is_never_sent_over_a_plain_connection(store, seeded, config_for, smtp_server):
    config = config_for(
        email={
            "smtp_url": smtp_server.url,
            "sender": "radar@example.org",
            "username": USER,
            "password": PASSWORD,
            "recipients": [{"address": "all@example.org"}],
        }
    )
    summary = deliver(store, config, DAY1)
    assert "refusing to send the SMTP password in clear" in summary.failed["all@example.org"]
    assert smtp_server.messages == []


def test_require_starttls_refuses_a_server_without_it(config_for, smtp_server):
    from civicradar.alerts.mailer import Mailer

    config = config_for(
        email={"smtp_url": smtp_server.url, "sender": "r@example.org", "starttls": "require"}
    )
    with pytest.raises(SendError, match="does not offer STARTTLS"):
        Mailer(smtp_settings(config.alerts.email)).connect()
