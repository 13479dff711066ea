"""One rating per ticket, given through the signed tracking link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime, utcnow

RATINGS = {
    5: "Très satisfait",
    4: "Satisfait",
    3: "Moyennement satisfait",
    2: "Peu satisfait",
    1: "Pas du tout satisfait",
}


class SatisfactionRating(Base):
    __tablename__ = "satisfaction_rating"
    __table_args__ = (Index("ix_satisfaction_rating_created", "created_at", "rating"),)

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
