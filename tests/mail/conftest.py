from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins.mail_servers import (
    Dovecot,
    SmtpServer,
    free_port,
    make_certificate,
    start_dovecot,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "mail"


@pytest.fixture
def fixture_bytes():
    """Read a raw mail from tests/data/mail/."""

    def load(name: str) -> bytes:
        return (DATA / name).read_bytes()

    return load


# -- servers on loopback: SMTP (aiosmtpd) and IMAP (Debian's dovecot) -------------------------


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, trusted by the clients through MAIL_CA_FILE."""
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; `.stop()` and `.start()` keep its port and messages."""
    server = SmtpServer(port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory, tls_files) -> Dovecot:
    server = start_dovecot(tmp_path_factory.mktemp("dovecot"), tls_files)
    yield server
    server.stop()
