"""Canned replies offered on a ticket: those of its motif first, placeholders filled."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from helpdesk.academie.settings import PLACEHOLDER_LABELS, AcademieSettings
from helpdesk.academie.settings import load as load_academie
from helpdesk.accounts.models import Account
from helpdesk.accounts.normalize import email_key
from helpdesk.tickets.models import CannedReply, Ticket
from helpdesk.util.frenchdates import long_date
from helpdesk.util.language import with_language_notice
from helpdesk.util.phones import parse_french_phone
from helpdesk.util.text import mask_login

PLACEHOLDERS = {
    "demandeur": "nom du demandeur",
    "reference": "référence de la demande",
    "ecole": "école ou établissement",
    "date": "date du jour",
    "identifiant": "identifiant EduConnect, masqué",
    **PLACEHOLDER_LABELS,
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class FilledReply:
    id: int
    title: str
    motif: str | None
    text: str
    is_for_motif: bool


def french_date(day: date) -> str:
    return long_date(day)


def requester_login(session: Session, ticket: Ticket) -> str | None:
    """The requester's EduConnect login, when their e-mail or phone designates one account."""
    conditions = []
    if key := email_key(ticket.requester_email):
        conditions.append(Account.email_key == key)
    if phone := parse_french_phone(ticket.requester_phone):
        conditions.append(Account.telephone_e164 == phone)
    if not conditions:
        return None
    logins = set(
        session.scalars(
            select(Account.identifiant)
            .where(or_(*conditions), Account.identifiant.is_not(None))
            .limit(5)
        )
    )
    return logins.pop() if len(logins) == 1 else None


def placeholder_values(
    ticket: Ticket, today: date, login: str | None, academie: AcademieSettings | None = None
) -> dict[str, str | None]:
    """The text of each placeholder for this ticket (None: unknown, left as typed)."""
    return {
        **(academie or AcademieSettings()).placeholders(),
        "demandeur": (ticket.requester_name or "").strip() or None,
        "reference": ticket.reference,
        "ecole": ticket.school.name if ticket.school else None,
        "date": french_date(today),
        "identifiant": mask_login(login),
    }


def fill_placeholders(body: str, values: dict[str, str | None]) -> str:
    """Replace the known placeholders; unknown ones and other braces stay for the agent."""

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return value if value else match.group(0)

    return _PLACEHOLDER.sub(replace, body)


def order_replies(replies: Iterable[CannedReply], motif: str | None) -> list[CannedReply]:
    """The motif's replies first, then the general ones, then the others; by title."""

    def rank(reply: CannedReply) -> tuple[int, str, str]:
        group = 0 if motif and reply.motif == motif else 1 if reply.motif is None else 2
        return group, reply.motif or "", reply.title.casefold()

    return sorted(replies, key=rank)


def canned_replies_for(session: Session, ticket: Ticket, today: date) -> list[FilledReply]:
    """The active canned replies, ordered for the ticket, with their placeholders filled.

    A request not written in French gets the same opening line as the diagnosis's ready reply,
    in the requester's language, so that whichever reply the agent picks says it.
    """
    replies = session.scalars(select(CannedReply).where(CannedReply.is_active.is_(True))).all()
    if not replies:
        return []
    needs_login = any("{identifiant}" in reply.body for reply in replies)
    login = requester_login(session, ticket) if needs_login else None
    values = placeholder_values(ticket, today, login, load_academie(session))
    return [
        FilledReply(
            id=reply.id,
            title=reply.title,
            motif=reply.motif,
            text=with_language_notice(fill_placeholders(reply.body, values), ticket.language),
            is_for_motif=bool(ticket.motif) and reply.motif == ticket.motif,
        )
        for reply in order_replies(replies, ticket.motif)
    ]
