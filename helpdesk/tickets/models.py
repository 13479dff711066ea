"""Tickets, their messages, attachments and history."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, and_, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.auth.models import User
from helpdesk.core.db import Base, UTCDateTime, utcnow
from helpdesk.schools.models import School

STATUSES = {
    "nouveau": "Nouveau",
    "en_cours": "En cours",
    "en_attente_demandeur": "En attente du demandeur",
    "resolu": "Résolu",
    "clos": "Clos",
}
OPEN_STATUSES = ("nouveau", "en_cours", "en_attente_demandeur")
PRIORITIES = {"basse": "Basse", "normale": "Normale", "haute": "Haute", "urgente": "Urgente"}
CHANNELS = {
    "portail_directeur": "Portail des directeurs",
    "formulaire_contact": "Formulaire de contact",
    "email": "Courriel",
    "telephone": "Téléphone",
    "guichet": "Accueil (visite)",
}
REQUESTER_KINDS = {
    "parent": "Parent ou responsable",
    "eleve": "Élève",
    "directeur": "Directeur ou secrétariat",
    "autre": "Autre",
}


class Ticket(Base):
    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_status_created", "status", "created_at"),
        Index("ix_ticket_school_created", "school_id", "created_at"),
        Index("ix_ticket_assignee_status", "assignee_id", "status"),
        Index("ix_ticket_resolution_due", "status", "resolution_due_at"),
        # Covers the agents' home counts over open tickets without reading the table.
        Index(
            "ix_ticket_board",
            "status",
            "motif",
            "assignee_id",
            "needs_qualification",
            "first_response_at",
            "first_response_due_at",
            "resolution_due_at",
            "sla_paused_at",
        ),
        # Counts by status of the queue filtered on a motif; open tickets by motif.
        Index("ix_ticket_motif_status", "motif", "status"),
        # An agent's open tickets by due date (home page).
        Index("ix_ticket_assignee_due", "assignee_id", "resolution_due_at"),
        # Tickets of a recent period (statistics of the home page).
        Index("ix_ticket_created", "created_at"),
        # Sorts of the queue by last activity and by due date.
        Index("ix_ticket_updated", "updated_at"),
        Index("ix_ticket_due", "resolution_due_at"),
        # The reports: every figure of the tickets received in a period, from the index alone.
        Index(
            "ix_ticket_report",
            "created_at",
            "motif",
            "nature",
            "channel",
            "school_id",
            "priority",
            "status",
            "assignee_id",
            "first_response_at",
            "first_response_due_at",
            "resolved_at",
            "resolution_due_at",
        ),
        # The tickets the background worker still has to diagnose, oldest first.
        Index("ix_ticket_diagnosis_due", "diagnosis_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    type_demande: Mapped[str] = mapped_column(String(30))
    nature: Mapped[str] = mapped_column(String(20), index=True)
    motif: Mapped[str] = mapped_column(String(40), index=True)
    label_confidence: Mapped[float | None]
    #: Another problem the same request tells, shown to the agent beside the motif.
    second_motif: Mapped[str | None] = mapped_column(String(40))
    #: Language the request is written in (ISO 639-1), for the queue filter and the reply.
    language: Mapped[str] = mapped_column(String(8), default="fr", server_default="fr", index=True)
    #: True while nobody has confirmed the labels and the classifier was unsure.
    needs_qualification: Mapped[bool] = mapped_column(default=False, index=True)
    status: Mapped[str] = mapped_column(String(30), default="nouveau")
    priority: Mapped[str] = mapped_column(String(10), default="normale")
    channel: Mapped[str] = mapped_column(String(30))

    requester_name: Mapped[str] = mapped_column(String(200))
    requester_email: Mapped[str | None] = mapped_column(String(254), index=True)
    requester_phone: Mapped[str | None] = mapped_column(String(40))
    requester_kind: Mapped[str] = mapped_column(String(20), default="parent")
    requester_email_failing: Mapped[bool] = mapped_column(default=False)
    #: The pupil or responsable concerned, as the requester described them.
    child_name: Mapped[str | None] = mapped_column(String(200))
    concerned_person: Mapped[str | None] = mapped_column(String(200))

    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Since when the SLA clock stands still, waiting for the requester (None: it runs).
    sla_paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Business minutes the clock stood still so far; the due dates were moved by as much.
    sla_paused_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Short text of the first diagnostic finding, shown in the queue.
    diagnosis_summary: Mapped[str | None] = mapped_column(String(200))
    #: Since when the ticket waits for its diagnosis on arrival, when that was left to the
    #: background worker (or to the first agent who opens it); None once done.
    diagnosis_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the requester's data was removed (retention or erasure); the labels stay counted.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school: Mapped[School | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    merged_into: Mapped[Ticket | None] = relationship(remote_side=[id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="ticket", order_by="Message.created_at, Message.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # The target that matters now: the first response until it is given, then the
    # resolution. The queue, the home counts, the badges and the alerts all read it here, in
    # Python on a loaded ticket and in SQL in a query.

    @hybrid_property
    def awaits_first_response(self) -> bool:
        return self.first_response_at is None and self.first_response_due_at is not None

    @awaits_first_response.inplace.expression
    @classmethod
    def _awaits_first_response_expression(cls) -> ColumnElement[bool]:
        return and_(cls.first_response_at.is_(None), cls.first_response_due_at.is_not(None))

    @property
    def current_target(self) -> Literal["first_response", "resolution"]:
        return "first_response" if self.awaits_first_response else "resolution"

    @hybrid_property
    def current_due_at(self) -> datetime | None:
        """Due date of the target that matters now (None when the ticket has no targets)."""
        if self.awaits_first_response:
            return self.first_response_due_at
        return self.resolution_due_at

    @current_due_at.inplace.expression
    @classmethod
    def _current_due_at_expression(cls) -> ColumnElement[datetime | None]:
        return case(
            (cls.awaits_first_response, cls.first_response_due_at),
            else_=cls.resolution_due_at,
        )

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


class Message(Base):
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: 'agent', 'directeur', 'demandeur' or 'systeme'.
    author_kind: Mapped[str] = mapped_column(String(20))
    author_name: Mapped[str] = mapped_column(String(200))
    is_internal: Mapped[bool] = mapped_column(default=False)
    #: Plain text as written; rendered escaped with line breaks.
    body: Mapped[str] = mapped_column(Text)
    #: Sanitised HTML from e-mail, when the message came as HTML.
    body_html: Mapped[str | None] = mapped_column(Text)
    email_message_id: Mapped[str | None] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", order_by="Attachment.id"
    )


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    #: SHA-256 of the content; the file lives in the instance's attachment store.
    sha256: Mapped[str] = mapped_column(String(64))
    is_inline: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[Message | None] = relationship(back_populates="attachments")


class TicketEvent(Base):
    """One line of a ticket's history: who changed what, when."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(String(400))
    new_value: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketCounter(Base):
    """Last reference number used per year; incremented under a row lock."""

    __tablename__ = "ticket_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class CategoryLabel(Base):
    """French label shown for a type, nature or motif code; codes are fixed by the taxonomy."""

    __tablename__ = "category_label"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)


class CannedReply(Base):
    __tablename__ = "canned_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    motif: Mapped[str | None] = mapped_column(String(40), index=True)
    body: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SlaTarget(Base):
    """First-response and resolution targets per priority, in business minutes."""

    __tablename__ = "sla_target"

    priority: Mapped[str] = mapped_column(String(10), primary_key=True)
    first_response_minutes: Mapped[int]
    resolution_minutes: Mapped[int]


class SlaSetting(Base):
    """An SLA option set on the admin page (key and value), read on every use."""

    __tablename__ = "sla_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TicketMerge(Base):
    """One ticket folded into another, with what moved, so that it can be undone."""

    __tablename__ = "ticket_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200))
    #: The two tickets had different requesters: the moved messages became internal notes.
    cross_requester: Mapped[bool] = mapped_column(default=False)
    #: The source's status before the merge closed it, given back on undo.
    source_status: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_name: Mapped[str | None] = mapped_column(String(200))

    source: Mapped[Ticket] = relationship(foreign_keys=[source_id])
    target: Mapped[Ticket] = relationship(foreign_keys=[target_id])
    items: Mapped[list[TicketMergeItem]] = relationship(
        back_populates="merge", order_by="TicketMergeItem.id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class TicketMergeItem(Base):
    """A message (or a loose attachment) a merge moved, and whether it was internal before."""

    __tablename__ = "ticket_merge_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    merge_id: Mapped[int] = mapped_column(
        ForeignKey("ticket_merge.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="CASCADE"), index=True
    )
    was_internal: Mapped[bool] = mapped_column(default=False)

    merge: Mapped[TicketMerge] = relationship(back_populates="items")
