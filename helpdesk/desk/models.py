"""Saved views of the queue and who has which ticket open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.auth.models import User
from helpdesk.core.db import Base, UTCDateTime, utcnow


class SavedView(Base):
    """A named set of queue filters; an admin may share it with every agent."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_saved_view_owner_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    #: The queue's query string without the page (e.g. "statut=nouveau&motif=activation_sms").
    query: Mapped[str] = mapped_column(String(1000))
    is_shared: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()


class TicketPresence(Base):
    """The last time a user's open ticket page said it was still open (one row per pair).

    Kept in the database so that every worker, on every host, sees the same agents.
    """

    __tablename__ = "ticket_presence"
    __table_args__ = (Index("ix_ticket_presence_ticket_seen", "ticket_id", "seen_at"),)

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Whether the reply box had text at the last signal.
    is_composing: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()
