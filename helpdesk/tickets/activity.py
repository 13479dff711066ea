"""What happened on a ticket since a page showed it: the marks a page keeps (ids grow with
time), and the messages and changes made by others after them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.tickets.models import Message, Ticket, TicketEvent


def latest_message_id(ticket: Ticket) -> int:
    """The mark a page keeps of the messages it showed (ids grow with time)."""
    return max((m.id for m in ticket.messages), default=0)


def messages_since(session: Session, ticket: Ticket, user: User, mark: int) -> list[Message]:
    """Messages written by someone else after the page showing `mark` was loaded."""
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.ticket_id == ticket.id,
                Message.id > mark,
                (Message.author_id.is_(None)) | (Message.author_id != user.id),
            )
            .order_by(Message.id)
        )
    )


def latest_event_id(session: Session, ticket: Ticket) -> int:
    return (
        session.scalar(
            select(TicketEvent.id)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.id.desc())
            .limit(1)
        )
        or 0
    )


def events_since(session: Session, ticket: Ticket, user: User, mark: int) -> list[TicketEvent]:
    """Changes made by others (or by the requester) after the page was loaded."""
    return list(
        session.scalars(
            select(TicketEvent)
            .where(
                TicketEvent.ticket_id == ticket.id,
                TicketEvent.id > mark,
                (TicketEvent.actor_id.is_(None)) | (TicketEvent.actor_id != user.id),
            )
            .order_by(TicketEvent.id)
            .limit(20)
        )
    )
