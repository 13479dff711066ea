"""Who may see and act on which ticket."""

from __future__ import annotations

from sqlalchemy import Select, false

from helpdesk.auth.models import User
from helpdesk.tickets.models import Ticket


def can_view(user: User, ticket: Ticket) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return user.is_director and ticket.school_id is not None and ticket.school_id in user.school_ids


def can_manage(user: User, ticket: Ticket) -> bool:
    """Assign, re-label, merge, write internal notes: staff only."""
    return getattr(user, "is_staff", False)


def scope_tickets(stmt: Select, user: User) -> Select:
    """Restrict a ticket query to what the user may see."""
    if user.is_staff:
        return stmt
    if user.is_director and user.school_ids:
        return stmt.where(Ticket.school_id.in_(sorted(user.school_ids)))
    return stmt.where(false())
