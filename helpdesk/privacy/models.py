"""RGPD requests (one per ticket of the ``rgpd_droits`` motif) and the retention runs' journal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.auth.models import User
from helpdesk.core.db import Base, UTCDateTime, utcnow

#: The rights a person exercises (articles 15 to 21 of the RGPD).
RIGHTS = {
    "acces": "Accès",
    "rectification": "Rectification",
    "effacement": "Effacement",
    "opposition": "Opposition",
    "limitation": "Limitation",
}
IDENTITY_STATES = {
    "non_requise": "Non nécessaire",
    "demandee": "Justificatif demandé",
    "verifiee": "Identité vérifiée",
}


class RgpdRequest(Base):
    """The legal side of a ticket where a person exercises a right over their data."""

    __tablename__ = "rgpd_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    right: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: One calendar month after receipt, three when extended.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What the person was told about the extension (and why).
    extension_notice: Mapped[str | None] = mapped_column(Text)
    identity_state: Mapped[str] = mapped_column(String(20), default="non_requise", index=True)
    dpd_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What the agent handed to the DPD.
    handed_summary: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The answer sent to the person.
    answer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dpd: Mapped[User | None] = relationship()

    @property
    def right_label(self) -> str:
        return RIGHTS.get(self.right, self.right)

    @property
    def identity_label(self) -> str:
        return IDENTITY_STATES.get(self.identity_state, self.identity_state)


class RetentionRun(Base):
    """One pass of the retention rules: when, on which clock, and what it removed."""

    __tablename__ = "retention_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The moment the rules were evaluated against (``--now``).
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Who started it: an admin's label, ``commande`` or ``tâche de fond``.
    started_by: Mapped[str] = mapped_column(String(120))
    #: Rule key → number of rows deleted or anonymised.
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
