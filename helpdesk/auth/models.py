"""Staff and directors' accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.core.db import Base, UTCDateTime, utcnow
from helpdesk.schools.models import School

ROLES = {
    "agent": "Agent du centre de services",
    "directeur": "Directeur ou secrétariat",
    "admin": "Administrateur",
    "dpd": "Délégué à la protection des données",
}

user_school = Table(
    "user_school",
    Base.metadata,
    Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", Integer, ForeignKey("school.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Changing it signs the user out of every session (stored in the session cookie).
    session_version: Mapped[int] = mapped_column(default=1)

    schools: Mapped[list[School]] = relationship(secondary=user_school, order_by=School.name)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in ("agent", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_director(self) -> bool:
        return self.role == "directeur"

    @property
    def school_ids(self) -> set[int]:
        return {s.id for s in self.schools}

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)
