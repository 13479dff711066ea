"""Administration of mail: outbox actions, template overrides, mailboxes."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError, NotFound
from helpdesk.mail.models import Mailbox, MailTemplate, OutboxMessage
from helpdesk.mail.outbound import notify
from helpdesk.mail.settings import IMAP_SECURITY_MODES


def _outbox(session: Session, outbox_id: int) -> OutboxMessage:
    item = session.get(OutboxMessage, outbox_id)
    if item is None:
        raise NotFound("Courriel introuvable.")
    return item


def retry_outbox(session: Session, outbox_id: int) -> OutboxMessage:
    """Send a failed or discarded message again at once, with the same Message-ID."""
    item = _outbox(session, outbox_id)
    if item.status == "sent":
        raise DomainError("Ce courriel a déjà été envoyé.")
    item.status = "pending"
    item.attempts = 0
    item.next_attempt_at = utcnow()
    session.flush()
    return item


def discard_outbox(session: Session, outbox_id: int) -> OutboxMessage:
    item = _outbox(session, outbox_id)
    if item.status == "sent":
        raise DomainError("Ce courriel a déjà été envoyé.")
    item.status = "discarded"
    session.flush()
    return item


def outbox_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: count for status, count in rows}


def template_sources(session: Session, kind: str) -> tuple[str, str, str, bool]:
    """Subject, text and HTML in use for a kind, and whether they are an override."""
    if kind not in notify.KINDS:
        raise NotFound("Modèle inconnu.")
    override = session.get(MailTemplate, kind)
    if override is not None:
        return override.subject, override.body_text, override.body_html, True
    return (*notify.default_sources(kind), False)


def preview(ctx: ServiceContext, kind: str, subject: str, text: str, html: str) -> notify.Rendered:
    if kind not in notify.KINDS:
        raise NotFound("Modèle inconnu.")
    return notify.render_sources(subject, text, html, notify.sample_context(ctx, kind))


def save_template(
    session: Session,
    ctx: ServiceContext,
    kind: str,
    subject: str,
    text: str,
    html: str,
    editor: str,
) -> MailTemplate:
    """Store an override after checking that it renders."""
    subject, text, html = subject.strip(), text.strip() + "\n", html.strip() + "\n"
    if not subject or not text.strip() or not html.strip():
        raise DomainError("L'objet, le texte et la version HTML sont obligatoires.")
    preview(ctx, kind, subject, text, html)
    row = session.get(MailTemplate, kind)
    if row is None:
        row = MailTemplate(kind=kind, subject=subject, body_text=text, body_html=html)
        session.add(row)
    row.subject, row.body_text, row.body_html = subject, text, html
    row.updated_by = editor
    row.updated_at = utcnow()
    session.flush()
    return row


def reset_template(session: Session, kind: str) -> None:
    if kind not in notify.KINDS:
        raise NotFound("Modèle inconnu.")
    row = session.get(MailTemplate, kind)
    if row is not None:
        session.delete(row)
        session.flush()


def save_mailbox(session: Session, mailbox: Mailbox | None, **values) -> Mailbox:
    if values.get("security") not in IMAP_SECURITY_MODES:
        raise DomainError("Mode de chiffrement inconnu.")
    if not 0 < int(values.get("port") or 0) < 65536:
        raise DomainError("Port invalide.")
    for name in ("folder", "processed_folder"):
        values[name] = (values.get(name) or "").strip()
    if values["folder"] == values["processed_folder"]:
        raise DomainError("Le dossier des messages traités doit différer du dossier relevé.")
    password = values.pop("password", None)
    if mailbox is None:
        if not password:
            raise DomainError("Indiquez le mot de passe de la boîte.")
        mailbox = Mailbox(password=password, **values)
        session.add(mailbox)
    else:
        for name, value in values.items():
            setattr(mailbox, name, value)
        if password:
            mailbox.password = password
    session.flush()
    return mailbox


def delete_mailbox(session: Session, mailbox_id: int) -> None:
    mailbox = session.get(Mailbox, mailbox_id)
    if mailbox is None:
        raise NotFound("Boîte introuvable.")
    session.delete(mailbox)
    session.flush()
