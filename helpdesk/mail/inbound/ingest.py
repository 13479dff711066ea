"""Turn one inbound e-mail into a ticket or a reply, through the ticket services.

Every message is first stored raw in ``inbound_message`` (once: same SHA-256 or same
Message-ID is a duplicate), then handled inside a savepoint: whatever goes wrong, the raw
message stays, with its status and error, for agents to see.

A message joins an existing ticket when its threading headers (In-Reply-To, References) or
its reference (subject tag, plus-address) point at one *and* its sender takes part in that
ticket (the requester, the assignee, a director of the ticket's school). Anything else opens
a new ticket, categorised like the forms' tickets. Automatic replies and bounces never
create tickets nor cause replies; a bounce flags the address as failing.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import getaddresses

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from helpdesk.auth.models import User
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.mail.bounces import mark_address_failing
from helpdesk.mail.inbound.parsing import ParsedMail, ParseLimits, parse_message
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.mail.references import (
    REFERENCE_PATTERN,
    reference_of,
    strip_reply_prefixes,
    strip_subject_tags,
)
from helpdesk.schools.models import School
from helpdesk.tickets import attachments as attachment_store
from helpdesk.tickets import services
from helpdesk.tickets.models import Attachment, Message, Ticket

logger = logging.getLogger(__name__)

MAX_HTML_CHARS = 500_000
#: More tickets than this from one address in an hour: no more receipts (a mail loop).
LOOP_LIMIT = 20
_ROOT_ID_RE = re.compile(rf"^<ticket-({REFERENCE_PATTERN})@", re.IGNORECASE)
_FORWARD_RE = re.compile(r"^\s*(tr|fwd?|fw|transf[ée]r[ée])\s*:", re.IGNORECASE)
_SCHOOL_ADDRESS_RE = re.compile(r"^ce\.(\d{7}[a-z])@", re.IGNORECASE)
_NO_REPLY_RE = re.compile(
    r"^(no-?reply|do-?not-?reply|ne-?pas-?repondre|nepasrepondre|noreponse)[^@]*@", re.IGNORECASE
)


@dataclass
class IngestResult:
    #: 'created', 'threaded', 'auto_reply', 'bounce', 'ignored', 'unparseable', 'error'
    #: or 'duplicate' (already ingested: nothing done).
    status: str
    inbound_id: int | None = None
    ticket_id: int | None = None
    reference: str | None = None
    message_id: int | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_duplicate(self) -> bool:
        return self.status == "duplicate"


def ingest_message(
    session: Session, ctx: ServiceContext, raw: bytes, mailbox_id: int | None = None
) -> IngestResult:
    """Ingest one RFC 5322 message; flushes, the caller commits. Never raises for bad input."""
    raw = bytes(raw or b"")
    digest = hashlib.sha256(raw).hexdigest()
    found = session.scalar(select(InboundMessage.id).where(InboundMessage.sha256 == digest))
    if found is not None:
        return IngestResult("duplicate", found)
    mail = parse_message(raw, ParseLimits(max_attachment_bytes=ctx.max_attachment_bytes))
    header_id = mail.message_id if mail.message_id and len(mail.message_id) <= 300 else None
    if header_id is not None:
        original = session.scalar(
            select(InboundMessage).where(InboundMessage.message_id == header_id)
        )
        if original is not None:
            _keep_copy(session, original, raw, digest, mail, mailbox_id)
            return IngestResult("duplicate", original.id, ticket_id=original.ticket_id)
    record = InboundMessage(
        sha256=digest,
        message_id=header_id,
        raw=raw,
        size=len(raw),
        from_address=(mail.from_address or None) and mail.from_address[:254],
        subject=(mail.subject or None) and mail.subject[:300],
        status="received",
        mailbox_id=mailbox_id,
        received_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        # Another process stored the same message a moment ago.
        same = [InboundMessage.sha256 == digest]
        if header_id is not None:
            same.append(InboundMessage.message_id == header_id)
        found = session.scalar(select(InboundMessage.id).where(or_(*same)).limit(1))
        return IngestResult("duplicate", found)
    return handle_parsed(session, ctx, mail, record)


def _keep_copy(
    session: Session,
    original: InboundMessage,
    raw: bytes,
    digest: str,
    mail: ParsedMail,
    mailbox_id: int | None,
) -> None:
    """Keep another copy of an ingested message (other bytes, same Message-ID), unhandled."""
    copy = InboundMessage(
        sha256=digest,
        message_id=None,
        raw=raw,
        size=len(raw),
        from_address=(mail.from_address or None) and mail.from_address[:254],
        subject=(mail.subject or None) and mail.subject[:300],
        status="duplicate",
        error=f"Même Message-ID que le message reçu n° {original.id} : non traité de nouveau.",
        ticket_id=original.ticket_id,
        mailbox_id=mailbox_id,
        received_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(copy)
            session.flush()
    except IntegrityError:
        pass  # another process kept the same copy a moment ago


def reprocess(session: Session, ctx: ServiceContext, record: InboundMessage) -> IngestResult:
    """Handle again a message whose handling failed (after a fix); flushes."""
    if record.status not in ("error", "received"):
        raise DomainError("Seuls les messages en erreur peuvent être traités de nouveau.")
    record.error = None
    mail = parse_message(record.raw, ParseLimits(max_attachment_bytes=ctx.max_attachment_bytes))
    return handle_parsed(session, ctx, mail, record)


def handle_parsed(
    session: Session, ctx: ServiceContext, mail: ParsedMail, record: InboundMessage
) -> IngestResult:
    """Turn a stored message into a ticket or a reply in a savepoint; a failure is recorded."""
    try:
        with session.begin_nested():
            result = _handle(session, ctx, mail, record)
    except Exception as exc:  # a message is never lost: keep it raw with what went wrong
        logger.exception("inbound message %s could not be handled", record.id)
        record.status = "error"
        record.error = f"{type(exc).__name__} : {exc}"[:2000]
        session.flush()
        return IngestResult("error", record.id, error=record.error)
    session.flush()
    return result


def _handle(
    session: Session, ctx: ServiceContext, mail: ParsedMail, record: InboundMessage
) -> IngestResult:
    def done(status: str, ticket: Ticket | None = None, **extra) -> IngestResult:
        record.status = status
        record.ticket_id = ticket.id if ticket is not None else record.ticket_id
        notes = extra.pop("notes", [])
        record.notes = "\n".join(notes) or None
        return IngestResult(
            status,
            record.id,
            ticket_id=record.ticket_id,
            reference=ticket.reference if ticket is not None else None,
            error=record.error,
            notes=notes,
            **extra,
        )

    if mail.is_unparseable:
        record.error = mail.error or "Message illisible."
        return done("unparseable")
    if mail.is_bounce:
        return done("bounce", _bounce(session, mail))
    sender = (mail.from_address or "").strip().lower()
    if not sender:
        record.error = "Le message n'indique pas d'expéditeur."
        return done("ignored")
    if sender in _own_addresses(ctx):
        record.error = "Message envoyé par l'assistance elle-même : ignoré pour éviter une boucle."
        return done("ignored")
    candidates = _candidate_tickets(session, ctx, mail)
    if mail.is_auto_reply:
        return done("auto_reply", candidates[0] if candidates else None)

    new_text, quoted, signature = mail.reply_parts()
    uploads, inline, notes = _uploads(ctx, mail)
    html = mail.html_sanitised if len(mail.html_sanitised) <= MAX_HTML_CHARS else ""
    for ticket in candidates:
        matched, actor = _participant(session, ticket, sender)
        if not matched:
            continue
        if ticket.status == "clos" and (actor is None or not actor.is_staff):
            notes.append(f"Réponse à la demande close {ticket.reference} : nouvelle demande.")
            break
        body = new_text.strip() or ("" if uploads else mail.text.strip())
        message = services.add_message(
            session,
            ctx,
            ticket,
            actor,
            body or "(message sans texte)",
            uploads=uploads,
            email_message_id=record.message_id,
            body_html=html or None,
        )
        if actor is None and ticket.requester_email_failing:
            ticket.requester_email_failing = False
        _mark_inline(session, message.id, inline)
        record.ticket_message_id = message.id
        record.signature = signature.strip() or None
        return done("threaded", ticket, message_id=message.id, notes=notes)
    else:
        if candidates:
            notes.append(
                "Référence d'une demande existante, mais l'expéditeur n'y participe pas : "
                "nouvelle demande."
            )

    ticket, message = _open(session, ctx, mail, sender, new_text, quoted, uploads)
    _mark_inline(session, message.id, inline)
    if _no_receipt(session, ticket, sender):
        session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.ticket_id == ticket.id, OutboxMessage.kind == "request_received"
            )
        )
        notes.append("Aucun accusé de réception envoyé (adresse sans réponse ou boucle).")
    record.ticket_message_id = message.id
    record.signature = signature.strip() or None
    return done("created", ticket, message_id=message.id, notes=notes)


def _own_addresses(ctx: ServiceContext) -> set[str]:
    addresses = {address.lower() for _, address in getaddresses([ctx.mail_from, ctx.reply_to])}
    return {a for a in addresses if a}


def _bounce(session: Session, mail: ParsedMail) -> Ticket | None:
    """Flag the returned addresses; return the ticket of the returned notification, if known."""
    addresses = list(mail.bounced_recipients)
    ticket = None
    if mail.original_message_id:
        original = session.scalar(
            select(OutboxMessage).where(OutboxMessage.message_id == mail.original_message_id)
        )
        if original is not None:
            addresses.append(original.to_address.lower())
            original.last_error = "Retour en erreur reçu après l'envoi."
            if original.ticket_id:
                ticket = session.get(Ticket, original.ticket_id)
    for address in dict.fromkeys(addresses):
        mark_address_failing(session, address)
    return ticket


def _follow_merges(session: Session, ticket: Ticket | None) -> Ticket | None:
    for _ in range(10):
        if ticket is None or ticket.merged_into_id is None:
            return ticket
        ticket = session.get(Ticket, ticket.merged_into_id)
    return ticket


def _candidate_tickets(session: Session, ctx: ServiceContext, mail: ParsedMail) -> list[Ticket]:
    """Tickets the message points at: by its threading headers first, then its reference."""
    found: list[Ticket] = []
    ids = [i for i in mail.thread_message_ids if len(i) <= 300][:50]
    if ids:
        ticket_id = session.scalar(
            select(OutboxMessage.ticket_id)
            .where(OutboxMessage.message_id.in_(ids), OutboxMessage.ticket_id.is_not(None))
            .limit(1)
        )
        if ticket_id is None:
            ticket_id = session.scalar(
                select(Message.ticket_id).where(Message.email_message_id.in_(ids)).limit(1)
            )
        if ticket_id is not None:
            found.append(session.get(Ticket, ticket_id))
        for value in ids:
            match = _ROOT_ID_RE.match(value)
            if match:
                found.append(services.get_by_reference(session, match.group(1)))
    reference = reference_of(mail)
    if reference:
        found.append(services.get_by_reference(session, reference))
    unique: dict[int, Ticket] = {}
    for ticket in found:
        ticket = _follow_merges(session, ticket)
        if ticket is not None:
            unique.setdefault(ticket.id, ticket)
    return list(unique.values())


def _user_by_email(session: Session, address: str) -> User | None:
    return session.scalar(
        select(User)
        .options(selectinload(User.schools))
        .where(func.lower(User.email) == address, User.is_active_account.is_(True))
    )


def _participant(session: Session, ticket: Ticket, sender: str) -> tuple[bool, User | None]:
    """Whether the sender takes part in the ticket, and as which account (None: requester)."""
    if ticket.requester_email and ticket.requester_email.lower() == sender:
        return True, None
    user = _user_by_email(session, sender)
    if user is None:
        return False, None
    if ticket.assignee_id is not None and user.id == ticket.assignee_id:
        return True, user
    if user.is_director and ticket.school_id is not None and ticket.school_id in user.school_ids:
        return True, user
    return False, None


def _uploads(
    ctx: ServiceContext, mail: ParsedMail
) -> tuple[list[attachment_store.Upload], list[bool], list[str]]:
    uploads, inline, notes = [], [], []
    for skipped in mail.skipped:
        notes.append(f"Pièce jointe « {skipped.filename} » écartée : {skipped.reason}")
    for item in mail.attachments:
        upload = attachment_store.Upload(item.filename, item.content_type, item.data)
        try:
            checked = attachment_store.check_upload(upload, ctx.max_attachment_bytes)
        except DomainError as exc:
            notes.append(f"Pièce jointe écartée : {exc}")
            continue
        uploads.append(checked)
        inline.append(item.is_inline)
    return uploads, inline, notes


def _mark_inline(session: Session, message_id: int, inline: list[bool]) -> None:
    if not any(inline):
        return
    stored = session.scalars(
        select(Attachment).where(Attachment.message_id == message_id).order_by(Attachment.id)
    ).all()
    for attachment, is_inline in zip(stored, inline, strict=False):
        attachment.is_inline = is_inline


def _clean_subject(subject: str) -> str:
    """Drop reply prefixes and other tickets' tags: the new ticket gets its own."""
    return " ".join(strip_reply_prefixes(strip_subject_tags(subject)).split())


def _open(
    session: Session,
    ctx: ServiceContext,
    mail: ParsedMail,
    sender: str,
    new_text: str,
    quoted: str,
    uploads: list[attachment_store.Upload],
) -> tuple[Ticket, Message]:
    body = new_text.strip()
    if quoted.strip() and (_FORWARD_RE.match(mail.subject or "") or not body):
        # A forward: what was forwarded is the request.
        body = f"{body}\n\n{quoted.strip()}".strip()
    user = _user_by_email(session, sender)
    actor = user if user is not None and user.is_director else None
    school_id = None
    kind = "parent"
    if actor is not None:
        kind = "directeur"
        if len(actor.schools) == 1:
            school_id = actor.schools[0].id
    else:
        match = _SCHOOL_ADDRESS_RE.match(sender)
        if match:
            kind = "directeur"
            school_id = session.scalar(
                select(School.id).where(School.uai == match.group(1).upper())
            )
    name = mail.from_name.strip() or sender.split("@", 1)[0]
    data = services.TicketInput(
        subject=_clean_subject(mail.subject) or "(sans objet)",
        body=body or "(message sans texte)",
        channel="email",
        requester_name=name,
        requester_email=sender,
        requester_kind=kind,
        school_id=school_id,
        uploads=uploads,
        email_message_id=mail.message_id
        if mail.message_id and len(mail.message_id) <= 300
        else None,
        body_html=(mail.html_sanitised or None)
        if len(mail.html_sanitised) <= MAX_HTML_CHARS
        else None,
    )
    ticket = services.open_ticket(session, ctx, actor, data)
    message = session.scalars(
        select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id).limit(1)
    ).one()
    return ticket, message


def _no_receipt(session: Session, ticket: Ticket, sender: str) -> bool:
    if _NO_REPLY_RE.match(sender):
        return True
    since = utcnow() - timedelta(hours=1)
    recent = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.requester_email == sender,
            Ticket.channel == "email",
            Ticket.created_at >= since,
        )
    )
    return (recent or 0) > LOOP_LIMIT
