"""Remove a request's personal data while its labels, dates and school stay counted.

Retention (a year after closure) and a person's erasure both end here, so both leave the same
kind of anonymous ticket behind: the statistics of the queue and of the schools still count it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from helpdesk.audit.models import AuditEntry
from helpdesk.core import shared
from helpdesk.core.db import utcnow
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.privacy.models import RgpdRequest
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.tickets.models import Attachment, Message, Ticket, TicketEvent

ANONYMOUS_NAME = "Personne anonymisée"
ANONYMOUS_SUBJECT = "Demande anonymisée"
ERASED = "[donnée effacée]"
#: History lines whose values name staff or labels only; the others may quote the requester.
NEUTRAL_EVENTS = (
    "status",
    "priority",
    "assignee",
    "labels",
    "labels_confirmed",
    "type_demande",
    "nature",
    "motif",
)


def anonymise_tickets(session: Session, ticket_ids: list[int]) -> set[str]:
    """Anonymise these tickets; return the attachment digests to check once committed."""
    if not ticket_ids:
        return set()
    digests = set(
        session.scalars(select(Attachment.sha256).where(Attachment.ticket_id.in_(ticket_ids)))
    )
    session.execute(delete(Attachment).where(Attachment.ticket_id.in_(ticket_ids)))
    session.execute(delete(Message).where(Message.ticket_id.in_(ticket_ids)))
    session.execute(delete(TicketDiagnosis).where(TicketDiagnosis.ticket_id.in_(ticket_ids)))
    session.execute(delete(InboundMessage).where(InboundMessage.ticket_id.in_(ticket_ids)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.ticket_id.in_(ticket_ids)))
    session.execute(
        update(TicketEvent)
        .where(TicketEvent.ticket_id.in_(ticket_ids), TicketEvent.kind.not_in(NEUTRAL_EVENTS))
        .values(old_value=None, new_value=None)
    )
    # What the requester did (a reply, a reopening) is signed with their name.
    session.execute(
        update(TicketEvent)
        .where(
            TicketEvent.ticket_id.in_(ticket_ids),
            TicketEvent.actor_id.is_(None),
            TicketEvent.actor_name
            == select(Ticket.requester_name)
            .where(Ticket.id == TicketEvent.ticket_id)
            .scalar_subquery(),
        )
        .values(actor_name=ANONYMOUS_NAME)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(SatisfactionRating)
        .where(SatisfactionRating.ticket_id.in_(ticket_ids))
        .values(comment=None)
    )
    session.execute(
        update(RgpdRequest)
        .where(RgpdRequest.ticket_id.in_(ticket_ids))
        .values(
            handed_summary=_erased_if_set(RgpdRequest.handed_summary),
            answer=_erased_if_set(RgpdRequest.answer),
            extension_notice=_erased_if_set(RgpdRequest.extension_notice),
        )
    )
    session.execute(
        update(AuditEntry).where(AuditEntry.ticket_id.in_(ticket_ids)).values(detail=None)
    )
    session.execute(
        update(Ticket)
        .where(Ticket.id.in_(ticket_ids))
        .values(
            subject=ANONYMOUS_SUBJECT,
            requester_name=ANONYMOUS_NAME,
            requester_email=None,
            requester_phone=None,
            requester_email_failing=False,
            child_name=None,
            concerned_person=None,
            diagnosis_summary=None,
            anonymised_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return digests


def _erased_if_set(column):
    from sqlalchemy import case

    return case((column.is_(None), None), else_=ERASED)


def remove_unused_files(session: Session, digests: Iterable[str]) -> int:
    """Delete stored contents no attachment row refers to any more (after the erasing commit);
    commits. On PostgreSQL the freed rows are cleared by the VACUUM that follows."""
    removed = shared.remove_unreferenced(session, digests, (Attachment.sha256,))
    session.commit()
    return removed
