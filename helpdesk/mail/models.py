"""Mail tables: outbox, inbound log, template overrides, settings and mailboxes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime, utcnow

OUTBOX_STATUSES = {
    "pending": "À envoyer",
    "sent": "Envoyé",
    "failed": "En échec",
    "discarded": "Abandonné",
}

INBOUND_STATUSES = {
    "received": "Reçu",
    "created": "Nouvelle demande",
    "threaded": "Ajouté à une demande",
    "auto_reply": "Réponse automatique",
    "bounce": "Retour en erreur",
    "ignored": "Ignoré",
    "unparseable": "Illisible",
    "error": "Erreur de traitement",
    "duplicate": "Doublon",
}


class OutboxMessage(Base):
    """Outgoing e-mail, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    #: Template that produced it: 'request_received', 'new_reply', ...
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: Stays the same across retries: a copy delivered twice after a crash is recognisable.
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(300))
    references: Mapped[str | None] = mapped_column(Text)
    #: 'pending', 'sent', 'failed' (gave up) or 'discarded'.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    #: Earliest next try; a sender that claims the row pushes it forward (its lease).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: One notification per occasion for periodic jobs (reminders, SLA alerts).
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    @property
    def status_label(self) -> str:
        return OUTBOX_STATUSES.get(self.status, self.status)


class InboundMessage(Base):
    """Every message received, kept raw whatever happened to it."""

    __tablename__ = "inbound_message"
    __table_args__ = (Index("ix_inbound_message_status_received", "status", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    from_address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="received")
    error: Mapped[str | None] = mapped_column(Text)
    #: Attachments left out, signature and other remarks shown to agents.
    notes: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str | None] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", ondelete="SET NULL"), index=True
    )
    ticket_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("message.id", ondelete="SET NULL")
    )
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailbox.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def status_label(self) -> str:
        return INBOUND_STATUSES.get(self.status, self.status)


class MailTemplate(Base):
    """An administrator's version of one notification; the files under templates/mail/outbound/
    apply when there is none."""

    __tablename__ = "mail_template"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


class MailSetting(Base):
    """Outbound and timing settings changed on the admin page; the environment gives the rest."""

    __tablename__ = "mail_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Mailbox(Base):
    """An IMAP mailbox polled by `helpdesk mail fetch`."""

    __tablename__ = "mailbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int]
    #: 'ssl', 'starttls' or 'none' (loopback only).
    security: Mapped[str] = mapped_column(String(10), default="ssl")
    username: Mapped[str] = mapped_column(String(255))
    password: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(String(255), default="INBOX")
    processed_folder: Mapped[str] = mapped_column(String(255), default="Traités")
    is_active: Mapped[bool] = mapped_column(default=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
