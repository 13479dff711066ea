"""The outbox sender against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from helpdesk.core.db import make_engine, make_sessionmaker, utcnow
from helpdesk.mail.models import OutboxMessage
from helpdesk.mail.outbound import sender
from helpdesk.mail.settings import MailSettings
from helpdesk.tickets import services
from tests.plugins.database import fresh_database_url
from tests.plugins.mail import settings_for
from tests.plugins.mail_servers import SMTP_PASSWORD, SmtpServer, free_port


@pytest.fixture
def factory(app, db_session):
    """Sessions on the test's connection: what the sender commits stays inside the test."""
    return app.extensions["helpdesk_db"].session_factory


def outbox(db_session, **where) -> list[OutboxMessage]:
    db_session.expire_all()
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(OutboxMessage, name) == value)
    return list(db_session.scalars(stmt))


def test_a_notification_goes_out_threaded_in_text_and_html(
    db_session, factory, make_ticket, smtp_server
):
    ticket = make_ticket(email_message_id="<premier@parent.example.org>")
    [row] = outbox(db_session, ticket_id=ticket.id)

    report = sender.send_pending(factory, settings_for(smtp_server))

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [delivered] = smtp_server.received
    message = delivered.message
    assert delivered.rcpt_tos == ["claire.martin@example.org"]
    assert delivered.mail_from == "assistance@ac-test.fr"
    assert message["Message-ID"] == row.message_id
    assert message["Subject"].startswith(f"[{ticket.reference}] ")
    assert message["In-Reply-To"] == "<premier@parent.example.org>"
    assert message["References"].split() == [
        f"<ticket-{ticket.reference}@ac-demo.fr>",
        "<premier@parent.example.org>",
    ]
    assert message["Reply-To"] == "assistance@ac-test.fr"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert ticket.reference in plain and "/suivi/" in plain
    assert "<p>" in html and ticket.reference in html
    [sent] = outbox(db_session, ticket_id=ticket.id)
    assert sent.status == "sent" and sent.sent_at is not None and sent.attempts == 1


def test_reply_to_carries_the_reference_when_plus_addressing_is_on(
    db_session, factory, make_ticket, smtp_server
):
    ticket = make_ticket()
    sender.send_pending(factory, settings_for(smtp_server, plus_addressing=True))
    [delivered] = smtp_server.received
    assert delivered.message["Reply-To"] == f"assistance+{ticket.reference}@ac-test.fr"
    assert delivered.message["X-Helpdesk-Ticket"] == ticket.reference


def test_server_down_then_back_loses_nothing_and_doubles_nothing(
    db_session, factory, make_ticket, make_user, ctx, smtp_server
):
    agent = make_user("agent")
    tickets = [make_ticket(requester_email=f"parent{i}@example.org") for i in range(3)]
    services.add_message(db_session, ctx, tickets[0], agent, "Pouvez-vous préciser ?")
    expected = {row.message_id for row in outbox(db_session)}
    assert len(expected) == 4
    settings = settings_for(smtp_server)
    start = utcnow()

    smtp_server.stop()
    down = sender.send_pending(factory, settings, now=start)
    assert (down.sent, down.retried, down.failed) == (0, 4, 0)
    assert "refusée" in down.errors[0]
    rows = outbox(db_session)
    assert {row.status for row in rows} == {"pending"}
    assert all(row.attempts == 1 for row in rows)
    assert all(row.next_attempt_at == start + sender.backoff(1) for row in rows)
    assert all("Connexion refusée" in row.last_error for row in rows)
    # Not due yet: nothing is tried again before the back-off.
    assert sender.send_pending(factory, settings, now=start + timedelta(seconds=30)).retried == 0

    smtp_server.start()
    back = sender.send_pending(factory, settings, now=start + timedelta(minutes=2))
    assert back.sent == 4
    assert sorted(smtp_server.message_ids()) == sorted(expected)
    again = sender.send_pending(factory, settings, now=start + timedelta(hours=1))
    assert again.sent == 0
    assert len(smtp_server.received) == 4
    assert {row.status for row in outbox(db_session)} == {"sent"}


def test_server_stopping_in_the_middle_of_a_batch(db_session, factory, make_ticket, smtp_server):
    for i in range(5):
        make_ticket(requester_email=f"parent{i}@example.org")
    settings = settings_for(smtp_server)

    class StopsAfterTwo(sender.SmtpConnection):
        sent = 0

        def send(self, message, to_address):
            if StopsAfterTwo.sent == 2:
                smtp_server.stop()
            super().send(message, to_address)
            StopsAfterTwo.sent += 1

    start = utcnow()
    report = sender.send_pending(factory, settings, now=start, connect=StopsAfterTwo)
    assert (report.sent, report.retried) == (2, 3)
    assert [row.status for row in outbox(db_session)] == ["sent"] * 2 + ["pending"] * 3

    smtp_server.start()
    later = sender.send_pending(factory, settings, now=start + timedelta(minutes=5))
    assert later.sent == 3
    ids = smtp_server.message_ids()
    assert len(ids) == len(set(ids)) == 5


def test_a_crash_after_acceptance_resends_with_the_same_message_id(
    db_session, factory, make_ticket, smtp_server, monkeypatch
):
    make_ticket()
    settings = settings_for(smtp_server)
    start = utcnow()

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sender, "_mark_sent", crash)
    with pytest.raises(KeyboardInterrupt):
        sender.send_pending(factory, settings, now=start)
    monkeypatch.undo()
    [row] = outbox(db_session)
    assert row.status == "pending" and row.next_attempt_at == start + sender.LEASE
    # Another sender leaves it alone while the lease runs.
    assert sender.send_pending(factory, settings, now=start + timedelta(minutes=1)).sent == 0

    report = sender.send_pending(factory, settings, now=start + sender.LEASE)
    assert report.sent == 1
    first, second = smtp_server.message_ids()
    assert first == second == row.message_id


def test_refused_recipient_fails_for_good_and_flags_the_address(
    db_session, factory, make_ticket, smtp_server
):
    bad = make_ticket(requester_email="inconnu@example.org")
    good = make_ticket(requester_email="connu@example.org")
    smtp_server.refused.add("inconnu@example.org")

    report = sender.send_pending(factory, settings_for(smtp_server))

    assert (report.sent, report.failed) == (1, 1)
    [failed] = outbox(db_session, ticket_id=bad.id)
    assert failed.status == "failed" and "550" in failed.last_error
    db_session.refresh(bad)
    db_session.refresh(good)
    assert bad.requester_email_failing and not good.requester_email_failing


def test_retries_end_after_the_last_attempt(db_session, factory, make_ticket):
    make_ticket()
    [row] = outbox(db_session)
    row.attempts = sender.MAX_ATTEMPTS - 1
    db_session.flush()
    closed = MailSettings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout=2)

    report = sender.send_pending(factory, closed)

    assert (report.retried, report.failed) == (0, 1)
    [row] = outbox(db_session)
    assert row.status == "failed" and row.attempts == sender.MAX_ATTEMPTS


def test_backoff_doubles_then_levels_off():
    delays = [sender.backoff(n) for n in range(1, sender.MAX_ATTEMPTS + 1)]
    assert delays[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert delays[-1] == sender.BACKOFF_MAX
    assert sum(delays, timedelta()) > timedelta(hours=20)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_encrypted_and_authenticated_delivery(
    db_session, factory, make_ticket, tls_files, security
):
    server = SmtpServer(port=free_port(), security=security, tls=tls_files)
    server.start()
    try:
        make_ticket()
        report = sender.send_pending(factory, settings_for(server, tls_files))
        assert report.sent == 1, report.errors
        assert len(server.received) == 1

        make_ticket(requester_email="autre@example.org")
        wrong = settings_for(server, tls_files, smtp_password="mauvais")
        refused = sender.send_pending(factory, wrong)
        assert refused.retried == 1 and "Authentification SMTP refusée" in refused.errors[0]
        untrusted = settings_for(server, None, smtp_password=SMTP_PASSWORD)
        report = sender.send_pending(factory, untrusted, now=utcnow() + timedelta(minutes=2))
        assert report.retried == 1 and "TLS" in report.errors[0]
    finally:
        server.stop()
    assert len(server.received) == 1


def test_several_senders_and_connections_at_once_send_each_message_once(tmp_path, smtp_server):
    url = fresh_database_url(tmp_path, "senders")
    from helpdesk.core.migrate import upgrade

    upgrade(url)
    engines = [make_engine(url) for _ in range(3)]
    try:
        with make_sessionmaker(engines[0])() as session:
            for n in range(90):
                session.add(
                    OutboxMessage(
                        kind="request_received",
                        to_address=f"parent{n}@example.org",
                        subject=f"Message {n}",
                        body_text="Bonjour",
                        message_id=f"<concurrent-{n}@ac-test.fr>",
                    )
                )
            session.commit()
        settings = settings_for(smtp_server)
        reports: list = []

        def work(engine):
            factory = make_sessionmaker(engine)
            reports.append(sender.send_pending(factory, settings, batch_size=7, connections=2))

        threads = [threading.Thread(target=work, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sum(report.sent for report in reports) == 90
        ids = smtp_server.message_ids()
        assert len(ids) == len(set(ids)) == 90
        with make_sessionmaker(engines[0])() as session:
            statuses = session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        assert statuses == [("sent", 90)]
    finally:
        for engine in engines:
            engine.dispose()


def test_send_command(tmp_path, monkeypatch, smtp_server):
    from helpdesk.cli import main
    from helpdesk.core.migrate import upgrade

    url = fresh_database_url(tmp_path, "sendcli")
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        session.add(
            OutboxMessage(
                kind="request_received",
                to_address="parent@example.org",
                subject="Essai",
                body_text="Bonjour",
                message_id="<cli@ac-test.fr>",
            )
        )
        session.commit()
    engine.dispose()
    for name, value in {
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "CLASSIFY_ENABLED": "0",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_server.port),
        "SMTP_SECURITY": "none",
    }.items():
        monkeypatch.setenv(f"HELPDESK_{name}", value)

    result = CliRunner().invoke(main, ["mail", "send", "--once"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "Envoyés : 1" in result.output
    assert smtp_server.message_ids() == ["<cli@ac-test.fr>"]


def test_run_forever_stops_when_asked():
    calls = []
    stop_after = 3

    def step():
        calls.append(1)

    sender.run_forever(step, 10, lambda: len(calls) >= stop_after, sleep=lambda s: None)
    assert len(calls) == stop_after
