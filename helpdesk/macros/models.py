"""Macros managed by admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime, utcnow


class Macro(Base):
    """What one click does to a ticket: any of a reply (or note), a status, a motif, a priority."""

    __tablename__ = "macro"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Reply text, placeholders as in canned replies; empty: no message.
    body: Mapped[str | None] = mapped_column(Text)
    is_internal: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str | None] = mapped_column(String(30))
    #: The motif to set; its nature follows, the type stays unless the motif's default differs.
    motif: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[str | None] = mapped_column(String(10))
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
