"""One row per article proposed in a form (`shown`) and per "this answers my question"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime, utcnow

OUTCOMES = ("shown", "answered")
QUERY_MAX = 120


class DeflectionEvent(Base):
    __tablename__ = "deflection_event"
    __table_args__ = (
        Index("ix_deflection_event_outcome_created", "outcome", "created_at"),
        # The reports: forms and answers of a period, from the index alone.
        Index(
            "ix_deflection_event_report",
            "created_at",
            "outcome",
            "audience",
            "form_key",
            "article_slug",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Who the form is for: parent, eleve or directeur.
    audience: Mapped[str] = mapped_column(String(20))
    #: Random key of one display of a form: counts forms, not keystrokes.
    form_key: Mapped[str] = mapped_column(String(32), index=True)
    #: What was typed, truncated, with e-mail addresses and long numbers blanked.
    query: Mapped[str] = mapped_column(String(QUERY_MAX))
    article_slug: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(10))
