"""IMAP polling against a real dovecot on loopback (installed and started by the fixtures)."""

from __future__ import annotations

import imaplib
import ssl

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from helpdesk.mail.inbound import imap
from helpdesk.mail.inbound.ingest import ingest_message
from helpdesk.mail.models import InboundMessage, Mailbox
from helpdesk.tickets.models import Ticket
from tests.plugins.mail import mail


@pytest.fixture
def factory(app, db_session):
    return app.extensions["helpdesk_db"].session_factory


@pytest.fixture
def account(dovecot):
    """A fresh mailbox on the server: (user, password)."""
    return dovecot.add_user()


def box_for(dovecot, account, security="starttls", **overrides) -> imap.MailboxConfig:
    user, password = account
    values = {
        "name": "Assistance",
        "host": "127.0.0.1",
        "port": dovecot.imaps_port if security == "ssl" else dovecot.imap_port,
        "security": security,
        "username": user,
        "password": password,
        "ca_file": dovecot.ca_file,
        "timeout": 10,
    }
    values.update(overrides)
    return imap.MailboxConfig(**values)


def client(dovecot, account) -> imaplib.IMAP4:
    connection = imaplib.IMAP4("127.0.0.1", dovecot.imap_port, timeout=10)
    connection.starttls(ssl_context=ssl.create_default_context(cafile=dovecot.ca_file))
    connection.login(*account)
    return connection


def deliver(dovecot, account, *messages: bytes) -> None:
    connection = client(dovecot, account)
    try:
        for raw in messages:
            status, _ = connection.append("INBOX", None, None, raw)
            assert status == "OK"
    finally:
        connection.logout()


def folder_counts(dovecot, account, processed="Traités") -> tuple[int, int]:
    connection = client(dovecot, account)
    try:
        counts = []
        for folder in ("INBOX", processed):
            status, data = connection.select(imap.encode_folder(folder), readonly=True)
            counts.append(int(data[0]) if status == "OK" else -1)
        return counts[0], counts[1]
    finally:
        connection.logout()


def tickets_from(db_session, *addresses) -> int:
    db_session.expire_all()
    return db_session.scalar(
        select(func.count()).select_from(Ticket).where(Ticket.requester_email.in_(addresses))
    )


def test_folder_names_are_quoted_in_modified_utf7():
    assert imap.encode_folder("INBOX") == '"INBOX"'
    assert imap.encode_folder("Traités") == '"Trait&AOk-s"'
    assert imap.encode_folder('A&B "x"') == '"A&-B \\"x\\""'


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_fetch_ingests_each_message_then_moves_it(
    db_session, factory, ctx, dovecot, account, security
):
    deliver(
        dovecot,
        account,
        mail(sender="parent.un@example.org", subject="Code SMS"),
        mail(sender="parent.deux@example.org", subject="Mot de passe oublié"),
        mail(sender="parent.trois@example.org", subject="Compte bloqué"),
    )

    report = imap.fetch_mailbox(factory, ctx, box_for(dovecot, account, security))

    assert report.error is None
    assert (report.seen, report.moved, report.ingested) == (3, 3, {"created": 3})
    assert folder_counts(dovecot, account) == (0, 3)
    addresses = ("parent.un@example.org", "parent.deux@example.org", "parent.trois@example.org")
    assert tickets_from(db_session, *addresses) == 3
    assert imap.fetch_mailbox(factory, ctx, box_for(dovecot, account, security)).seen == 0


def test_an_interrupted_fetch_is_safe_to_run_again(db_session, factory, ctx, dovecot, account):
    addresses = [f"parent{n}@example.org" for n in range(4)]
    deliver(dovecot, account, *(mail(sender=a, subject=f"Demande {a}") for a in addresses))
    calls = []

    def interrupted(session, ctx_, raw, mailbox_id=None):
        calls.append(raw)
        result = ingest_message(session, ctx_, raw, mailbox_id=mailbox_id)
        if len(calls) == 2:
            session.commit()  # stored, then the process dies before the message is moved
            raise KeyboardInterrupt
        return result

    with pytest.raises(KeyboardInterrupt):
        imap.fetch_mailbox(factory, ctx, box_for(dovecot, account), ingest=interrupted)
    assert folder_counts(dovecot, account) == (3, 1)
    assert tickets_from(db_session, *addresses) == 2

    report = imap.fetch_mailbox(factory, ctx, box_for(dovecot, account))

    assert report.ingested == {"duplicate": 1, "created": 2}
    assert folder_counts(dovecot, account) == (0, 4)
    assert tickets_from(db_session, *addresses) == 4


def test_a_message_is_left_in_the_inbox_when_it_cannot_be_stored(
    db_session, factory, ctx, dovecot, account
):
    deliver(dovecot, account, mail(sender="parent.x@example.org"))

    def database_down(*args, **kwargs):
        raise ConnectionError("base de données injoignable")

    with pytest.raises(ConnectionError):
        imap.fetch_mailbox(factory, ctx, box_for(dovecot, account), ingest=database_down)
    assert folder_counts(dovecot, account) == (1, 0)
    assert imap.fetch_mailbox(factory, ctx, box_for(dovecot, account)).moved == 1


def test_another_processed_folder_and_unparseable_messages(
    db_session, factory, ctx, dovecot, account
):
    garbage = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 300
    deliver(dovecot, account, garbage)
    box = box_for(dovecot, account, processed_folder="Helpdesk Archivés")

    report = imap.fetch_mailbox(factory, ctx, box)

    assert report.ingested == {"unparseable": 1}
    assert folder_counts(dovecot, account, "Helpdesk Archivés") == (0, 1)
    db_session.expire_all()
    kept = db_session.scalars(
        select(InboundMessage).where(InboundMessage.status == "unparseable")
    ).one()
    assert kept.raw.startswith(garbage[:8]) and "Outlook" in kept.error


def test_wrong_password_is_reported_and_recorded(db_session, factory, ctx, dovecot, account):
    row = Mailbox(
        name="Assistance",
        host="127.0.0.1",
        port=dovecot.imap_port,
        security="starttls",
        username=account[0],
        password="pas-le-bon",
        folder="INBOX",
        processed_folder="Traités",
    )
    db_session.add(row)
    db_session.flush()
    config = {"MAIL_CA_FILE": dovecot.ca_file}

    reports = imap.fetch_all(factory, ctx, config)

    assert len(reports) == 1 and "refusé" in reports[0].error
    db_session.refresh(row)
    assert row.last_polled_at is not None and "refusé" in row.last_error
    with pytest.raises(imap.ImapError):
        imap.check_connection(imap.MailboxConfig.from_row(row, dovecot.ca_file))


def test_an_untrusted_certificate_is_refused(db_session, factory, ctx, dovecot, account):
    report = imap.fetch_mailbox(factory, ctx, box_for(dovecot, account, "ssl", ca_file=None))
    assert "TLS" in report.error


def test_fetch_command_polls_the_mailbox_of_the_environment(
    tmp_path, monkeypatch, dovecot, account
):
    from helpdesk.cli import main
    from helpdesk.core.db import make_engine, make_sessionmaker
    from helpdesk.core.migrate import upgrade
    from tests.plugins.database import fresh_database_url

    url = fresh_database_url(tmp_path, "fetchcli")
    upgrade(url)
    deliver(dovecot, account, mail(sender="parent.cli@example.org"))
    for name, value in {
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "CLASSIFY_ENABLED": "0",
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": str(dovecot.imaps_port),
        "IMAP_SECURITY": "ssl",
        "IMAP_USER": account[0],
        "IMAP_PASSWORD": account[1],
        "MAIL_CA_FILE": dovecot.ca_file,
    }.items():
        monkeypatch.setenv(f"HELPDESK_{name}", value)

    result = CliRunner().invoke(main, ["mail", "fetch"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "1 message(s) (created : 1), 1 déplacé(s)" in result.output
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
    engine.dispose()


def test_servers_without_move_get_copy_then_expunge(
    db_session, factory, ctx, dovecot, account, monkeypatch
):
    monkeypatch.setattr(imap, "_capabilities", lambda client: {"IMAP4REV1"})
    deliver(dovecot, account, mail(sender="a@example.org"), mail(sender="b@example.org"))

    report = imap.fetch_mailbox(factory, ctx, box_for(dovecot, account))

    assert (report.moved, report.error) == (2, None)
    assert folder_counts(dovecot, account) == (0, 2)
