"""What a requester told at intake about the account concerned, kept beside the ticket.

The contact form and the directors' form ask for the details a diagnosis needs (the child's
surname and birth date, the EduConnect logins, the path tried and the exact message shown);
they are kept apart from the ticket's own columns because only some requests carry them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from helpdesk.core.db import Base

#: How the person tried to reach their account (seed 001: the three first-connection paths).
PATHS = {
    "sms": "Création du compte par SMS (« Je n'ai pas de compte »)",
    "franceconnect": "FranceConnect",
    "courrier": "Identifiant et mot de passe provisoire remis par l'école",
    "inconnu": "Je ne sais pas",
}


class TicketIntake(Base):
    __tablename__ = "ticket_intake"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True
    )
    child_last_name: Mapped[str | None] = mapped_column(String(100))
    child_birth_date: Mapped[date | None] = mapped_column(Date)
    #: The EduConnect login the requester gave (for a duplicate, the first of the two).
    login: Mapped[str | None] = mapped_column(String(100))
    #: For a duplicate, the login of the other account.
    second_login: Mapped[str | None] = mapped_column(String(100))
    #: A key of PATHS.
    path_tried: Mapped[str | None] = mapped_column(String(20))
    #: The message shown on screen, as the requester copied it.
    message_shown: Mapped[str | None] = mapped_column(Text)

    @property
    def path_label(self) -> str | None:
        return PATHS.get(self.path_tried or "")

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.child_last_name,
                self.child_birth_date,
                self.login,
                self.second_login,
                self.path_tried,
                self.message_shown,
            )
        )


@dataclass(frozen=True)
class IntakeDetails:
    """The intake answers as a form gives them (all optional)."""

    child_last_name: str | None = None
    child_birth_date: date | None = None
    login: str | None = None
    second_login: str | None = None
    path_tried: str | None = None
    message_shown: str | None = None


def _clean(text: str | None, limit: int) -> str | None:
    cleaned = " ".join("".join(c for c in (text or "") if c.isprintable()).split())
    return cleaned[:limit] or None


def _clean_message(text: str | None) -> str | None:
    kept = "".join(c for c in (text or "") if c == "\n" or c.isprintable())
    return kept.strip()[:2000] or None


def save_intake(session: Session, ticket_id: int, details: IntakeDetails) -> TicketIntake | None:
    """Keep the answers given for a ticket; nothing is stored when every answer is empty."""
    intake = TicketIntake(
        ticket_id=ticket_id,
        child_last_name=_clean(details.child_last_name, 100),
        child_birth_date=details.child_birth_date,
        login=_clean(details.login, 100),
        second_login=_clean(details.second_login, 100),
        path_tried=details.path_tried if details.path_tried in PATHS else None,
        message_shown=_clean_message(details.message_shown),
    )
    if intake.is_empty:
        return None
    session.add(intake)
    session.flush()
    return intake


def intake_of(session: Session, ticket_id: int) -> TicketIntake | None:
    return session.get(TicketIntake, ticket_id)
