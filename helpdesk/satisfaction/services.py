"""Record a requester's rating of the answer they received."""

from __future__ import annotations

from sqlalchemy.orm import Session

from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.satisfaction.models import RATINGS, SatisfactionRating
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.services import clean_text, record_event


def rate_ticket(session: Session, ticket: Ticket, rating: int, comment: str | None) -> None:
    """Store (or change) the rating of a resolved or closed ticket."""
    if ticket.status not in ("resolu", "clos"):
        raise DomainError("Vous pourrez donner votre avis une fois la demande résolue.")
    if rating not in RATINGS:
        raise DomainError("Choisissez une réponse.")
    text = clean_text(comment or "", 2000) or None
    row = session.get(SatisfactionRating, ticket.id)
    if row is None:
        row = SatisfactionRating(ticket_id=ticket.id, rating=rating, comment=text)
        session.add(row)
    else:
        row.rating, row.comment, row.updated_at = rating, text, utcnow()
    record_event(
        session,
        ticket,
        None,
        "satisfaction",
        new=f"{rating}/5 – {RATINGS[rating]}",
        actor_label=ticket.requester_name,
    )
    session.flush()
