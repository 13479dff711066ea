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


class LoginSession(Base):
    """A signed-in browser. The cookie holds a random token; the row holds its SHA-256.

    Every request checks the row, so signing out (deleting it) ends the session for every
    worker at once, and a copy of the old cookie no longer opens anything.
    """

    __tablename__ = "login_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SignInThrottle(Base):
    """Recent failed sign-ins of one address, one client or one known device.

    The key is a keyed hash ("adresse:…", "client:…", "appareil:…"), so the table never holds
    the addresses strangers typed nor the clients' IP addresses.
    """

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
