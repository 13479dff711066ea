"""Erasure of one person: their requests anonymised, the passages of others that quote them
expurgated, an anonymous journal line left (the right to erasure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from helpdesk.audit.models import AuditEntry
from helpdesk.auth.models import User
from helpdesk.deflection.models import DeflectionEvent
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.privacy.anonymise import ERASED, anonymise_tickets
from helpdesk.privacy.person import PersonData
from helpdesk.tickets.models import Message, TicketEvent


@dataclass
class ErasureReport:
    tickets_anonymised: int = 0
    tickets_redacted: int = 0
    messages_redacted: int = 0
    rows_deleted: int = 0
    digests: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"{self.tickets_anonymised} demande(s) anonymisée(s), "
            f"{self.tickets_redacted} autre(s) demande(s) expurgée(s), "
            f"{self.messages_redacted} message(s) expurgé(s), "
            f"{self.rows_deleted} enregistrement(s) supprimé(s)"
        )


def _redactor(data: PersonData):
    needles = [*data.variants, *data.names]
    pattern = re.compile(
        "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.I
    )

    def redact(text: str | None) -> str | None:
        return pattern.sub(ERASED, text) if text else text

    return redact


def erase_person(session: Session, data: PersonData, actor: User | None) -> ErasureReport:
    """Anonymise the person's requests, expurgate the others, leave an anonymous journal line.

    The account directory is the schools' extraction: it is corrected at its source (ONDE,
    SIECLE), and a copy erased here would come back with the next import.
    """
    report = ErasureReport()
    own_ids = [t.id for t in data.own_tickets]
    report.digests = anonymise_tickets(session, own_ids)
    report.tickets_anonymised = len(own_ids)
    redact = _redactor(data)
    for ticket in data.mentioning_tickets:
        for attribute in ("subject", "concerned_person", "requester_email"):
            setattr(ticket, attribute, redact(getattr(ticket, attribute)))
        report.tickets_redacted += 1
    mentioning_ids = [t.id for t in data.mentioning_tickets]
    for message in session.scalars(select(Message).where(Message.ticket_id.in_(mentioning_ids))):
        body, html = redact(message.body), redact(message.body_html)
        if (body, html) != (message.body, message.body_html):
            message.body, message.body_html = body or "", html
            report.messages_redacted += 1
    for event in session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id.in_(mentioning_ids))
    ):
        event.old_value, event.new_value = redact(event.old_value), redact(event.new_value)
        event.actor_name = redact(event.actor_name) or ""
    for model, condition in (
        (TicketDiagnosis, TicketDiagnosis.ticket_id.in_(mentioning_ids)),
        (InboundMessage, InboundMessage.id.in_([m.id for m in data.inbound])),
        (OutboxMessage, OutboxMessage.id.in_([m.id for m in data.outbox])),
        (DeflectionEvent, DeflectionEvent.id.in_([e.id for e in data.deflection])),
    ):
        report.rows_deleted += session.execute(delete(model).where(condition)).rowcount or 0
    for ticket in data.mentioning_tickets:
        ticket.diagnosis_summary = None
    for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.id.in_([e.id for e in data.audit]))
    ):
        entry.detail, entry.object_ref = redact(entry.detail), redact(entry.object_ref)
    session.add(
        AuditEntry(
            user_id=actor.id if actor else None,
            user_label=actor.email if actor else "commande",
            action="erase",
            subject="personne",
            detail=f"Effacement sur demande ({data.identity.masked}) : {report.summary()}.",
        )
    )
    session.flush()
    return report
