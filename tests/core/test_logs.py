"""Logs carry neither tracking tokens nor personal data: captured from the real writers."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from helpdesk.core.db import make_engine
from helpdesk.core.migrate import upgrade
from helpdesk.tickets.models import Ticket
from helpdesk.util.tracking import make_token

ROOT = Path(__file__).resolve().parents[2]


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_werkzeug_access_log_masks_the_tracking_token(app, caplog):
    token = make_token(app.config["SECRET_KEY"], 987654, "2026-987654")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        assert fetch(f"{base}/suivi/{token}") == 404
        assert fetch(f"{base}/donnees-personnelles?source=pied") == 200
    finally:
        server.shutdown()
        thread.join(5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("GET /suivi/*** HTTP/1.1" in line and "404" in line for line in lines), lines
    assert token not in caplog.text
    # Other paths are logged as they are.
    assert any("/donnees-personnelles?source=pied" in line for line in lines)


def test_gunicorn_access_log_masks_the_tracking_token(tmp_path):
    port = free_port()
    access = tmp_path / "access.log"
    database = f"sqlite:///{tmp_path / 'gunicorn.db'}"
    upgrade(database)
    env = {
        **os.environ,
        "HELPDESK_DATABASE_URL": database,
        "HELPDESK_INSTANCE_PATH": str(tmp_path / "instance"),
        "HELPDESK_SECRET_KEY": "gunicorn-log-test",
        "HELPDESK_CLASSIFY_ENABLED": "0",
    }
    token = make_token("gunicorn-log-test", 42, "2026-000042")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "--access-logfile", str(access)]
        + ["helpdesk.wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status = fetch(f"http://127.0.0.1:{port}/suivi/{token}")
                break
            except OSError:  # not listening yet (URLError, refused, reset)
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        assert status == 404
        assert fetch(f"http://127.0.0.1:{port}/suivi/not-a-token-at-all?jeton=abcdef") == 404
        fetch(f"http://127.0.0.1:{port}/contact?email=parent.secret@example.org")
        fetch(f"http://127.0.0.1:{port}/contact?courriel=pere.secret%40example.org")
    finally:
        process.terminate()
        process.wait(10)
    log = access.read_text()
    assert '"GET /suivi/*** HTTP/1.1" 404' in log
    assert token not in log
    assert "not-a-token-at-all" not in log and "abcdef" not in log
    assert "parent.secret" not in log and "***@example.org" in log
    assert "pere.secret" not in log and "***%40example.org" in log
    assert '"GET /contact?' in log


def test_application_messages_are_scrubbed(app, caplog):
    token = make_token(app.config["SECRET_KEY"], 5, "2026-000005")
    logger = logging.getLogger("helpdesk.mail.sender")
    with caplog.at_level(logging.INFO):
        logger.warning("sent %s to %s", f"http://helpdesk.test/suivi/{token}", "lea.d@example.org")
        logger.info("mailbox %s: %s", "assistance", "connexion refusée")
        try:
            raise ValueError(f"bad address lea.d@example.org at /suivi/{token}")
        except ValueError:
            logger.exception("inbound message could not be handled")
    assert token not in caplog.text and "lea.d@" not in caplog.text
    assert "sent http://helpdesk.test/suivi/*** to ***@example.org" in caplog.text
    assert "mailbox assistance: connexion refusée" in caplog.text
    assert "ValueError: bad address ***@example.org at /suivi/***" in caplog.text


def test_sql_parameters_stay_out_of_the_logs(app, database_url, caplog):
    secret_phone = "0611223344"
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            conn.execute(select(Ticket.id).where(Ticket.requester_phone == secret_phone)).all()
    finally:
        engine.dispose()
    assert "FROM ticket" in caplog.text
    assert secret_phone not in caplog.text
    caplog.clear()

    # The same statement on an engine that shows its parameters: the check above can fail.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    engine = make_engine(database_url, hide_parameters=False)
    try:
        with engine.connect() as conn:
            conn.execute(select(Ticket.id).where(Ticket.requester_phone == secret_phone)).all()
    finally:
        engine.dispose()
    assert secret_phone in caplog.text
