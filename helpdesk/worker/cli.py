"""``helpdesk worker``: the one loop that does the background work.

Each pass handles the messages mail servers stored (``mail ingest``, ``mail lmtp``), sends
the outbox, and, each at its own rhythm, fetches the IMAP mailboxes, runs the reminders and
automatic closing, retrains the categoriser and applies the retention rules. A pass ends by
writing the worker's heartbeat (and each task's success or error) in the database, which the
administration shows (``/admin/tache-de-fond``).

Several workers may run, on one machine or several: received messages and the outbox are
claimed row by row (``helpdesk.core.dialect.skip_locked``), so none is handled twice. A task
that fails is recorded and tried again at its next turn; the loop itself never stops on an
error.
SIGTERM or SIGINT ends it after the current task.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import with_appcontext

logger = logging.getLogger(__name__)

Step = Callable[[], tuple[list[str], bool]]


@dataclass
class Task:
    name: str
    step: Step
    #: Seconds between two runs (0: every pass).
    every: float
    #: monotonic time of the next run.
    due: float = 0.0


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def stopper() -> Callable[[], bool]:
    stop = {"flag": False}

    def _handle(signum, frame):
        stop["flag"] = True

    signal.signal(signal.SIGTERM, _handle)
    signal.signal(signal.SIGINT, _handle)
    return lambda: stop["flag"]


def guarded(step: Step, label: str) -> Callable[[], None]:
    """A step for a loop: prints what it did (nothing when idle), survives its failures."""

    def run() -> None:
        try:
            lines, active = step()
        except Exception:  # a loop survives a failing step (database or server down)
            logger.exception("worker: %s failed", label)
            return
        if active:
            for line in lines:
                click.echo(line)

    return run


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__} : {exc}"[:2000]


def build_tasks(config: dict, with_fetch: bool, jobs_every: float, connections: int) -> list[Task]:
    from helpdesk.worker import tasks

    now = time.monotonic()
    hours = 3600.0
    planned = [
        Task("inbound", tasks.inbound_once, 0),
        Task("send", lambda: tasks.send_once(connections), 0),
        Task("jobs", tasks.jobs_once, jobs_every),
    ]
    retrain = tasks.installed("retrain")
    if retrain is not None:
        # The first retraining waits a full period: a restart must not retrain at once.
        every = config["CLASSIFY_RETRAIN_HOURS"] * hours
        planned.append(Task("retrain", retrain, every, now + every))
    diagnose = tasks.installed("diagnose")
    if diagnose is not None:
        # The tickets the web requests left waiting for their diagnosis, at every pass.
        planned.insert(1, Task("diagnose", diagnose, 0))
    retention = tasks.installed("retention")
    if retention is not None:
        planned.append(Task("retention", retention, config["RETENTION_RUN_HOURS"] * hours))
    if with_fetch:
        planned.insert(1, Task("fetch", tasks.fetch_once, config["MAIL_WORKER_INTERVAL"]))
    # A period of 0 for a periodic job means "never" (CLASSIFY_RETRAIN_HOURS=0...).
    return [t for t in planned if t.every or t.name in ("inbound", "diagnose", "send")]


def run_pass(tasks: list[Task], worker: str, started_at) -> bool:
    """Run the tasks that are due and record the heartbeat; whether work is waiting."""
    from helpdesk.core.database import session_factory
    from helpdesk.core.db import session_scope, utcnow
    from helpdesk.worker.services import TaskOutcome, record_pass

    outcomes, busy = [], False
    for task in tasks:
        now = time.monotonic()
        if now < task.due:
            continue
        task.due = now + task.every
        try:
            lines, active = task.step()
        except Exception as exc:  # the loop survives a failing task (database or server down)
            logger.exception("worker: %s failed", task.name)
            outcomes.append(TaskOutcome(task.name, _describe(exc)))
            continue
        outcomes.append(TaskOutcome(task.name))
        if active:
            busy = busy or task.name == "inbound"
            for line in lines:
                click.echo(line)
    try:
        with session_scope(session_factory()) as session:
            record_pass(session, worker, started_at, outcomes, utcnow())
    except Exception:  # the database is down: the next pass records again
        logger.exception("worker: the heartbeat could not be recorded")
    return busy


def run_worker(
    interval: float,
    with_fetch: bool,
    jobs_every: float,
    connections: int,
    once: bool,
    should_stop: Callable[[], bool],
) -> None:
    from helpdesk.core.db import utcnow

    tasks = build_tasks(current_app.config, with_fetch, jobs_every, connections)
    worker, started_at = worker_identity(), utcnow()
    logger.info("worker %s started", worker)
    while not should_stop():
        busy = run_pass(tasks, worker, started_at)
        if once:
            return
        if busy:
            continue  # more messages are waiting: no pause
        remaining = interval
        while remaining > 0 and not should_stop():
            time.sleep(min(remaining, 0.2))
            remaining -= 0.2


@click.command("worker")
@click.option(
    "--interval",
    type=float,
    default=None,
    help="Secondes entre deux passages (défaut : HELPDESK_WORKER_INTERVAL, 2).",
)
@click.option(
    "--jobs-every",
    type=float,
    default=300,
    show_default=True,
    help="Secondes entre deux passages des relances et alertes.",
)
@click.option("--fetch/--no-fetch", "with_fetch", default=True, show_default=True)
@click.option(
    "--connections",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Connexions SMTP ouvertes en parallèle.",
)
@click.option("--once", is_flag=True, help="Un seul passage de chaque tâche due, puis s'arrêter.")
@with_appcontext
def worker(
    interval: float | None, jobs_every: float, with_fetch: bool, connections: int, once: bool
) -> None:
    """Tâche de fond : courriels reçus, envoi, relève IMAP, relances, réentraînement."""
    run_worker(
        interval if interval is not None else current_app.config["WORKER_INTERVAL"],
        with_fetch,
        jobs_every,
        connections,
        once,
        (lambda: False) if once else stopper(),
    )
