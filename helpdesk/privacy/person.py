"""Everything the helpdesk holds about one person, found from an e-mail address or a phone.

A person is found by what identifies them without doubt: the address or the number they gave.
Their own requests are those they filed; other requests (a director's, say) that quote the
address or the number mention them, and only those passages are theirs. Names alone are never
searched: two parents may share one, and the wrong person's data must never be exported or
erased.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select, true
from sqlalchemy.orm import Session

from helpdesk.accounts.models import Account, Responsable
from helpdesk.audit.models import AuditEntry
from helpdesk.auth.models import User
from helpdesk.core.errors import DomainError
from helpdesk.deflection.models import DeflectionEvent
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.privacy.anonymise import ERASED, anonymise_tickets
from helpdesk.privacy.models import RgpdRequest
from helpdesk.tickets.models import Attachment, Message, Ticket, TicketEvent
from helpdesk.util.phones import parse_french_phone

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Identity:
    """What was typed, and the spellings under which it may appear in texts."""

    kind: str  # "email" or "phone"
    value: str
    variants: tuple[str, ...]
    e164: str | None = None

    @property
    def masked(self) -> str:
        """A form that can go in a journal: the kind and nothing of the value."""
        return "adresse électronique" if self.kind == "email" else "numéro de téléphone"


def parse_identity(text: str) -> Identity:
    """An Identity from an e-mail address or a phone number, or a French DomainError."""
    value = (text or "").strip()
    if _EMAIL.match(value):
        email = value.lower()
        return Identity("email", email, (email,))
    e164 = parse_french_phone(value)
    if e164 is None:
        raise DomainError("Indiquez une adresse électronique ou un numéro de téléphone valide.")
    return Identity("phone", e164, phone_variants(e164), e164)


def phone_variants(e164: str) -> tuple[str, ...]:
    """The usual French writings of a number: +33…, 0…, in pairs with spaces, dots or dashes."""
    variants = {e164}
    if e164.startswith("+33") and len(e164) == 12:
        national = "0" + e164[3:]
        pairs = [national[i : i + 2] for i in range(0, 10, 2)]
        variants.update(
            {
                national,
                " ".join(pairs),
                ".".join(pairs),
                "-".join(pairs),
                "+33 " + national[1] + " " + " ".join(pairs[1:]),
                "+33" + national[1:],
                "0033" + national[1:],
            }
        )
    return tuple(sorted(variants, key=len, reverse=True))


@dataclass
class PersonData:
    identity: Identity
    own_tickets: list[Ticket] = field(default_factory=list)
    mentioning_tickets: list[Ticket] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    inbound: list[InboundMessage] = field(default_factory=list)
    outbox: list[OutboxMessage] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    diagnoses: list[TicketDiagnosis] = field(default_factory=list)
    rgpd_requests: list[RgpdRequest] = field(default_factory=list)
    deflection: list[DeflectionEvent] = field(default_factory=list)
    directory_responsables: list[Responsable] = field(default_factory=list)
    directory_accounts: list[Account] = field(default_factory=list)
    #: The names the person gave in their own requests (redacted where they are quoted).
    names: list[str] = field(default_factory=list)
    #: Every writing of the addresses and numbers found to be the person's.
    variants: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(
            self.own_tickets
            or self.mentioning_tickets
            or self.inbound
            or self.outbox
            or self.audit
            or self.deflection
            or self.directory_responsables
            or self.directory_accounts
        )

    @property
    def ticket_ids(self) -> list[int]:
        return [t.id for t in self.own_tickets + self.mentioning_tickets]


def _given_identifiers(tickets: list[Ticket]) -> list[str]:
    found: list[str] = []
    for ticket in tickets:
        if ticket.requester_email:
            found.append(ticket.requester_email.lower())
        e164 = parse_french_phone(ticket.requester_phone or "")
        if e164:
            found.extend(phone_variants(e164))
    return found


def _tickets_given_by(session: Session, variants: tuple[str, ...]) -> list[Ticket]:
    """Requests whose requester gave one of these addresses or numbers."""
    emails = [v for v in variants if "@" in v]
    phones = [v for v in variants if "@" not in v]
    return list(
        session.scalars(
            select(Ticket)
            .where(
                or_(
                    func.lower(Ticket.requester_email).in_(emails),
                    Ticket.requester_phone.in_(phones),
                )
            )
            .order_by(Ticket.id)
        )
    )


def _contains_any(column, variants: tuple[str, ...]):
    return or_(*(func.lower(column).contains(v.lower(), autoescape=True) for v in variants))


def find_person(session: Session, identity: Identity) -> PersonData:
    data = PersonData(identity)
    variants = identity.variants
    data.own_tickets = _tickets_given_by(session, variants)
    # The address and the number the person gave together in a request are both theirs.
    variants = tuple(dict.fromkeys([*variants, *_given_identifiers(data.own_tickets)]))
    if len(variants) > len(identity.variants):
        data.own_tickets = _tickets_given_by(session, variants)
    own_ids = [t.id for t in data.own_tickets]
    data.names = sorted({t.requester_name for t in data.own_tickets if t.requester_name})
    data.variants = variants
    texts_and_names = (*variants, *data.names)

    quoted_in_message = select(Message.ticket_id).where(
        or_(_contains_any(Message.body, variants), _contains_any(Message.body_html, variants))
    )
    data.mentioning_tickets = list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.id.not_in(own_ids) if own_ids else true(),
                or_(
                    Ticket.id.in_(quoted_in_message),
                    _contains_any(Ticket.subject, variants),
                    _contains_any(Ticket.concerned_person, variants),
                    _contains_any(Ticket.requester_email, variants),
                ),
            )
            .order_by(Ticket.id)
        )
    )
    ids = data.ticket_ids
    data.messages = list(
        session.scalars(
            select(Message)
            .where(
                or_(
                    Message.ticket_id.in_(own_ids),
                    Message.ticket_id.in_(ids)
                    & or_(
                        _contains_any(Message.body, variants),
                        _contains_any(Message.body_html, variants),
                    ),
                )
            )
            .order_by(Message.ticket_id, Message.id)
        )
    )
    data.attachments = list(
        session.scalars(
            select(Attachment).where(Attachment.ticket_id.in_(own_ids)).order_by(Attachment.id)
        )
    )
    by_address = (
        func.lower(InboundMessage.from_address) == identity.value
        if identity.kind == "email"
        else False
    )
    data.inbound = list(
        session.scalars(
            select(InboundMessage)
            .where(or_(InboundMessage.ticket_id.in_(ids), by_address))
            .order_by(InboundMessage.id)
        )
    )
    data.outbox = list(
        session.scalars(
            select(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.ticket_id.in_(own_ids),
                    func.lower(OutboxMessage.to_address) == identity.value,
                    _contains_any(OutboxMessage.body_text, texts_and_names),
                )
            )
            .order_by(OutboxMessage.id)
        )
    )
    data.audit = list(
        session.scalars(
            select(AuditEntry)
            .where(
                or_(
                    AuditEntry.ticket_id.in_(ids),
                    _contains_any(AuditEntry.detail, texts_and_names),
                    _contains_any(AuditEntry.object_ref, variants),
                )
            )
            .order_by(AuditEntry.id)
        )
    )
    data.diagnoses = list(
        session.scalars(
            select(TicketDiagnosis)
            .where(TicketDiagnosis.ticket_id.in_(ids))
            .order_by(TicketDiagnosis.id)
        )
    )
    data.rgpd_requests = list(
        session.scalars(select(RgpdRequest).where(RgpdRequest.ticket_id.in_(own_ids)))
    )
    data.deflection = list(
        session.scalars(
            select(DeflectionEvent).where(_contains_any(DeflectionEvent.query, texts_and_names))
        )
    )
    if identity.kind == "email":
        data.directory_responsables = list(
            session.scalars(select(Responsable).where(Responsable.email_key == identity.value))
        )
        data.directory_accounts = list(
            session.scalars(select(Account).where(Account.email_key == identity.value))
        )
    else:
        data.directory_responsables = list(
            session.scalars(
                select(Responsable).where(
                    or_(
                        Responsable.telephone_portable_e164 == identity.e164,
                        Responsable.telephone_fixe_e164 == identity.e164,
                    )
                )
            )
        )
        data.directory_accounts = list(
            session.scalars(select(Account).where(Account.telephone_e164 == identity.e164))
        )
    return data


# --- export --------------------------------------------------------------------------------


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export_person(data: PersonData, attachment_dir: Path) -> dict[str, Any]:
    """One JSON-ready object with everything found, attachments included (base64)."""
    own_ids = {t.id for t in data.own_tickets}
    references = {t.id: t.reference for t in data.own_tickets + data.mentioning_tickets}

    def ticket(t: Ticket, own: bool) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "reference": t.reference,
            "role": "demandeur" if own else "mentionné",
            "subject": t.subject,
            "channel": t.channel,
            "status": t.status,
            "motif": t.motif,
            "created_at": _when(t.created_at),
            "closed_at": _when(t.closed_at),
        }
        if own:
            entry |= {
                "requester_name": t.requester_name,
                "requester_email": t.requester_email,
                "requester_phone": t.requester_phone,
                "requester_kind": t.requester_kind,
                "child_name": t.child_name,
                "concerned_person": t.concerned_person,
            }
        return entry

    def attachment(a: Attachment) -> dict[str, Any]:
        path = Path(attachment_dir) / a.sha256[:2] / a.sha256
        content = path.read_bytes() if path.exists() else None
        return {
            "ticket": references.get(a.ticket_id),
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
            "content_base64": base64.b64encode(content).decode() if content is not None else None,
        }

    return {
        "identifiant": {"type": data.identity.kind, "valeur": data.identity.value},
        "noms": data.names,
        "demandes": [ticket(t, True) for t in data.own_tickets]
        + [ticket(t, False) for t in data.mentioning_tickets],
        "messages": [
            {
                "ticket": references.get(m.ticket_id),
                "author_kind": m.author_kind,
                "author_name": m.author_name,
                "is_internal": m.is_internal,
                "body": m.body,
                "created_at": _when(m.created_at),
            }
            for m in data.messages
        ],
        "pieces_jointes": [attachment(a) for a in data.attachments],
        "courriels_recus": [
            {
                "ticket": references.get(m.ticket_id),
                "from_address": m.from_address,
                "subject": m.subject,
                "received_at": _when(m.received_at),
                "raw": m.raw.decode("utf-8", "replace"),
            }
            for m in data.inbound
        ],
        "courriels_envoyes": [
            {
                "ticket": references.get(m.ticket_id),
                "to_address": m.to_address,
                "subject": m.subject,
                "body_text": m.body_text,
                "status": m.status,
                "created_at": _when(m.created_at),
            }
            for m in data.outbox
        ],
        "journal_des_acces": [
            {
                "ticket": references.get(e.ticket_id),
                "user": e.user_label,
                "action": e.action,
                "subject": e.subject,
                "object_ref": e.object_ref,
                "detail": e.detail,
                "created_at": _when(e.created_at),
            }
            for e in data.audit
        ],
        "diagnostics": [
            {
                "ticket": references.get(d.ticket_id),
                "request": d.request,
                "result": d.result,
                "summary": d.summary,
                "created_at": _when(d.created_at),
            }
            for d in data.diagnoses
            if d.ticket_id in own_ids or _mentions(d, data.variants)
        ],
        "demandes_rgpd": [
            {
                "ticket": references.get(r.ticket_id),
                "right": r.right,
                "received_at": _when(r.received_at),
                "due_at": _when(r.due_at),
                "identity_state": r.identity_state,
                "answered_at": _when(r.answered_at),
                "answer": r.answer,
            }
            for r in data.rgpd_requests
        ],
        "recherches_saisies": [
            {"query": e.query, "created_at": _when(e.created_at)} for e in data.deflection
        ],
        "annuaire_educonnect": {
            "responsables": [
                {
                    "responsable_id": r.responsable_id,
                    "nom": r.nom,
                    "prenom": r.prenom,
                    "email": r.email,
                    "telephone_portable": r.telephone_portable,
                }
                for r in data.directory_responsables
            ],
            "comptes": [
                {
                    "compte_id": a.compte_id,
                    "identifiant": a.identifiant,
                    "etat": a.etat,
                    "email": a.email,
                    "telephone": a.telephone,
                }
                for a in data.directory_accounts
            ],
        },
    }


def _mentions(diagnosis: TicketDiagnosis, variants: tuple[str, ...]) -> bool:
    import json

    text = json.dumps([diagnosis.request, diagnosis.result], ensure_ascii=False).lower()
    return any(v.lower() in text for v in variants)


# --- erasure -------------------------------------------------------------------------------


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
