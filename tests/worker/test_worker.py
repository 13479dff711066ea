"""`helpdesk worker` as it runs in production: a process of its own, beside the mail server's
deliveries, alone or with a second worker on the same database."""

from __future__ import annotations

from tests.plugins.mail import mail
from tests.plugins.processes import query_rows, run_helpdesk, start_helpdesk, stop, wait_for


def _ingest(env, count: int, prefix: str) -> None:
    for number in range(count):
        raw = mail(
            subject=f"Code SMS jamais reçu ({prefix} {number})",
            sender=f"Parent {number} <parent.{prefix}.{number}@example.org>",
            message_id=f"<{prefix}-{number}@example.org>",
        )
        done = run_helpdesk("mail", "ingest", env=env, input=raw)
        assert done.returncode == 0, done.stderr


def test_a_running_worker_turns_deliveries_into_categorised_tickets_and_beats(process_env):
    url = process_env["HELPDESK_DATABASE_URL"]
    env = dict(process_env, HELPDESK_CLASSIFY_ENABLED="1")
    worker = start_helpdesk("worker", "--interval", "0.2", "--no-fetch", env=env)
    try:
        _ingest(env, 3, "vivant")
        wait_for(
            lambda: (
                query_rows(url, "SELECT count(*) FROM inbound_message WHERE status = 'created'")
                == [(3,)]
            ),
            timeout=120,
            what="three tickets",
        )
    finally:
        code, _, err = stop(worker)

    assert code == 0, err
    tickets = query_rows(url, "SELECT channel, nature, motif FROM ticket ORDER BY id")
    assert len(tickets) == 3
    assert all(channel == "email" and nature and motif for channel, nature, motif in tickets)
    receipts = query_rows(
        url, "SELECT count(*) FROM outbox_message WHERE kind = 'request_received'"
    )
    assert receipts == [(3,)]
    beats = dict(query_rows(url, "SELECT task, runs FROM worker_heartbeat"))
    assert {"pass", "inbound", "send", "jobs"} <= set(beats)
    assert beats["pass"] >= 1 and "retrain" not in beats and "fetch" not in beats


def test_two_workers_share_the_backlog_and_handle_each_message_once(process_env):
    url = process_env["HELPDESK_DATABASE_URL"]
    _ingest(process_env, 40, "partage")
    workers = [
        start_helpdesk("worker", "--interval", "0.1", "--no-fetch", env=process_env)
        for _ in range(2)
    ]
    try:
        wait_for(
            lambda: (
                query_rows(url, "SELECT count(*) FROM inbound_message WHERE status = 'received'")
                == [(0,)]
            ),
            timeout=180,
            what="an empty backlog",
        )
    finally:
        outcomes = [stop(worker) for worker in workers]

    assert [code for code, _, _ in outcomes] == [0, 0], [err for _, _, err in outcomes]
    assert query_rows(url, "SELECT status, count(*) FROM inbound_message GROUP BY status") == [
        ("created", 40)
    ]
    assert query_rows(url, "SELECT count(*), count(DISTINCT subject) FROM ticket") == [(40, 40)]
    receipts = query_rows(url, "SELECT count(*), count(DISTINCT to_address) FROM outbox_message")
    assert receipts == [(40, 40)]
    assert len(query_rows(url, "SELECT worker FROM worker_heartbeat WHERE task = 'pass'")) == 2


def test_a_failing_task_is_recorded_and_the_loop_goes_on(app, db_session):
    from helpdesk.worker.cli import Task, run_pass
    from helpdesk.worker.models import WorkerHeartbeat

    calls = []

    def broken():
        calls.append("broken")
        raise ConnectionRefusedError("serveur IMAP injoignable")

    def fine():
        calls.append("fine")
        return ["rien"], False

    tasks = [Task("fetch", broken, 60), Task("send", fine, 0)]
    with app.app_context():
        from helpdesk.core.db import utcnow

        run_pass(tasks, "essai:1", utcnow())
        run_pass(tasks, "essai:1", utcnow())

    assert calls == ["broken", "fine", "fine"]  # fetch waits for its period
    rows = {
        row.task: row for row in db_session.query(WorkerHeartbeat).filter_by(worker="essai:1").all()
    }
    assert rows["fetch"].last_error.startswith("ConnectionRefusedError")
    assert rows["fetch"].last_success_at is None
    assert rows["send"].runs == 2 and rows["send"].last_error is None
    assert rows["pass"].runs == 2


def test_the_worker_describes_its_options(process_env):
    done = run_helpdesk("worker", "--help", env=process_env)

    assert done.returncode == 0, done.stderr
    assert b"--interval" in done.stdout and b"--once" in done.stdout
