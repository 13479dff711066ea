"""Who else has a ticket open (what happened on it since is in ``tickets.activity``).

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
from helpdesk.tickets.models import Ticket

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
