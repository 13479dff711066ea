"""RGPD requests: the legal deadline, the identity check, the DPD's hand-off and answer.

Article 12(3) of the RGPD: an answer within one month of receipt, extendable by two further
months when the person is told so (and why) within the first month.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from helpdesk.auth.models import User
from helpdesk.core import signals
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError, PermissionDenied
from helpdesk.mail.outbound import notify
from helpdesk.privacy.models import IDENTITY_STATES, RIGHTS, RgpdRequest
from helpdesk.tickets import services as tickets
from helpdesk.tickets.models import Ticket

MOTIF = "rgpd_droits"
EXTENSION_MONTHS = 2


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months later (the month's last day when it has none)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def legal_deadline(received_at: datetime) -> datetime:
    return add_months(received_at, 1)


def request_for(session: Session, ticket: Ticket) -> RgpdRequest | None:
    return session.scalar(select(RgpdRequest).where(RgpdRequest.ticket_id == ticket.id))


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied("Seuls les agents instruisent les demandes RGPD.")


def open_request(
    session: Session, ticket: Ticket, actor: User, right: str, received_at: datetime | None
) -> RgpdRequest:
    """Record which right the person exercises; the deadline runs from the receipt."""
    _require_staff(actor)
    if ticket.motif != MOTIF:
        raise DomainError("Seule une demande de motif « Droits sur les données » a un délai légal.")
    if right not in RIGHTS:
        raise DomainError("Choisissez le droit exercé.")
    if request_for(session, ticket) is not None:
        raise DomainError("Le dossier RGPD de cette demande est déjà ouvert.")
    received = received_at or ticket.created_at
    if received > utcnow():
        raise DomainError("La date de réception ne peut pas être dans le futur.")
    request = RgpdRequest(
        ticket_id=ticket.id,
        right=right,
        received_at=received,
        due_at=legal_deadline(received),
        identity_state="non_requise",
    )
    session.add(request)
    tickets.record_event(session, ticket, actor, "rgpd_right", None, RIGHTS[right])
    session.flush()
    return request


def set_identity(
    session: Session, ticket: Ticket, request: RgpdRequest, actor: User, state: str
) -> None:
    """While a proof of identity is awaited, the request never closes by itself."""
    _require_staff(actor)
    if state not in IDENTITY_STATES:
        raise DomainError("État d'identité inconnu.")
    old = request.identity_label
    request.identity_state = state
    tickets.record_event(session, ticket, actor, "rgpd_identity", old, request.identity_label)
    session.flush()


def extend(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    request: RgpdRequest,
    actor: User,
    notice: str,
    now: datetime | None = None,
) -> None:
    """Push the deadline two months; the person is told why in a reply on the request."""
    _require_staff(actor)
    now = now or utcnow()
    text = tickets.clean_text(notice)
    if request.extended_at is not None:
        raise DomainError("Le délai a déjà été prolongé : il ne peut l'être qu'une fois.")
    if now > request.due_at:
        raise DomainError("Le délai d'un mois est dépassé : il ne peut plus être prolongé.")
    if len(text) < 20:
        raise DomainError("Expliquez à la personne pourquoi le délai est prolongé.")
    tickets.add_message(session, ctx, ticket, actor, text)
    old = request.due_at
    request.due_at = add_months(request.received_at, 1 + EXTENSION_MONTHS)
    request.extended_at = now
    request.extension_notice = text
    tickets.record_event(
        session,
        ticket,
        actor,
        "rgpd_deadline",
        old.date().isoformat(),
        request.due_at.date().isoformat(),
    )
    session.flush()


def hand_to_dpd(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    request: RgpdRequest,
    actor: User,
    dpd: User,
    summary: str,
) -> None:
    """Hand the request to a DPD, who is told by e-mail (without its content) and answers."""
    _require_staff(actor)
    if dpd.role != "dpd" or not dpd.is_active_account:
        raise DomainError("Choisissez un délégué à la protection des données actif.")
    text = tickets.clean_text(summary)
    if not text:
        raise DomainError("Indiquez ce qui est transmis au DPD.")
    request.dpd_id = dpd.id
    request.handed_at = utcnow()
    request.handed_summary = text
    tickets.record_event(session, ticket, actor, "rgpd_handoff", None, dpd.display_name)
    notify.dpd_handoff(session, ctx, ticket, dpd, request.right_label, request.due_at)
    session.flush()


def record_answer(
    session: Session, ticket: Ticket, request: RgpdRequest, actor: User, answer: str
) -> None:
    """The answer sent to the person, by the DPD the request was handed to or by an agent."""
    if not (actor.is_staff or (actor.role == "dpd" and request.dpd_id == actor.id)):
        raise PermissionDenied("Cette demande ne vous a pas été transmise.")
    text = tickets.clean_text(answer)
    if not text:
        raise DomainError("Indiquez la réponse envoyée.")
    request.answered_at = utcnow()
    request.answer = text
    tickets.record_event(session, ticket, actor, "rgpd_answer", None, "réponse envoyée")
    session.flush()


@dataclass(frozen=True)
class RegisterFilter:
    right: str | None = None
    state: str | None = None  # "en_cours", "en_retard", "repondue"
    identity: str | None = None


def register_query(actor: User, filters: RegisterFilter, now: datetime | None = None) -> Select:
    """The register's rows; a DPD sees the requests handed to them, staff see all."""
    now = now or utcnow()
    stmt = (
        select(RgpdRequest, Ticket)
        .join(Ticket, Ticket.id == RgpdRequest.ticket_id)
        .options(joinedload(RgpdRequest.dpd))
        .order_by(RgpdRequest.due_at, RgpdRequest.id)
    )
    if not actor.is_staff:
        stmt = stmt.where(RgpdRequest.dpd_id == actor.id)
    if filters.right in RIGHTS:
        stmt = stmt.where(RgpdRequest.right == filters.right)
    if filters.identity in IDENTITY_STATES:
        stmt = stmt.where(RgpdRequest.identity_state == filters.identity)
    if filters.state == "repondue":
        stmt = stmt.where(RgpdRequest.answered_at.is_not(None))
    elif filters.state == "en_retard":
        stmt = stmt.where(RgpdRequest.answered_at.is_(None), RgpdRequest.due_at < now)
    elif filters.state == "en_cours":
        stmt = stmt.where(RgpdRequest.answered_at.is_(None), RgpdRequest.due_at >= now)
    return stmt


REGISTER_COLUMNS = (
    "reference",
    "droit",
    "recue_le",
    "echeance",
    "prolongee_le",
    "identite",
    "transmise_au_dpd",
    "transmise_le",
    "repondue_le",
)


def register_csv(rows: Iterable[tuple[RgpdRequest, Ticket]]) -> str:
    """The register as CSV (no content of the requests: dates, rights and states only)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(REGISTER_COLUMNS)

    def day(moment: datetime | None) -> str:
        return moment.date().isoformat() if moment else ""

    for request, ticket in rows:
        writer.writerow(
            [
                ticket.reference,
                request.right_label,
                day(request.received_at),
                day(request.due_at),
                day(request.extended_at),
                request.identity_label,
                request.dpd.display_name if request.dpd else "",
                day(request.handed_at),
                day(request.answered_at),
            ]
        )
    return out.getvalue()


def deadlines(session: Session, ticket_ids: list[int]) -> dict[int, datetime]:
    """Legal deadline of each RGPD ticket among these, for the queue."""
    if not ticket_ids:
        return {}
    recorded = dict(
        session.execute(
            select(RgpdRequest.ticket_id, RgpdRequest.due_at).where(
                RgpdRequest.ticket_id.in_(ticket_ids), RgpdRequest.answered_at.is_(None)
            )
        ).all()
    )
    pending = session.execute(
        select(Ticket.id, Ticket.created_at).where(
            Ticket.id.in_(ticket_ids),
            Ticket.motif == MOTIF,
            ~select(RgpdRequest.id).where(RgpdRequest.ticket_id == Ticket.id).exists(),
        )
    ).all()
    recorded.update({ticket_id: legal_deadline(created) for ticket_id, created in pending})
    return recorded


def subscribe() -> None:
    """Keep the tickets of RGPD requests open while they wait for a proof of identity."""
    signals.closure_holds.connect(_awaiting_identity)


def _awaiting_identity(sender, **_) -> Select:
    """Never closed for want of an answer: the requester is asked for a document."""
    return select(RgpdRequest.ticket_id).where(RgpdRequest.identity_state == "demandee")
