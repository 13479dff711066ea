"""Notifications: written to the outbox in the same transaction as the change.

Each kind has a subject and two bodies (plain text and HTML). The files under
``templates/mail/outbound/`` are the defaults; an administrator's version stored in
``mail_template`` replaces them. Every template runs in a sandbox and sees only the values
listed in ``KINDS``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from jinja2 import FileSystemLoader, Template, TemplateError, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.academie import settings as academie_settings
from helpdesk.core.config import PROJECT_ROOT
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.mail.models import MailTemplate, OutboxMessage
from helpdesk.mail.outbound.sandbox import BoundedSandbox, render_bounded
from helpdesk.mail.references import tag_subject
from helpdesk.mail.settings import stored_int
from helpdesk.tickets.models import Message, Ticket
from helpdesk.util.frenchdates import weekday_date

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "mail" / "outbound"
#: Earlier e-mail ids of a ticket listed in References, besides its root.
MAX_REFERENCES = 8


@dataclass(frozen=True)
class MailKind:
    label: str
    #: 'demandeur' or 'agent': who receives it.
    audience: str
    subject: str
    description: str
    variables: tuple[str, ...]


_REQUESTER_VARS = ("ticket", "tracking_url")
KINDS: dict[str, MailKind] = {
    "request_received": MailKind(
        "Accusé de réception",
        "demandeur",
        "Votre demande a bien été reçue : {{ ticket.subject }}",
        "Envoyé au demandeur dès l'enregistrement de sa demande, avec son lien de suivi.",
        _REQUESTER_VARS,
    ),
    "new_reply": MailKind(
        "Nouvelle réponse",
        "demandeur",
        "Réponse à votre demande : {{ ticket.subject }}",
        "Envoyé au demandeur quand un agent lui répond.",
        (*_REQUESTER_VARS, "message"),
    ),
    "waiting_for_answer": MailKind(
        "En attente de votre réponse",
        "demandeur",
        "Nous attendons votre réponse : {{ ticket.subject }}",
        "Envoyé quand un agent met la demande en attente du demandeur sans lui écrire.",
        (*_REQUESTER_VARS, "close_date"),
    ),
    "waiting_reminder": MailKind(
        "Relance du demandeur",
        "demandeur",
        "Rappel : nous attendons votre réponse : {{ ticket.subject }}",
        "Envoyé automatiquement quand le demandeur n'a pas répondu après le délai de relance.",
        (*_REQUESTER_VARS, "close_date"),
    ),
    "closed_no_answer": MailKind(
        "Clôture sans réponse",
        "demandeur",
        "Demande close faute de réponse : {{ ticket.subject }}",
        "Envoyé quand la demande est close automatiquement faute de réponse.",
        ("ticket", "contact_url"),
    ),
    "resolved": MailKind(
        "Demande résolue",
        "demandeur",
        "Demande résolue : {{ ticket.subject }}",
        "Envoyé quand la demande passe au statut résolu, quelle que soit la manière (réponse, "
        "statut, action groupée, macro), avec le lien vers l'avis et la réponse qui la résout.",
        (*_REQUESTER_VARS, "satisfaction_url", "reopen_days", "message"),
    ),
    "closed_with_reason": MailKind(
        "Clôture par l'école",
        "demandeur",
        "Demande close : {{ ticket.subject }}",
        "Envoyé au demandeur quand la direction de l'école clôt sa demande, avec la raison.",
        (*_REQUESTER_VARS, "message"),
    ),
    "tracking_links": MailKind(
        "Liens de suivi redemandés",
        "demandeur",
        "Vos liens de suivi",
        "Envoyé à une adresse qui redemande ses liens de suivi : un lien par demande en cours.",
        ("links",),
    ),
    "agent_assigned": MailKind(
        "Attribution à un agent",
        "agent",
        "Demande attribuée : {{ ticket.subject }}",
        "Envoyé à l'agent à qui un collègue attribue une demande.",
        ("ticket", "ticket_url"),
    ),
    "agent_new_message": MailKind(
        "Nouveau message pour l'agent",
        "agent",
        "Nouveau message : {{ ticket.subject }}",
        "Envoyé à l'agent attributaire quand le demandeur écrit.",
        ("ticket", "ticket_url", "message"),
    ),
    "agent_reopened": MailKind(
        "Demande rouverte par le demandeur",
        "agent",
        "Demande rouverte : {{ ticket.subject }}",
        "Envoyé à l'agent attributaire quand le demandeur rouvre sa demande résolue ou close.",
        ("ticket", "ticket_url"),
    ),
    "sla_at_risk": MailKind(
        "Échéance proche",
        "agent",
        "Échéance proche ({{ target }}) : {{ ticket.subject }}",
        "Envoyé à l'agent attributaire quand un délai de traitement est sur le point d'expirer.",
        ("ticket", "ticket_url", "target", "due_at", "remaining"),
    ),
    "dpd_handoff": MailKind(
        "Transmission au DPD",
        "agent",
        "Demande RGPD transmise : {{ ticket.reference }}",
        "Envoyé au délégué à la protection des données quand un agent lui transmet une demande "
        "d'exercice des droits (sans son contenu : il se lit dans le registre).",
        ("ticket", "register_url", "right", "due_at"),
    ),
}


class _Environment(BoundedSandbox):
    def __init__(self, autoescape) -> None:
        super().__init__(
            loader=FileSystemLoader(TEMPLATE_DIR),
            autoescape=autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
        )


@lru_cache(maxsize=1)
def _files() -> _Environment:
    return _Environment(select_autoescape(enabled_extensions=("html",), default=False))


@lru_cache(maxsize=2)
def _strings(html: bool) -> _Environment:
    return _Environment(html)


@lru_cache(maxsize=256)
def _compile(source: str, html: bool) -> Template:
    return _strings(html).from_string(source)


def default_sources(kind: str) -> tuple[str, str, str]:
    """Subject, text and HTML sources of the files shipped with the application."""
    return (
        KINDS[kind].subject,
        (TEMPLATE_DIR / f"{kind}.txt").read_text(encoding="utf-8"),
        (TEMPLATE_DIR / f"{kind}.html").read_text(encoding="utf-8"),
    )


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render_sources(subject: str, text: str, html: str, context: dict) -> Rendered:
    """Render template sources (an administrator's draft); raise DomainError when broken."""
    try:
        rendered_subject = render_bounded(_compile(subject, False), context)
        rendered_text = render_bounded(_compile(text, False), context)
        rendered_html = render_bounded(_compile(html, True), context)
    except TemplateError as exc:
        raise DomainError(f"Le modèle contient une erreur : {exc}") from exc
    except (ArithmeticError, ValueError, TypeError, LookupError, RecursionError) as exc:
        # What a template computes wrongly ({{ 1/0 }}, {{ "a"|int(base=99) }}...).
        raise DomainError(f"Le modèle ne peut pas être rendu : {type(exc).__name__}.") from exc
    return Rendered(" ".join(rendered_subject.split())[:250], rendered_text, rendered_html)


def render(session: Session, kind: str, context: dict) -> Rendered:
    context = {"academie": academie_settings.load(session), **context}
    override = session.get(MailTemplate, kind)
    if override is not None:
        try:
            return render_sources(override.subject, override.body_text, override.body_html, context)
        except DomainError:
            pass  # a broken override never blocks a notification: the files apply
    env = _files()
    subject = _compile(KINDS[kind].subject, False).render(**context)
    return Rendered(
        " ".join(subject.split())[:250],
        env.get_template(f"{kind}.txt").render(**context),
        env.get_template(f"{kind}.html").render(**context),
    )


def _domain(ctx: ServiceContext) -> str:
    return ctx.reply_to.rsplit("@", 1)[-1] or "helpdesk.local"


def new_message_id(ctx: ServiceContext) -> str:
    return f"<{secrets.token_hex(12)}@{_domain(ctx)}>"


def thread_root_id(ticket: Ticket, ctx: ServiceContext) -> str:
    return f"<ticket-{ticket.reference}@{_domain(ctx)}>"


def _thread(session: Session, ticket: Ticket, ctx: ServiceContext) -> tuple[str, str]:
    """In-Reply-To and References: the ticket's root, then the last e-mails people sent."""
    root = thread_root_id(ticket, ctx)
    if ticket.id is None:
        return root, root
    ids = session.scalars(
        select(Message.email_message_id)
        .where(
            Message.ticket_id == ticket.id,
            Message.email_message_id.is_not(None),
            Message.is_internal.is_(False),
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(MAX_REFERENCES)
    ).all()
    chain = [root, *reversed([i for i in ids if i and i != root])]
    return chain[-1], " ".join(chain)


def queue(
    session: Session,
    ctx: ServiceContext,
    kind: str,
    to_address: str,
    ticket: Ticket | None,
    dedupe_key: str | None = None,
    **context,
) -> OutboxMessage:
    context.setdefault("ticket", ticket)
    rendered = render(session, kind, context)
    subject = rendered.subject
    in_reply_to = references = None
    if ticket is not None:
        subject = tag_subject(subject, ticket.reference)
        in_reply_to, references = _thread(session, ticket, ctx)
    message = OutboxMessage(
        ticket_id=ticket.id if ticket else None,
        kind=kind,
        to_address=to_address,
        subject=subject[:300],
        body_text=rendered.text,
        body_html=rendered.html,
        message_id=new_message_id(ctx),
        in_reply_to=in_reply_to,
        references=references,
        dedupe_key=dedupe_key,
    )
    session.add(message)
    return message


def _requester_reachable(ticket: Ticket) -> bool:
    return bool(ticket.requester_email) and not ticket.requester_email_failing


def request_received(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    if not _requester_reachable(ticket):
        return
    queue(
        session,
        ctx,
        "request_received",
        ticket.requester_email,
        ticket,
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
    )


def tracking_links(
    session: Session, ctx: ServiceContext, address: str, tickets: list[Ticket]
) -> OutboxMessage:
    """One e-mail to the address with the tracking link of each of its requests."""
    links = [
        {
            "reference": t.reference,
            "subject": t.subject,
            "url": ctx.tracking_url(t.id, t.reference),
        }
        for t in tickets
    ]
    return queue(session, ctx, "tracking_links", address, None, links=links)


def new_reply(session: Session, ctx: ServiceContext, ticket: Ticket, message: Message) -> None:
    if not _requester_reachable(ticket):
        return
    queue(
        session,
        ctx,
        "new_reply",
        ticket.requester_email,
        ticket,
        message=message,
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
    )


def french_date(moment: datetime) -> str:
    """'lundi 21 septembre 2026', in Europe/Paris."""
    return weekday_date(moment)


def autoclose_days(session: Session, ctx: ServiceContext) -> int:
    return stored_int(session, "autoclose_days", ctx.autoclose_days)


def waiting_for_answer(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    if not _requester_reachable(ticket):
        return
    close_at = utcnow() + timedelta(days=autoclose_days(session, ctx))
    queue(
        session,
        ctx,
        "waiting_for_answer",
        ticket.requester_email,
        ticket,
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
        close_date=french_date(close_at),
    )


def waiting_reminder(
    session: Session, ctx: ServiceContext, ticket: Ticket, close_at: datetime, dedupe_key: str
) -> OutboxMessage | None:
    if not _requester_reachable(ticket):
        return None
    return queue(
        session,
        ctx,
        "waiting_reminder",
        ticket.requester_email,
        ticket,
        dedupe_key=dedupe_key,
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
        close_date=french_date(close_at),
    )


def closed_no_answer(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    if not _requester_reachable(ticket):
        return
    queue(
        session,
        ctx,
        "closed_no_answer",
        ticket.requester_email,
        ticket,
        contact_url=f"{ctx.public_url}/contact",
    )


def satisfaction_url(ctx: ServiceContext, ticket: Ticket) -> str:
    return f"{ctx.tracking_url(ticket.id, ticket.reference)}/avis"


def reopen_days(session: Session, ctx: ServiceContext) -> int:
    """Days after its resolution during which the requester may reopen a request."""
    return stored_int(session, "reopen_days", ctx.reopen_days)


def resolved(
    session: Session, ctx: ServiceContext, ticket: Ticket, message: Message | None = None
) -> None:
    """The one e-mail of a resolution, with the reply that resolved it when there is one."""
    if not _requester_reachable(ticket):
        return
    queue(
        session,
        ctx,
        "resolved",
        ticket.requester_email,
        ticket,
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
        satisfaction_url=satisfaction_url(ctx, ticket),
        reopen_days=reopen_days(session, ctx),
        message=message,
    )


def closed_with_reason(
    session: Session, ctx: ServiceContext, ticket: Ticket, message: Message
) -> None:
    if not _requester_reachable(ticket):
        return
    queue(
        session,
        ctx,
        "closed_with_reason",
        ticket.requester_email,
        ticket,
        tracking_url=ctx.tracking_url(ticket.id, ticket.reference),
        message=message,
    )


def reopened(session: Session, ctx: ServiceContext, ticket: Ticket) -> None:
    if ticket.assignee is None:
        return
    queue(
        session,
        ctx,
        "agent_reopened",
        ticket.assignee.email,
        ticket,
        ticket_url=ctx.ticket_url(ticket.reference),
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
        message=message,
        ticket_url=ctx.ticket_url(ticket.reference),
    )


def dpd_handoff(
    session: Session, ctx: ServiceContext, ticket: Ticket, dpd, right: str, due_at: datetime
) -> None:
    queue(
        session,
        ctx,
        "dpd_handoff",
        dpd.email,
        ticket,
        register_url=f"{ctx.public_url}/rgpd/registre",
        right=right,
        due_at=french_date(due_at),
    )


def assigned(session: Session, ctx: ServiceContext, ticket: Ticket, assignee) -> None:
    queue(
        session,
        ctx,
        "agent_assigned",
        assignee.email,
        ticket,
        ticket_url=ctx.ticket_url(ticket.reference),
    )


def sla_at_risk(
    session: Session,
    ctx: ServiceContext,
    ticket: Ticket,
    target: str,
    due_at: str,
    remaining: str,
    dedupe_key: str,
) -> OutboxMessage | None:
    if ticket.assignee is None:
        return None
    return queue(
        session,
        ctx,
        "sla_at_risk",
        ticket.assignee.email,
        ticket,
        dedupe_key=dedupe_key,
        ticket_url=ctx.ticket_url(ticket.reference),
        target=target,
        due_at=due_at,
        remaining=remaining,
    )


def sample_context(ctx: ServiceContext, kind: str) -> dict:
    """Made-up values for previewing a template on the admin page."""
    from datetime import UTC

    ticket = Ticket(
        id=0,
        reference="2026-000123",
        subject="Je ne reçois pas le code d'activation par SMS",
        requester_name="Camille Exemple",
        requester_email="camille.exemple@example.org",
        status="en_attente_demandeur",
        created_at=datetime(2026, 9, 14, 8, 30, tzinfo=UTC),
    )
    message = Message(
        author_name="Dominique, centre de services",
        author_kind="agent",
        body="Bonjour,\n\nPouvez-vous nous indiquer le numéro de téléphone utilisé ?\n\n"
        "Cordialement",
    )
    values = {
        "ticket": ticket,
        "message": message,
        "tracking_url": f"{ctx.public_url}/suivi/exemple",
        "satisfaction_url": f"{ctx.public_url}/suivi/exemple/avis",
        "ticket_url": ctx.ticket_url(ticket.reference),
        "contact_url": f"{ctx.public_url}/contact",
        "close_date": "lundi 21 septembre 2026",
        "reopen_days": 14,
        "target": "première réponse",
        "due_at": "14 sept. 2026 à 16:30",
        "remaining": "45 min restantes",
        "register_url": f"{ctx.public_url}/rgpd/registre",
        "right": "Accès",
        "links": [
            {
                "reference": ticket.reference,
                "subject": ticket.subject,
                "url": f"{ctx.public_url}/suivi/exemple",
            }
        ],
    }
    sample = {name: values[name] for name in KINDS[kind].variables}
    return {"academie": academie_settings.AcademieSettings(), **sample}
