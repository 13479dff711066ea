"""The access journal as people read it: who, in words, looked at what, in words.

Entries keep ids and references only, so that the journal holds no copy of the personal data
it tracks; the words are looked up when the journal is shown or exported (one query per kind
of object for a whole page). An object deleted since reads as such.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.admin.queries import ACTIONS, SUBJECTS, AuditFilters
from helpdesk.audit.models import AuditEntry
from helpdesk.auth.models import User
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.schools.models import School
from helpdesk.tickets.models import Attachment, Ticket
from helpdesk.util.frenchdates import PARIS

#: Who, when nobody was signed in.
ANONYMOUS_LABELS = {
    "anonyme": "Personne non connectée",
    "demandeur": "Le demandeur (lien de suivi)",
}
MAX_EXPORT_ROWS = 100_000


@dataclass(frozen=True)
class JournalLine:
    entry: AuditEntry
    who: str
    action: str
    subject: str
    what: str
    #: The ticket's reference when the entry concerns one (for a link).
    ticket_reference: str | None


def _ids(entries: list[AuditEntry], subject: str) -> set[int]:
    return {
        int(e.object_ref)
        for e in entries
        if e.subject == subject and e.object_ref and e.object_ref.isdigit()
    }


def _by_id(session: Session, model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}


def journal_lines(session: Session, entries: list[AuditEntry]) -> list[JournalLine]:
    users = _by_id(session, User, {e.user_id for e in entries if e.user_id})
    tickets = _by_id(session, Ticket, {e.ticket_id for e in entries if e.ticket_id})
    attachments = _by_id(session, Attachment, _ids(entries, "attachment"))
    inbound = _by_id(session, InboundMessage, _ids(entries, "inbound_mail"))
    outbox = _by_id(session, OutboxMessage, _ids(entries, "outbox_mail"))
    uais = {e.object_ref for e in entries if e.subject == "comptes_a_surveiller" and e.object_ref}
    schools = (
        {s.uai: s for s in session.scalars(select(School).where(School.uai.in_(uais)))}
        if uais
        else {}
    )
    lines = []
    for entry in entries:
        ticket = tickets.get(entry.ticket_id) if entry.ticket_id else None
        objects = {
            "attachment": attachments,
            "inbound_mail": inbound,
            "outbox_mail": outbox,
        }.get(entry.subject, {})
        target = (
            objects.get(int(entry.object_ref))
            if entry.object_ref and entry.object_ref.isdigit()
            else None
        )
        lines.append(
            JournalLine(
                entry=entry,
                who=_who(entry, users.get(entry.user_id) if entry.user_id else None),
                action=ACTIONS.get(entry.action, entry.action),
                subject=SUBJECTS.get(entry.subject, entry.subject),
                what=_what(entry, ticket, target, schools),
                ticket_reference=ticket.reference if ticket else None,
            )
        )
    return lines


def _who(entry: AuditEntry, user: User | None) -> str:
    if user is not None:
        return f"{user.display_name} ({user.role_label.lower()}, {user.email})"
    if entry.action == "login_failed":
        return "Adresse inconnue"
    return ANONYMOUS_LABELS.get(entry.user_label, entry.user_label)


def _ticket_words(entry: AuditEntry, ticket: Ticket | None) -> str:
    if ticket is not None:
        return f"la demande {ticket.reference} de {ticket.requester_name}"
    if entry.ticket_id:
        return f"la demande n° {entry.ticket_id} (supprimée)"
    return "une demande supprimée"


def _what(entry: AuditEntry, ticket: Ticket | None, target, schools: dict) -> str:
    subject = entry.subject
    if subject == "ticket":
        words = _ticket_words(entry, ticket)
        return words[0].upper() + words[1:]
    if subject == "diagnostic":
        return f"Diagnostic de {_ticket_words(entry, ticket)}"
    if subject == "attachment":
        if target is None:
            return f"Pièce jointe n° {entry.object_ref} (supprimée)"
        return f"Pièce jointe « {target.filename} » de {_ticket_words(entry, ticket)}"
    if subject == "inbound_mail":
        if target is None:
            return f"Courriel reçu n° {entry.object_ref} (supprimé)"
        sender = target.from_address or "expéditeur inconnu"
        return f"Courriel reçu de {sender} : « {target.subject or 'sans objet'} »"
    if subject == "outbox_mail":
        if target is None:
            return f"Courriel envoyé n° {entry.object_ref} (supprimé)"
        return f"Courriel à {target.to_address} : « {target.subject} »"
    if subject == "comptes_a_surveiller":
        school = schools.get(entry.object_ref)
        name = f"{school.name} ({school.uai})" if school else entry.object_ref
        return f"Comptes à surveiller de l'école {name}"
    if subject == "session":
        return "Connexion à l'application"
    if subject == "journal":
        return "Journal des accès aux données"
    if subject == "rapport_satisfaction":
        where = f"de l'école {entry.object_ref}" if entry.object_ref else "de toutes les écoles"
        return f"Commentaires de satisfaction {where}"
    return entry.object_ref or "—"


def export_rows(session: Session, filters: AuditFilters) -> Iterator[JournalLine]:
    """Every entry the filters keep, most recent first, read in pages of a thousand."""
    stmt = filters.apply(select(AuditEntry)).order_by(
        AuditEntry.created_at.desc(), AuditEntry.id.desc()
    )
    for offset in range(0, MAX_EXPORT_ROWS, 1000):
        entries = list(session.scalars(stmt.limit(1000).offset(offset)))
        yield from journal_lines(session, entries)
        if len(entries) < 1000:
            return


def journal_csv(lines: Iterable[JournalLine]) -> Iterator[str]:
    """CSV for a spreadsheet: semicolons, a byte-order mark, Paris times."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Date", "Qui", "Action", "Sujet", "Objet", "Demande", "Précisions"])
    yield "\ufeff" + buffer.getvalue()
    for line in lines:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                line.entry.created_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M:%S"),
                line.who,
                line.action,
                line.subject,
                line.what,
                line.ticket_reference or "",
                line.entry.detail or "",
            ]
        )
        yield buffer.getvalue()
