"""Addresses that no longer receive mail."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.orm import Session

from helpdesk.tickets.models import OPEN_STATUSES, Ticket


def mark_address_failing(session: Session, address: str) -> int:
    """Flag the open tickets of a requester address as unreachable; return how many changed."""
    address = (address or "").strip().lower()
    if not address:
        return 0
    result = session.execute(
        update(Ticket)
        .where(
            func.lower(Ticket.requester_email) == address,
            Ticket.status.in_(OPEN_STATUSES + ("resolu",)),
            Ticket.requester_email_failing.is_(False),
        )
        .values(requester_email_failing=True)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0
