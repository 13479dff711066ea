"""Admins write macros; agents apply them to a ticket in one click."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.core.context import ServiceContext
from helpdesk.core.errors import DomainError, NotFound, PermissionDenied
from helpdesk.desk.updates import TicketChanges, apply_changes
from helpdesk.macros.models import Macro
from helpdesk.tickets import services
from helpdesk.tickets.canned import fill_placeholders, placeholder_values, requester_login
from helpdesk.tickets.models import PRIORITIES, STATUSES, Message, Ticket
from helpdesk.tickets.taxonomy import MOTIFS


def active_macros(session: Session) -> list[Macro]:
    return list(
        session.scalars(
            select(Macro).where(Macro.is_active.is_(True)).order_by(func.lower(Macro.name))
        )
    )


def all_macros(session: Session) -> list[Macro]:
    return list(session.scalars(select(Macro).order_by(func.lower(Macro.name))))


def save_macro(
    session: Session,
    actor: User,
    macro: Macro | None,
    *,
    name: str,
    body: str | None,
    is_internal: bool,
    status: str | None,
    motif: str | None,
    priority: str | None,
    is_active: bool,
) -> Macro:
    if not actor.is_admin:
        raise PermissionDenied("Seuls les administrateurs gèrent les macros.")
    name = " ".join((name or "").split())[:120]
    body = services.clean_text(body or "") or None
    if not name:
        raise DomainError("Donnez un nom à la macro.")
    if status is not None and status not in STATUSES:
        raise DomainError("Statut inconnu.")
    if motif is not None and motif not in MOTIFS:
        raise DomainError("Motif inconnu.")
    if priority is not None and priority not in PRIORITIES:
        raise DomainError("Priorité inconnue.")
    if not (body or status or motif or priority):
        raise DomainError("Une macro écrit une réponse ou change au moins un champ.")
    if macro is None:
        macro = Macro()
        session.add(macro)
    macro.name = name
    macro.body = body
    macro.is_internal = is_internal and body is not None
    macro.status = status
    macro.motif = motif
    macro.priority = priority
    macro.is_active = is_active
    session.flush()
    return macro


def delete_macro(session: Session, actor: User, macro_id: int) -> str:
    if not actor.is_admin:
        raise PermissionDenied("Seuls les administrateurs gèrent les macros.")
    macro = session.get(Macro, macro_id)
    if macro is None:
        raise NotFound("Macro introuvable.")
    session.delete(macro)
    session.flush()
    return macro.name


def macro_text(session: Session, macro: Macro, ticket: Ticket, today: date) -> str | None:
    """The macro's reply with the ticket's placeholders filled, as a canned reply is."""
    if not macro.body:
        return None
    login = requester_login(session, ticket) if "{identifiant}" in macro.body else None
    return fill_placeholders(macro.body, placeholder_values(ticket, today, login))


def apply_macro(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    actor: User,
    macro_id: int,
    today: date,
) -> tuple[Macro, Message | None]:
    """Labels and priority first, then the message with its status (one notification)."""
    macro = session.get(Macro, macro_id)
    if macro is None or not macro.is_active:
        raise NotFound("Cette macro n'existe pas ou n'est plus active.")
    apply_changes(
        session, ctx, ticket, actor, TicketChanges(motif=macro.motif, priority=macro.priority)
    )
    text = macro_text(session, macro, ticket, today)
    message = None
    if text:
        message = services.add_message(
            session,
            ctx,
            ticket,
            actor,
            text,
            internal=macro.is_internal,
            new_status=macro.status,
        )
    elif macro.status:
        services.change_status(session, ctx, ticket, actor, macro.status)
    return macro, message
