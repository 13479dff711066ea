"""Who viewed or exported personal data, and where."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        # The admins' journal, filtered by what was shown, by object or by ticket.
        Index("ix_audit_entry_subject_created", "subject", "created_at"),
        Index("ix_audit_entry_object_ref", "object_ref"),
        Index("ix_audit_entry_ticket_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    user_label: Mapped[str] = mapped_column(String(254))
    #: 'view' or 'export' (and 'login' / 'login_failed' for sign-ins).
    action: Mapped[str] = mapped_column(String(20))
    #: What was shown: 'ticket', 'requester', 'diagnostic', 'comptes_a_surveiller', ...
    subject: Mapped[str] = mapped_column(String(60))
    object_ref: Mapped[str | None] = mapped_column(String(100))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    detail: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
