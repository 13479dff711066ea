"""Who else has a ticket open, and what happened on it since a page was loaded.

Each open ticket page signals every few seconds; a row per (ticket, user) keeps the last
signal in the database, so every worker of every host answers the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.core import dialect
from helpdesk.desk.models import TicketPresence
from helpdesk.tickets.models import Message, Ticket, TicketEvent

#: A page that has not signalled for this long is considered closed.
PRESENCE_TIMEOUT = timedelta(seconds=45)
#: Signals older than this are removed when the ticket is next looked at.
PRESENCE_CLEANUP = timedelta(hours=1)


def signal(session: Session, ticket: Ticket, user: User, now: datetime, composing: bool) -> None:
    """Record that the user's page of the ticket is still open (an upsert, race-free)."""
    values = dict(ticket_id=ticket.id, user_id=user.id, seen_at=now, is_composing=composing)
    stmt = dialect.insert(session, TicketPresence).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["ticket_id", "user_id"],
        set_={"seen_at": now, "is_composing": composing},
    )
    session.execute(stmt)
    session.execute(
        delete(TicketPresence).where(
            TicketPresence.ticket_id == ticket.id,
            TicketPresence.seen_at < now - PRESENCE_CLEANUP,
        )
    )


def leave(session: Session, ticket: Ticket, user: User) -> None:
    session.execute(
        update(TicketPresence)
        .where(TicketPresence.ticket_id == ticket.id, TicketPresence.user_id == user.id)
        .values(seen_at=TicketPresence.seen_at - PRESENCE_CLEANUP)
    )


@dataclass(frozen=True)
class Viewer:
    name: str
    is_composing: bool


def others_present(session: Session, ticket: Ticket, user: User, now: datetime) -> list[Viewer]:
    rows = session.execute(
        select(User.display_name, TicketPresence.is_composing)
        .join(User, User.id == TicketPresence.user_id)
        .where(
            TicketPresence.ticket_id == ticket.id,
            TicketPresence.user_id != user.id,
            TicketPresence.seen_at >= now - PRESENCE_TIMEOUT,
        )
        .order_by(User.display_name)
    )
    return [Viewer(name, composing) for name, composing in rows]


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
