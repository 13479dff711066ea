"""Agents' corrections, read from the tickets' history, to retrain the categoriser."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.classify.corrections import Correction
from helpdesk.tickets.models import Message, Ticket, TicketEvent


def corrections_from_tickets(
    session: Session, limit: int = 20_000, confirmed_since: datetime | None = None
) -> list[Correction]:
    """(subject, first message, type, nature, motif) of every ticket whose labels an agent set.

    The newest confirmations come first; the labels are the ticket's current ones. Anonymised
    tickets have no message left, so their texts are never learnt again; `confirmed_since`
    drops the confirmations older than the training texts' retention.
    """
    confirmations = select(TicketEvent.ticket_id, func.max(TicketEvent.id).label("last")).where(
        TicketEvent.kind == "labels_confirmed"
    )
    if confirmed_since is not None:
        confirmations = confirmations.where(TicketEvent.created_at >= confirmed_since)
    confirmed = confirmations.group_by(TicketEvent.ticket_id).subquery()
    first_message = (
        select(Message.ticket_id, func.min(Message.id).label("first_id"))
        .group_by(Message.ticket_id)
        .subquery()
    )
    rows = session.execute(
        select(Ticket.subject, Message.body, Ticket.type_demande, Ticket.nature, Ticket.motif)
        .join(confirmed, confirmed.c.ticket_id == Ticket.id)
        .join(first_message, first_message.c.ticket_id == Ticket.id)
        .join(Message, Message.id == first_message.c.first_id)
        .order_by(confirmed.c.last.desc())
        .limit(limit)
    )
    return [tuple(row) for row in rows]
