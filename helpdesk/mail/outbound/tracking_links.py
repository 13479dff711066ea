"""A requester who lost a tracking link asks for it again: it goes to their own address only.

The links are never shown on a page (whoever types a parent's address would read the agents'
replies); they are e-mailed to the address the requests were made from. One e-mail per address
per pause at most, so that the form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.mail.models import OutboxMessage
from helpdesk.mail.outbound import notify
from helpdesk.tickets.models import OPEN_STATUSES, Ticket

#: Statuses whose requests are worth a link: open ones, and resolved ones the requester may
#: still reopen by answering.
LINKED_STATUSES = (*OPEN_STATUSES, "resolu")
MAX_LINKS = 20


def resend_tracking_links(
    session: Session,
    ctx: ServiceContext,
    email: str,
    pause: timedelta = timedelta(minutes=15),
    now: datetime | None = None,
) -> int:
    """Queue one e-mail listing the address's requests; return how many links it holds."""
    address = email.strip().lower()
    now = now or utcnow()
    recent = session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.kind == "tracking_links",
            OutboxMessage.to_address == address,
            OutboxMessage.created_at > now - pause,
        )
        .limit(1)
    )
    if recent is not None:
        return 0
    tickets = list(
        session.scalars(
            select(Ticket)
            .where(
                func.lower(Ticket.requester_email) == address,
                Ticket.status.in_(LINKED_STATUSES),
                Ticket.merged_into_id.is_(None),
            )
            .order_by(Ticket.created_at.desc())
            .limit(MAX_LINKS)
        )
    )
    if not tickets:
        return 0
    notify.tracking_links(session, ctx, address, tickets)
    session.flush()
    return len(tickets)
