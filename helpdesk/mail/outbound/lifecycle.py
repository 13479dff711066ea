"""The e-mails the ticket lifecycle sends: who is told what, on which of its signals.

Connected by the application's set-up. Each receiver queues in the outbox on the session the
change runs in, so that an e-mail leaves only if the change that caused it is committed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpdesk.core import signals
from helpdesk.mail.models import OutboxMessage
from helpdesk.mail.outbound import notify


def subscribe() -> None:
    signals.ticket_opened.connect(_opened)
    signals.agent_replied.connect(_agent_replied)
    signals.closed_with_reason.connect(_closed_with_reason)
    signals.reopened.connect(_reopened)
    signals.reopen_delay.connect(_reopen_delay)
    signals.requester_wrote.connect(_requester_wrote)
    signals.status_changed.connect(_status_changed)
    signals.ticket_assigned.connect(_assigned)
    signals.closed_unanswered.connect(_closed_unanswered)
    signals.reminder_due.connect(_reminder_due)
    signals.sla_at_risk.connect(_sla_at_risk)


def _opened(ticket, session, ctx, actor, **_) -> None:
    """The requester's acknowledgement; an agent who files a request for someone needs none."""
    if ticket.requester_email and not (actor is not None and actor.is_staff):
        notify.request_received(session, ctx, ticket)


def _agent_replied(ticket, session, ctx, message, resolved=False, **_) -> None:
    if resolved:
        # One e-mail: the resolution, with this reply and the rating link.
        notify.resolved(session, ctx, ticket, message)
    else:
        notify.new_reply(session, ctx, ticket, message)


def _closed_with_reason(ticket, session, ctx, message, **_) -> None:
    notify.closed_with_reason(session, ctx, ticket, message)


def _reopened(ticket, session, ctx, **_) -> None:
    notify.reopened(session, ctx, ticket)


def _reopen_delay(sender, session, ctx, **_) -> int:
    return notify.reopen_days(session, ctx)


def _requester_wrote(ticket, session, ctx, message, **_) -> None:
    notify.requester_replied(session, ctx, ticket, message)


def _status_changed(ticket, session, ctx, actor, tell_requester, **_) -> None:
    if not tell_requester:
        return
    if ticket.status == "resolu":
        notify.resolved(session, ctx, ticket)
    elif ticket.status == "en_attente_demandeur" and actor is not None:
        notify.waiting_for_answer(session, ctx, ticket)


def _assigned(ticket, session, ctx, assignee, **_) -> None:
    notify.assigned(session, ctx, ticket, assignee)


def _closed_unanswered(ticket, session, ctx, **_) -> None:
    notify.closed_no_answer(session, ctx, ticket)


def _reminder_due(ticket, session, ctx, close_at, dedupe_key, **_) -> bool:
    return queue_once(
        session,
        dedupe_key,
        lambda: notify.waiting_reminder(session, ctx, ticket, close_at, dedupe_key),
    )


def _sla_at_risk(ticket, session, ctx, target, due_at, remaining, dedupe_key, **_) -> bool:
    return queue_once(
        session,
        dedupe_key,
        lambda: notify.sla_at_risk(
            session,
            ctx,
            ticket,
            target=target,
            due_at=due_at,
            remaining=remaining,
            dedupe_key=dedupe_key,
        ),
    )


def queue_once(session: Session, key: str, make: Callable[[], OutboxMessage | None]) -> bool:
    """Queue a notification unless its key is already in the outbox (even from a racing run).

    The periodic jobs look at the tickets as they are now, at any pace and from several
    workers: the key (unique in the outbox) makes one occasion give one message.
    """
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            created = make()
            session.flush()
    except IntegrityError:
        return False
    return created is not None
