"""Deliver the outbox over SMTP, with retries, never twice for one acceptance.

A sender claims due rows in a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
SQLite's single writer lock otherwise): the claim counts the attempt and pushes
``next_attempt_at`` forward by a lease, so no other sender takes the row while it is being
sent, and a sender that dies leaves it to be tried again once the lease ends. Each message is
marked sent in its own transaction right after the server accepted it. The only window for a
second delivery is a crash between that acceptance and that commit: the copy then carries the
same Message-ID, so clients and the helpdesk recognise it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.core import dialect
from helpdesk.core.db import utcnow
from helpdesk.mail.bounces import mark_address_failing
from helpdesk.mail.models import OutboxMessage
from helpdesk.mail.outbound.smtp import (
    CatcherConnection,
    Outgoing,
    PermanentError,
    SmtpConnection,
    TransientError,
    build_message,
)
from helpdesk.mail.settings import MailSettings
from helpdesk.tickets.queries import references_by_id

LEASE = timedelta(minutes=10)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
#: About a day of retries before giving up (1, 2, 4 ... 256 min, then every 6 h).
MAX_ATTEMPTS = 12
BATCH_SIZE = 50


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    delay = BACKOFF_BASE * (2 ** max(0, attempts - 1))
    return min(delay, BACKOFF_MAX)


# -- the outbox ---------------------------------------------------------------------------


def claim(session: Session, now: datetime, limit: int = BATCH_SIZE) -> list[Outgoing]:
    """Take up to `limit` due messages for this sender; commits."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    rows = session.scalars(dialect.skip_locked(session, stmt)).all()
    ticket_ids = {row.ticket_id for row in rows if row.ticket_id}
    references = references_by_id(session, ticket_ids)
    claimed = []
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        claimed.append(
            Outgoing(
                id=row.id,
                to_address=row.to_address,
                subject=row.subject,
                body_text=row.body_text,
                body_html=row.body_html,
                message_id=row.message_id,
                in_reply_to=row.in_reply_to,
                references=row.references,
                created_at=row.created_at,
                attempts=row.attempts,
                reference=references.get(row.ticket_id),
            )
        )
    session.commit()
    return claimed


def _mark_sent(session: Session, item: Outgoing, now: datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.id)
        .values(status="sent", sent_at=now, last_error=None)
    )
    session.commit()


def _reschedule(session: Session, item: Outgoing, now: datetime, error: str) -> bool:
    """Plan the next try; return False when the message is given up."""
    give_up = item.attempts >= MAX_ATTEMPTS
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.id, OutboxMessage.status == "pending")
        .values(
            status="failed" if give_up else "pending",
            next_attempt_at=now + backoff(item.attempts),
            last_error=error[:2000],
        )
    )
    session.commit()
    return not give_up


def _fail(session: Session, item: Outgoing, error: str, recipient_refused: bool) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.id)
        .values(status="failed", last_error=error[:2000])
    )
    if recipient_refused:
        mark_address_failing(session, item.to_address)
    session.commit()


Connect = Callable[[MailSettings], SmtpConnection]


def send_pending(
    factory: sessionmaker[Session],
    settings: MailSettings,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    max_messages: int | None = None,
    connect: Connect = SmtpConnection,
    connections: int = 1,
) -> SendReport:
    """Send every due message (or up to `max_messages`); stop early when the server fails.

    With several `connections`, as many threads claim and send batches side by side (the
    claim keeps them apart, as it keeps separate workers apart). In demo mode the messages
    are caught by the application, never sent.
    """
    if settings.sandbox:
        connect = CatcherConnection
    if connections <= 1:
        report = SendReport()
        _send_loop(factory, settings, now, batch_size, max_messages, connect, report)
        return report
    reports = [SendReport() for _ in range(connections)]
    failures: list[BaseException] = []

    def run(report: SendReport) -> None:
        try:
            _send_loop(factory, settings, now, batch_size, max_messages, connect, report)
        except BaseException as exc:  # re-raised in the calling thread below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(report,)) for report in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    merged = SendReport()
    for report in reports:
        merged.sent += report.sent
        merged.retried += report.retried
        merged.failed += report.failed
        merged.errors += [error for error in report.errors if error not in merged.errors]
    return merged


def _send_loop(
    factory: sessionmaker[Session],
    settings: MailSettings,
    now: datetime | None,
    batch_size: int,
    max_messages: int | None,
    connect: Connect,
    report: SendReport,
) -> None:
    while max_messages is None or report.sent + report.retried + report.failed < max_messages:
        moment = now or utcnow()
        size = batch_size
        if max_messages is not None:
            size = min(size, max_messages - (report.sent + report.retried + report.failed))
        with factory() as session:
            batch = claim(session, moment, size)
            if not batch:
                break
            if not _send_batch(session, settings, batch, moment, report, connect):
                break
        if len(batch) < size:
            break


def _send_batch(
    session: Session,
    settings: MailSettings,
    batch: list[Outgoing],
    now: datetime,
    report: SendReport,
    connect: Connect,
) -> bool:
    """Send a claimed batch on one connection; False when the server is unusable."""
    connection = connect(settings)
    reconnected = False
    try:
        connection.open()
    except TransientError as exc:
        _postpone(session, batch, now, str(exc), report)
        return False
    try:
        for index, item in enumerate(batch):
            try:
                message = build_message(item, settings)
            except (ValueError, TypeError, IndexError) as exc:
                _fail(session, item, f"Message impossible à construire : {exc}", False)
                report.failed += 1
                continue
            while True:
                try:
                    connection.send(message, item.to_address)
                except PermanentError as exc:
                    _fail(session, item, str(exc), recipient_refused=True)
                    report.failed += 1
                    break
                except TransientError as exc:
                    connection.close()
                    error = str(exc)
                    if not reconnected:
                        # A server may close long sessions: one new connection, then give up.
                        reconnected = True
                        try:
                            connection.open()
                            continue
                        except TransientError as again:
                            error = str(again)
                    _postpone(session, batch[index:], now, error, report)
                    return False
                _mark_sent(session, item, now)
                report.sent += 1
                break
    finally:
        connection.close()
    return True


def _postpone(
    session: Session, items: list[Outgoing], now: datetime, error: str, report: SendReport
) -> None:
    if error not in report.errors:
        report.errors.append(error)
    for item in items:
        if _reschedule(session, item, now, error):
            report.retried += 1
        else:
            report.failed += 1


def run_forever(
    step: Callable[[], object],
    interval: float,
    should_stop: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call `step` every `interval` seconds until `should_stop()`; errors do not stop it."""
    while not should_stop():
        started = time.monotonic()
        step()
        remaining = interval - (time.monotonic() - started)
        while remaining > 0 and not should_stop():
            pause = min(remaining, 0.5)
            sleep(pause)
            remaining -= pause
