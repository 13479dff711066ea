"""Schools (établissements), identified by their UAI."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime, utcnow

SCHOOL_TYPES = {
    "maternelle": "École maternelle",
    "elementaire": "École élémentaire",
    "primaire": "École primaire",
    "college": "Collège",
    "lycee": "Lycée",
}


class School(Base):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    uai: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    commune: Mapped[str] = mapped_column(String(120), default="")
    #: Lower-cased, accent-free "name commune uai", for the contact form's school search.
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: The last extraction that listed the school; its account data goes some time after.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.commune})" if self.commune else self.name
