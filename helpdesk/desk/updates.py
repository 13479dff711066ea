"""Several changes to a ticket at once, through the same services as one change at a time.

The ticket page's update form and the queue's bulk actions both come here, so that each
ticket gets the history lines and notifications it would get from separate changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.core.context import ServiceContext
from helpdesk.core.errors import DomainError
from helpdesk.tickets import services
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.permissions import scope_tickets
from helpdesk.tickets.taxonomy import MOTIF_NATURE, MOTIFS

#: Most tickets a bulk action changes at once (a page of the queue is 25 to 100).
BULK_LIMIT = 200
UNCHANGED = object()


@dataclass
class TicketChanges:
    """What to change; None (or UNCHANGED for the assignee) leaves a field as it is."""

    status: str | None = None
    #: A staff user, None to unassign, or UNCHANGED.
    assignee: object = UNCHANGED
    priority: str | None = None
    type_demande: str | None = None
    nature: str | None = None
    motif: str | None = None
    #: Record the labels as confirmed even when they do not change.
    confirm_labels: bool = False

    @property
    def is_empty(self) -> bool:
        return (
            self.status is None
            and self.assignee is UNCHANGED
            and self.priority is None
            and self.motif is None
            and self.type_demande is None
            and self.nature is None
            and not self.confirm_labels
        )


def apply_changes(
    session: Session, ctx: ServiceContext, ticket: Ticket, actor: User, changes: TicketChanges
) -> None:
    """Labels, then priority, then assignee, then status: an explicit status wins over the
    "en cours" that taking a new ticket implies."""
    if changes.motif is not None or changes.type_demande is not None or changes.nature is not None:
        motif = changes.motif or ticket.motif
        if motif not in MOTIFS:
            raise DomainError("Catégorie inconnue.")
        nature = changes.nature or MOTIF_NATURE[motif]
        type_demande = changes.type_demande or ticket.type_demande
        labels_change = (type_demande, nature, motif) != (
            ticket.type_demande,
            ticket.nature,
            ticket.motif,
        )
        if labels_change or changes.confirm_labels:
            services.relabel(session, ticket, actor, type_demande, nature, motif)
    elif changes.confirm_labels:
        services.relabel(session, ticket, actor, ticket.type_demande, ticket.nature, ticket.motif)
    if changes.priority is not None:
        services.set_priority(session, ctx, ticket, actor, changes.priority)
    if changes.assignee is not UNCHANGED:
        services.assign(session, ctx, ticket, actor, changes.assignee)  # type: ignore[arg-type]
    if changes.status is not None:
        services.change_status(session, ctx, ticket, actor, changes.status)


@dataclass
class BulkResult:
    changed: list[str]
    #: (reference, reason) of the tickets the rules refused; they are left untouched.
    refused: list[tuple[str, str]]


def apply_to_many(
    session: Session,
    ctx: ServiceContext,
    ticket_ids: list[int],
    actor: User,
    changes: TicketChanges,
) -> BulkResult:
    """Each ticket in its own savepoint: one refused change does not undo the others."""
    if changes.is_empty:
        raise DomainError("Choisissez au moins une modification à appliquer.")
    ids = sorted(set(ticket_ids))
    if not ids:
        raise DomainError("Sélectionnez au moins une demande.")
    if len(ids) > BULK_LIMIT:
        raise DomainError(f"{BULK_LIMIT} demandes au plus à la fois.")
    tickets = session.scalars(
        scope_tickets(select(Ticket).where(Ticket.id.in_(ids)), actor).order_by(Ticket.id)
    ).all()
    if len(tickets) != len(ids):
        raise DomainError("Certaines demandes sélectionnées n'existent pas ou plus.")
    result = BulkResult([], [])
    for ticket in tickets:
        savepoint = session.begin_nested()
        try:
            apply_changes(session, ctx, ticket, actor, changes)
            session.flush()
        except DomainError as exc:
            savepoint.rollback()
            session.refresh(ticket)
            result.refused.append((ticket.reference, str(exc)))
        else:
            savepoint.commit()
            result.changed.append(ticket.reference)
    return result
