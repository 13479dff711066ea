"""After the answer: the requester confirms or reopens; a director closes with a reason.

A resolved or closed request stays the requester's to reopen for a delay after its
resolution (an administrator's setting): a parent through the signed tracking link, a
director from the portal, and only for their own request. Past the delay, a new problem is a
new request. A director who closes a parent's request must say why: the reason is written
in the conversation the parent reads and sent to them by e-mail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.core import signals
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError, PermissionDenied
from helpdesk.tickets import services
from helpdesk.tickets.models import Message, Ticket
from helpdesk.tickets.permissions import can_view

MAX_REASON = 2000
DONE_STATUSES = ("resolu", "clos")


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_own_request(user: User, ticket: Ticket) -> bool:
    """The user filed the request themselves (a director's portal request)."""
    return ticket.created_by_id is not None and ticket.created_by_id == user.id


def reopen_days(session: Session, ctx: ServiceContext) -> int:
    """The administrator's delay (the mail settings answer), else the configured one."""
    for _, days in signals.reopen_delay.send(None, session=session, ctx=ctx):
        if days is not None:
            return int(days)
    return ctx.reopen_days


def reopen_deadline(session: Session, ctx: ServiceContext, ticket: Ticket) -> datetime | None:
    """Until when the requester may reopen the request; None when it is not done."""
    if ticket.status not in DONE_STATUSES:
        return None
    done_at = ticket.resolved_at or ticket.closed_at or ticket.updated_at
    return _aware(done_at) + timedelta(days=reopen_days(session, ctx))


def can_reopen(
    session: Session, ctx: ServiceContext, ticket: Ticket, now: datetime | None = None
) -> bool:
    deadline = reopen_deadline(session, ctx, ticket)
    return deadline is not None and (now or utcnow()) < deadline


def _check_requester(actor: User | None, ticket: Ticket) -> None:
    """actor None is the requester through their signed link; a user must have filed it."""
    if actor is None:
        return
    if not can_view(actor, ticket):
        raise PermissionDenied("Vous n'avez pas accès à cette demande.")
    if not is_own_request(actor, ticket):
        raise PermissionDenied("Seul le demandeur peut rouvrir sa demande.")


def reopen(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    actor: User | None,
    comment: str | None = None,
) -> Message | None:
    """Put a resolved or closed request back in the agents' queue, with the requester's words."""
    _check_requester(actor, ticket)
    if ticket.merged_into_id is not None:
        raise DomainError(
            "Cette demande a été regroupée avec une autre : écrivez dans la demande principale."
        )
    if ticket.status not in DONE_STATUSES:
        raise DomainError("Cette demande est toujours en cours : elle n'a pas à être rouverte.")
    if not can_reopen(session, ctx, ticket):
        days = reopen_days(session, ctx)
        raise DomainError(
            f"Le délai de réouverture ({days} jours après la résolution) est dépassé : "
            "déposez une nouvelle demande en rappelant la référence "
            f"{ticket.reference}."
        )
    label = ticket.requester_name if actor is None else None
    services.change_status(session, ctx, ticket, actor, "en_cours", actor_label=label)
    services.record_event(session, ticket, actor, "reopened", actor_label=label)
    text = services.clean_text(comment or "")
    message = None
    if text:
        message = services.add_message(session, ctx, ticket, actor, text)
    elif ticket.assignee is not None:
        signals.reopened.send(ticket, session=session, ctx=ctx, actor=actor)
    session.flush()
    return message


def confirm_resolved(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    """The requester says the problem is solved: the resolved request is closed."""
    if ticket.status == "clos":
        return
    if ticket.status != "resolu":
        raise DomainError("Cette demande est toujours en cours de traitement.")
    services.change_status(session, ctx, ticket, None, "clos", actor_label=ticket.requester_name)
    services.record_event(
        session, ticket, None, "requester_confirmed", actor_label=ticket.requester_name
    )
    session.flush()


def close_with_reason(
    session: Session, ctx: ServiceContext, ticket: Ticket, actor: User, reason: str | None
) -> None:
    """A director closes a request of their school; someone else's needs a reason, told to
    the requester in their conversation and by e-mail."""
    if not can_view(actor, ticket):
        raise PermissionDenied("Vous n'avez pas accès à cette demande.")
    if ticket.status == "clos":
        raise DomainError("Cette demande est déjà close.")
    text = services.clean_text(reason or "", MAX_REASON + 1)
    if len(text) > MAX_REASON:
        raise DomainError(f"La raison ne doit pas dépasser {MAX_REASON} caractères.")
    own = is_own_request(actor, ticket)
    if not own and not text:
        raise DomainError(
            "Indiquez la raison de la clôture : elle est transmise au demandeur, "
            f"{ticket.requester_name}."
        )
    message = None
    if text:
        now = utcnow()
        message = Message(
            ticket_id=ticket.id,
            author_id=actor.id,
            author_kind="agent" if actor.is_staff else "directeur",
            author_name=actor.display_name,
            body=f"Demande close. Raison : {text}",
            created_at=now,
        )
        session.add(message)
        session.flush()
        services.record_event(session, ticket, actor, "close_reason", new=text)
    services.change_status(session, ctx, ticket, actor, "clos")
    if message is not None and not own:
        signals.closed_with_reason.send(ticket, session=session, ctx=ctx, message=message)
    session.flush()
