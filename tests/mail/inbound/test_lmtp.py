"""`helpdesk mail lmtp`: a mail server's LMTP client delivers; the listener stores, the worker
makes tickets. Tested with Python's own LMTP client against the listener process."""

from __future__ import annotations

import smtplib

import pytest

from tests.plugins.database import fresh_database_url
from tests.plugins.mail import PARENT, mail
from tests.plugins.mail_servers import free_port
from tests.plugins.processes import (
    helpdesk_env,
    query_rows,
    run_helpdesk,
    start_helpdesk,
    stop,
    wait_for_port,
)


@pytest.fixture
def listener(request):
    """Start `helpdesk mail lmtp` on a free port with the given environment; its port."""
    started = []

    def start(env: dict[str, str]) -> int:
        port = free_port()
        process = start_helpdesk("mail", "lmtp", "--port", str(port), env=env)
        started.append(process)
        wait_for_port(port, process)
        return port

    yield start
    for process in started:
        code, _, err = stop(process)
        assert code == 0, err


def deliver(port: int, raw: bytes, recipients: list[str]) -> list[tuple[int, bytes]]:
    """One LMTP transaction; the replies after the data, one per recipient (RFC 2033)."""
    with smtplib.LMTP("127.0.0.1", port) as client:
        client.ehlo()
        assert client.mail(PARENT)[0] == 250
        for rcpt in recipients:
            assert client.rcpt(rcpt)[0] == 250
        replies = [client.data(raw)]
        replies += [client.getreply() for _ in recipients[1:]]
    return replies


def test_one_delivery_to_two_recipients_is_stored_once_and_answered_per_recipient(
    process_env, listener
):
    url = process_env["HELPDESK_DATABASE_URL"]
    port = listener(process_env)
    raw = mail(message_id="<lmtp-1@example.org>").replace(b"\n", b"\r\n")  # as MTAs send
    recipients = ["assistance@ac-demo.fr", "assistance+2026-000042@ac-demo.fr"]

    replies = deliver(port, raw, recipients)

    assert [code for code, _ in replies] == [250, 250]
    assert [recipients[0] in replies[0][1].decode(), recipients[1] in replies[1][1].decode()] == [
        True,
        True,
    ]
    [(inbound_id, status, stored)] = query_rows(url, "SELECT id, status, raw FROM inbound_message")
    assert status == "received"
    assert bytes(stored) == (
        b"Delivered-To: assistance@ac-demo.fr\r\n"
        b"Delivered-To: assistance+2026-000042@ac-demo.fr\r\n" + raw
    )

    again = deliver(port, raw, recipients)

    assert [code for code, _ in again] == [250, 250]
    assert f"duplicate {inbound_id}".encode() in again[0][1]
    assert query_rows(url, "SELECT count(*) FROM inbound_message") == [(1,)]

    assert run_helpdesk("worker", "--once", "--no-fetch", env=process_env).returncode == 0
    assert query_rows(url, "SELECT status, from_address FROM inbound_message") == [
        ("created", PARENT)
    ]
    assert query_rows(url, "SELECT count(*) FROM ticket") == [(1,)]


def test_several_messages_on_one_connection(process_env, listener):
    url = process_env["HELPDESK_DATABASE_URL"]
    port = listener(process_env)

    with smtplib.LMTP("127.0.0.1", port) as client:
        for number in range(5):
            refused = client.sendmail(
                PARENT, ["assistance@ac-demo.fr"], mail(subject=f"Demande {number}")
            )
            assert refused == {}

    assert query_rows(url, "SELECT count(*) FROM inbound_message WHERE status = 'received'") == [
        (5,)
    ]


def test_the_mail_server_is_told_to_retry_while_the_database_is_down(tmp_path, listener):
    from helpdesk.core.migrate import upgrade

    url = fresh_database_url(tmp_path, "lmtpdown")
    if url.startswith("sqlite"):
        down = url  # the file does not exist yet
    else:
        down = "postgresql+psycopg://postgres@127.0.0.1:1/absente"
    port = listener(helpdesk_env(down, tmp_path / "instance"))
    raw = mail(message_id="<pendant-la-panne@example.org>")
    recipients = ["assistance@ac-demo.fr", "dpd@ac-demo.fr"]

    replies = deliver(port, raw, recipients)

    assert [code for code, _ in replies] == [451, 451]
    assert b"try again later" in replies[1][1]
    if url.startswith("sqlite"):
        # The database comes back: the same listener stores the message presented again.
        upgrade(url)
        assert [code for code, _ in deliver(port, raw, recipients)] == [250, 250]
        assert query_rows(url, "SELECT count(*) FROM inbound_message") == [(1,)]


def test_a_message_over_the_size_limit_is_refused_for_good(process_env):
    port = free_port()
    process = start_helpdesk(
        "mail", "lmtp", "--port", str(port), "--max-size", "2048", env=process_env
    )
    try:
        wait_for_port(port, process)
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.ehlo()
            client.mail(PARENT)
            client.rcpt("assistance@ac-demo.fr")
            code, _ = client.data(mail(body="\n".join(["x" * 70] * 80)).replace(b"\n", b"\r\n"))
    finally:
        stop(process)

    assert code == 552
    assert query_rows(
        process_env["HELPDESK_DATABASE_URL"], "SELECT count(*) FROM inbound_message"
    ) == [(0,)]
