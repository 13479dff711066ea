"""Notifications: written to the outbox in the same transaction as the change."""

from __future__ import annotations

import secrets
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from helpdesk.config import PROJECT_ROOT
from helpdesk.context import ServiceContext
from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets.models import Message, Ticket

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "mail"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def subject_tag(reference: str) -> str:
    return f"[{reference}]"


def new_message_id(ctx: ServiceContext) -> str:
    domain = ctx.reply_to.rsplit("@", 1)[-1] or "helpdesk.local"
    return f"<{secrets.token_hex(12)}@{domain}>"


def thread_root_id(ticket: Ticket, ctx: ServiceContext) -> str:
    domain = ctx.reply_to.rsplit("@", 1)[-1] or "helpdesk.local"
    return f"<ticket-{ticket.reference}@{domain}>"


def queue(
    session: Session,
    ctx: ServiceContext,
    kind: str,
    to_address: str,
    ticket: Ticket | None,
    subject: str,
    **context,
) -> OutboxMessage:
    env = _environment()
    context.update(ticket=ticket, ctx=ctx)
    body_text = env.get_template(f"{kind}.txt").render(**context)
    body_html = env.get_template(f"{kind}.html").render(**context)
    tagged = f"{subject_tag(ticket.reference)} {subject}" if ticket else subject
    root = thread_root_id(ticket, ctx) if ticket else None
    message = OutboxMessage(
        ticket_id=ticket.id if ticket else None,
        kind=kind,
        to_address=to_address,
        subject=tagged[:300],
        body_text=body_text,
        body_html=body_html,
        message_id=new_message_id(ctx),
        in_reply_to=root,
        references=root,
    )
    session.add(message)
    return message


def request_received(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    queue(
        session,
        ctx,
        "request_received",
        ticket.requester_email,
        ticket,
        f"Votre demande a bien été reçue : {ticket.subject}",
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
    )


def new_reply(session: Session, ctx: ServiceContext, ticket: Ticket, message: Message) -> None:
    if not ticket.requester_email or ticket.requester_email_failing:
        return
    queue(
        session,
        ctx,
        "new_reply",
        ticket.requester_email,
        ticket,
        f"Réponse à votre demande : {ticket.subject}",
        message=message,
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
    )


def resolved(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    if not ticket.requester_email or ticket.requester_email_failing:
        return
    queue(
        session,
        ctx,
        "resolved",
        ticket.requester_email,
        ticket,
        f"Demande résolue : {ticket.subject}",
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
    )


def requester_replied(
    session: Session, ctx: ServiceContext, ticket: Ticket, message: Message
) -> None:
    if ticket.assignee is None:
        return
    queue(
        session,
        ctx,
        "agent_new_message",
        ticket.assignee.email,
        ticket,
        f"Nouveau message : {ticket.subject}",
        message=message,
        ticket_url=ctx.ticket_url(ticket.reference),
    )


def assigned(session: Session, ctx: ServiceContext, ticket: Ticket, assignee) -> None:
    queue(
        session,
        ctx,
        "agent_assigned",
        assignee.email,
        ticket,
        f"Demande attribuée : {ticket.subject}",
        ticket_url=ctx.ticket_url(ticket.reference),
    )
