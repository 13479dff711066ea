"""The diagnosis kept with a ticket: what it ran on, what it found, the fix steps ticked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime, utcnow


class TicketDiagnosis(Base):
    """The latest diagnosis of a ticket (each run is also a line of the ticket's history)."""

    __tablename__ = "ticket_diagnosis"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    #: The request as ``helpdesk diagnose`` reads it (requester, enfants, uai, motif).
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: ``matched`` ids and ``findings`` (code, severity, masked evidence, fix).
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(String(200))
    #: Keys ``code:index`` of the fix steps ticked by the agents.
    checked_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
