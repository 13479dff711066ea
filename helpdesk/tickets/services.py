"""Every change of a ticket's state goes through these functions (web, mail, CLI alike)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.core import signals
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError, PermissionDenied
from helpdesk.tickets import attachments as attachment_store
from helpdesk.tickets import sla
from helpdesk.tickets.intake import IntakeDetails, save_intake
from helpdesk.tickets.models import (
    CHANNELS,
    PRIORITIES,
    REQUESTER_KINDS,
    STATUSES,
    Attachment,
    Message,
    SlaSetting,
    SlaTarget,
    Ticket,
    TicketEvent,
)
from helpdesk.tickets.permissions import can_manage, can_view
from helpdesk.tickets.references import next_reference
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE, MOTIF_NATURE, MOTIFS, NATURES, TYPES
from helpdesk.util.language import detect_language
from helpdesk.util.text import single_line

MAX_BODY = 20_000


@dataclass
class TicketInput:
    subject: str
    body: str
    channel: str
    requester_name: str
    requester_email: str | None = None
    requester_phone: str | None = None
    requester_kind: str = "parent"
    school_id: int | None = None
    child_name: str | None = None
    concerned_person: str | None = None
    type_demande: str | None = None
    nature: str | None = None
    motif: str | None = None
    priority: str = "normale"
    uploads: list[attachment_store.Upload] = field(default_factory=list)
    email_message_id: str | None = None
    body_html: str | None = None
    created_at: datetime | None = None
    #: What the form asked about the account concerned (tickets/intake.py).
    intake: IntakeDetails | None = None


def clean_line(text: str, limit: int) -> str:
    """A typed name or subject, cleaned as the mail path cleans its headers."""
    return single_line(clean_text(text, limit * 2))[:limit]


def clean_text(text: str, limit: int = MAX_BODY) -> str:
    """Drop control characters (but keep line breaks and tabs) and trailing spaces."""
    cleaned = "".join(c for c in text if c in "\n\t" or (ord(c) >= 32 and ord(c) != 127))
    return cleaned.replace("\r\n", "\n").strip()[:limit]


def actor_name(actor: User | None, fallback: str = "Système") -> str:
    return actor.display_name if actor is not None else fallback


def record_event(
    session: Session,
    ticket: Ticket,
    actor: User | None,
    kind: str,
    old: str | None = None,
    new: str | None = None,
    actor_label: str | None = None,
) -> TicketEvent:
    """One line of the ticket's history. Values are codes wherever the thing has a code
    (status, priority, categories): labels are chosen when the history is shown."""
    event = TicketEvent(
        ticket_id=ticket.id,
        actor_id=actor.id if actor else None,
        actor_name=actor_label or actor_name(actor),
        kind=kind,
        old_value=old[:400] if old else old,
        new_value=new[:400] if new else new,
    )
    session.add(event)
    return event


def sla_targets(session: Session, priority: str) -> tuple[int, int]:
    target = session.get(SlaTarget, priority)
    if target is not None:
        return target.first_response_minutes, target.resolution_minutes
    return sla.DEFAULT_TARGETS[priority]


def _apply_sla(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    """Due dates from the targets, moved by the time the clock already stood still."""
    calendar = sla.BusinessCalendar(**ctx.calendar_overrides)
    first, resolution = sla_targets(session, ticket.priority)
    paused = ticket.sla_paused_minutes or 0
    ticket.first_response_due_at = sla.add_business_minutes(
        ticket.created_at, first + paused, calendar
    )
    ticket.resolution_due_at = sla.add_business_minutes(
        ticket.created_at, resolution + paused, calendar
    )


#: Key of the option "the clock stands still while waiting for the requester".
PAUSE_SETTING = "pause_en_attente"


def pause_enabled(session: Session) -> bool:
    """Whether waiting for the requester stops the SLA clock (on unless an admin turned it off)."""
    row = session.get(SlaSetting, PAUSE_SETTING)
    return row is None or row.value == "1"


def set_pause_enabled(session: Session, enabled: bool) -> None:
    row = session.get(SlaSetting, PAUSE_SETTING)
    if row is None:
        row = SlaSetting(key=PAUSE_SETTING, value="")
        session.add(row)
    row.value = "1" if enabled else "0"
    session.flush()


def _pause_clock(
    session: Session, ticket: Ticket, actor: User | None, now: datetime, actor_label: str | None
) -> None:
    if ticket.sla_paused_at is not None or not pause_enabled(session):
        return
    ticket.sla_paused_at = now
    record_event(session, ticket, actor, "sla_paused", actor_label=actor_label)


def _resume_clock(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    actor: User | None,
    now: datetime,
    actor_label: str | None,
) -> None:
    """Start the clock again: the due dates move by the business time it stood still."""
    if ticket.sla_paused_at is None:
        return
    calendar = sla.BusinessCalendar(**ctx.calendar_overrides)
    paused = sla.business_minutes_between(ticket.sla_paused_at, now, calendar)
    if paused:
        if ticket.first_response_at is None and ticket.first_response_due_at is not None:
            ticket.first_response_due_at = sla.add_business_minutes(
                ticket.first_response_due_at, paused, calendar
            )
        if ticket.resolution_due_at is not None:
            ticket.resolution_due_at = sla.add_business_minutes(
                ticket.resolution_due_at, paused, calendar
            )
    ticket.sla_paused_minutes = (ticket.sla_paused_minutes or 0) + paused
    ticket.sla_paused_at = None
    record_event(
        session,
        ticket,
        actor,
        "sla_resumed",
        new=sla.format_business_duration(paused),
        actor_label=actor_label,
    )


def _check_labels(type_demande: str, nature: str, motif: str) -> None:
    if type_demande not in TYPES or nature not in NATURES or motif not in MOTIFS:
        raise DomainError("Catégorie inconnue.")
    if MOTIF_NATURE[motif] != nature:
        raise DomainError(
            f"Le motif « {MOTIFS[motif]} » relève de la nature « {NATURES[MOTIF_NATURE[motif]]} »."
        )


@dataclass(frozen=True)
class _Labels:
    type_demande: str
    nature: str
    motif: str
    confidence: float | None
    unsure: bool
    language: str
    second_motif: str | None = None
    #: The nature the requester chose when the text tells another one.
    nature_requested: str | None = None


def _label(ctx: ServiceContext, data: TicketInput) -> _Labels:
    """Labels given by the requester win; the categoriser fills in the rest.

    A nature chosen by the requester that the text does not fit (a director filing a livret
    problem under EduConnect, as the académie's guide tells them) does not force a motif of
    that nature: the ticket takes the motif the text tells and goes to "À qualifier", with
    the requester's choice recorded for the agent.
    """
    prediction = ctx.classifier(data.subject, data.body) if ctx.classifier is not None else None
    language = prediction.language if prediction else detect_language(data.subject, data.body)
    if data.motif:
        motif = data.motif
        nature = data.nature or MOTIF_NATURE[motif]
        type_demande = data.type_demande or MOTIF_DEFAULT_TYPE[motif]
        return _Labels(type_demande, nature, motif, None, False, language)
    if prediction is not None:
        unsure = prediction.confidence < ctx.classify_threshold
        requested = None
        if data.nature and data.nature != prediction.nature:
            requested, unsure = data.nature, True
        return _Labels(
            data.type_demande or prediction.type,
            prediction.nature,
            prediction.motif,
            prediction.confidence,
            unsure,
            language,
            prediction.second_motif,
            requested,
        )
    nature = data.nature or "AUTRE"
    motif = _fallback_motif(nature)
    return _Labels(
        data.type_demande or MOTIF_DEFAULT_TYPE[motif], nature, motif, None, True, language
    )


def _fallback_motif(nature: str) -> str:
    return next((m for m, n in MOTIF_NATURE.items() if n == nature and m != "autre"), "autre")


def _attach(
    session: Session, ctx: ServiceContext, ticket: Ticket, message: Message, uploads
) -> list[Attachment]:
    stored = []
    for upload in uploads:
        checked = attachment_store.check_upload(upload, ctx.max_attachment_bytes)
        digest = attachment_store.store(session, checked.data)
        attachment = Attachment(
            ticket_id=ticket.id,
            message=message,
            filename=checked.filename,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=digest,
        )
        session.add(attachment)
        stored.append(attachment)
    return stored


def open_ticket(
    session: Session, ctx: ServiceContext, actor: User | None, data: TicketInput
) -> Ticket:
    if data.channel not in CHANNELS:
        raise DomainError("Canal inconnu.")
    if data.requester_kind not in REQUESTER_KINDS:
        raise DomainError("Type de demandeur inconnu.")
    if data.priority not in PRIORITIES:
        raise DomainError("Priorité inconnue.")
    subject = clean_line(data.subject, 200)
    body = clean_text(data.body)
    if not subject or not body:
        raise DomainError("L'objet et le message sont obligatoires.")
    labels = _label(ctx, data)
    _check_labels(labels.type_demande, labels.nature, labels.motif)
    now = data.created_at or utcnow()
    ticket = Ticket(
        reference=next_reference(session, now),
        subject=subject,
        type_demande=labels.type_demande,
        nature=labels.nature,
        motif=labels.motif,
        second_motif=labels.second_motif,
        language=labels.language,
        label_confidence=labels.confidence,
        needs_qualification=labels.unsure,
        status="nouveau",
        priority=data.priority,
        channel=data.channel,
        requester_name=clean_line(data.requester_name, 200) or "Demandeur",
        requester_email=(data.requester_email or "").strip().lower() or None,
        requester_phone=clean_text(data.requester_phone or "", 40) or None,
        requester_kind=data.requester_kind,
        school_id=data.school_id,
        child_name=clean_line(data.child_name or "", 200) or None,
        concerned_person=clean_line(data.concerned_person or "", 200) or None,
        created_by_id=actor.id if actor else None,
        created_at=now,
        updated_at=now,
    )
    _apply_sla(session, ctx, ticket)
    session.add(ticket)
    session.flush()
    message = Message(
        ticket_id=ticket.id,
        author_id=actor.id if actor else None,
        author_kind="directeur" if actor is not None and actor.is_director else "demandeur",
        author_name=ticket.requester_name,
        body=body,
        body_html=data.body_html,
        email_message_id=data.email_message_id,
        created_at=now,
    )
    if actor is not None and actor.is_staff:
        message.author_kind = "agent"
        message.author_name = actor.display_name
    session.add(message)
    session.flush()
    _attach(session, ctx, ticket, message, data.uploads)
    if data.intake is not None:
        save_intake(session, ticket.id, data.intake)
    record_event(
        session,
        ticket,
        actor,
        "created",
        new=CHANNELS[ticket.channel],
        actor_label=None if actor else ticket.requester_name,
    )
    if labels.nature_requested:
        record_event(
            session,
            ticket,
            actor,
            "nature_requested",
            None,
            labels.nature_requested,
            actor_label=None if actor else ticket.requester_name,
        )
    signals.ticket_opened.send(ticket, session=session, ctx=ctx, actor=actor)
    session.flush()
    return ticket


def add_message(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    actor: User | None,
    body: str,
    internal: bool = False,
    uploads: list[attachment_store.Upload] | None = None,
    new_status: str | None = None,
    email_message_id: str | None = None,
    body_html: str | None = None,
) -> Message:
    """A reply or internal note. actor None means the requester (tracking link or e-mail)."""
    if actor is not None and not can_view(actor, ticket):
        raise PermissionDenied("Vous n'avez pas accès à cette demande.")
    if internal and (actor is None or not can_manage(actor, ticket)):
        raise PermissionDenied("Seuls les agents écrivent des notes internes.")
    text = clean_text(body)
    if not text and not uploads:
        raise DomainError("Le message est vide.")
    if ticket.status == "clos" and (actor is None or not actor.is_staff):
        raise DomainError("Cette demande est close : ouvrez une nouvelle demande.")
    now = utcnow()
    if actor is None:
        kind, name = "demandeur", ticket.requester_name
    elif actor.is_staff:
        kind, name = "agent", actor.display_name
    else:
        kind, name = "directeur", actor.display_name
    message = Message(
        ticket_id=ticket.id,
        author_id=actor.id if actor else None,
        author_kind=kind,
        author_name=name,
        is_internal=internal,
        body=text or "(pièce jointe)",
        body_html=body_html,
        email_message_id=email_message_id,
        created_at=now,
    )
    session.add(message)
    session.flush()
    _attach(session, ctx, ticket, message, uploads or [])
    ticket.updated_at = now
    record_event(
        session,
        ticket,
        actor,
        "note" if internal else "reply",
        actor_label=None if actor else ticket.requester_name,
    )
    if kind == "agent" and not internal:
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        if ticket.assignee_id is None and actor is not None:
            ticket.assignee_id = actor.id
            record_event(session, ticket, actor, "assignee", new=actor.display_name)
        target = new_status or ("en_attente_demandeur" if ticket.is_open else ticket.status)
        resolves = target == "resolu" and ticket.status != "resolu"
        if target != ticket.status:
            change_status(session, ctx, ticket, actor, target, notify_requester=False)
        signals.agent_replied.send(
            ticket, session=session, ctx=ctx, message=message, resolved=resolves
        )
    elif kind == "agent" and new_status and new_status != ticket.status:
        change_status(session, ctx, ticket, actor, new_status)
    elif kind != "agent":
        if ticket.status in ("en_attente_demandeur", "resolu"):
            change_status(
                session, ctx, ticket, actor, "en_cours", notify_requester=False, actor_label=name
            )
        signals.requester_wrote.send(ticket, session=session, ctx=ctx, message=message)
    session.flush()
    return message


TRANSITIONS = {
    "nouveau": {"en_cours", "en_attente_demandeur", "resolu", "clos"},
    "en_cours": {"en_attente_demandeur", "resolu", "clos"},
    "en_attente_demandeur": {"en_cours", "resolu", "clos"},
    "resolu": {"en_cours", "clos"},
    "clos": {"en_cours"},
}


def change_status(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    actor: User | None,
    status: str,
    notify_requester: bool = True,
    actor_label: str | None = None,
) -> None:
    if status not in STATUSES:
        raise DomainError("Statut inconnu.")
    if status == ticket.status:
        return
    if status not in TRANSITIONS[ticket.status]:
        raise DomainError(
            f"Impossible de passer de « {STATUSES[ticket.status]} » à « {STATUSES[status]} »."
        )
    if actor is not None and not actor.is_staff and status not in ("clos", "en_cours"):
        raise PermissionDenied("Seuls les agents changent ce statut.")
    now = utcnow()
    old = ticket.status
    ticket.status = status
    ticket.updated_at = now
    if status == "resolu":
        ticket.resolved_at = now
    elif status == "clos":
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif status == "en_cours":
        ticket.resolved_at = None
        ticket.closed_at = None
    record_event(session, ticket, actor, "status", old, status, actor_label=actor_label)
    if status == "en_attente_demandeur":
        _pause_clock(session, ticket, actor, now, actor_label)
    else:
        _resume_clock(session, ctx, ticket, actor, now, actor_label)
    signals.status_changed.send(
        ticket, session=session, ctx=ctx, actor=actor, old=old, tell_requester=notify_requester
    )
    session.flush()


def assign(
    session: Session, ctx: ServiceContext, ticket: Ticket, actor: User, assignee: User | None
) -> None:
    if not can_manage(actor, ticket):
        raise PermissionDenied("Seuls les agents attribuent les demandes.")
    if assignee is not None and not assignee.is_staff:
        raise DomainError("Une demande ne peut être attribuée qu'à un agent.")
    if ticket.assignee_id == (assignee.id if assignee else None):
        return
    old = ticket.assignee.display_name if ticket.assignee else None
    ticket.assignee = assignee
    ticket.updated_at = utcnow()
    if ticket.status == "nouveau" and assignee is not None:
        change_status(session, ctx, ticket, actor, "en_cours")
    record_event(
        session, ticket, actor, "assignee", old, assignee.display_name if assignee else None
    )
    if assignee is not None and assignee.id != actor.id:
        signals.ticket_assigned.send(
            ticket, session=session, ctx=ctx, actor=actor, assignee=assignee
        )
    session.flush()


def relabel(
    session: Session,
    ticket: Ticket,
    actor: User,
    type_demande: str,
    nature: str,
    motif: str,
) -> None:
    """Agents' corrections; they are kept in the history and feed the categoriser."""
    if not can_manage(actor, ticket):
        raise PermissionDenied("Seuls les agents requalifient les demandes.")
    _check_labels(type_demande, nature, motif)
    changed = False
    for attr, kind, value in (
        ("type_demande", "type", type_demande),
        ("nature", "nature", nature),
        ("motif", "motif", motif),
    ):
        old = getattr(ticket, attr)
        if old != value:
            setattr(ticket, attr, value)
            record_event(session, ticket, actor, kind, old, value)
            changed = True
    if changed or ticket.needs_qualification:
        record_event(
            session, ticket, actor, "labels_confirmed", None, f"{type_demande}|{nature}|{motif}"
        )
    ticket.needs_qualification = False
    ticket.updated_at = utcnow()
    session.flush()


def set_priority(
    session: Session, ctx: ServiceContext, ticket: Ticket, actor: User, priority: str
) -> None:
    if not can_manage(actor, ticket):
        raise PermissionDenied("Seuls les agents changent la priorité.")
    if priority not in PRIORITIES:
        raise DomainError("Priorité inconnue.")
    if priority == ticket.priority:
        return
    old = ticket.priority
    ticket.priority = priority
    _apply_sla(session, ctx, ticket)
    record_event(session, ticket, actor, "priority", old, priority)
    session.flush()


def get_by_reference(session: Session, reference: str) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.reference == reference))
