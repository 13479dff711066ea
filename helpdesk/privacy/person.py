"""Everything the helpdesk holds about one person, found from an e-mail address or a phone.

A person is found by what identifies them without doubt: the address or the number they gave.
Their own requests are those they filed; other requests (a director's, say) that quote the
address or the number mention them, and only those passages are theirs. Names alone are never
searched: two parents may share one, and the wrong person's data must never be exported or
erased.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from helpdesk.accounts.models import Account, Responsable
from helpdesk.audit.models import AuditEntry
from helpdesk.core.errors import DomainError
from helpdesk.deflection.models import DeflectionEvent
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.privacy.models import RgpdRequest
from helpdesk.tickets.models import Attachment, Message, Ticket
from helpdesk.util.phones import parse_french_phone, written_forms

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
    return Identity("phone", e164, written_forms(e164), e164)


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
            found.extend(written_forms(e164))
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
