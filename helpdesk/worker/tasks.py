"""The background worker's tasks, each one pass of a job over the running app's database.

Each task returns the lines worth printing and whether it did anything (an idle pass prints
nothing). Sending, fetching and the reminders are the mail package's own steps (``helpdesk
mail send``, ``fetch`` and ``reminders`` run them once); the retraining and the retention are
those the set-up installs (``PERIODIC_TASKS``).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

Step = Callable[[], tuple[list[str], bool]]


def inbound_once() -> tuple[list[str], bool]:
    """Handle one batch of the messages mail servers stored; active when it was full."""
    from helpdesk.core.database import session_factory
    from helpdesk.core.runtime import service_context
    from helpdesk.mail.inbound.received import BATCH_SIZE, process_received

    report = process_received(session_factory(), service_context(current_app), BATCH_SIZE)
    return [report.summary()], report.handled >= BATCH_SIZE


def send_once(connections: int = 2) -> tuple[list[str], bool]:
    from helpdesk.mail.cli import send_once as step

    return step(connections)


def jobs_once() -> tuple[list[str], bool]:
    from helpdesk.mail.cli import jobs_once as step

    return step()


def fetch_once() -> tuple[list[str], bool]:
    from helpdesk.mail.cli import fetch_once as step

    return step()


def installed(name: str) -> Step | None:
    """A periodic task the set-up installed (``retrain``, ``retention``), if any."""
    from helpdesk.core.runtime import PERIODIC_TASKS

    return current_app.extensions.get(PERIODIC_TASKS, {}).get(name)
