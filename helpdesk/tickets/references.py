"""Human ticket references: 2026-000123, numbered per year under a row lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from helpdesk.core import dialect
from helpdesk.tickets.models import TicketCounter
from helpdesk.util.frenchdates import PARIS


def next_reference(session: Session, when: datetime) -> str:
    year = when.astimezone(PARIS).year
    number = session.scalar(
        update(TicketCounter)
        .where(TicketCounter.year == year)
        .values(last_number=TicketCounter.last_number + 1)
        .returning(TicketCounter.last_number)
    )
    if number is None:
        stmt: Any = dialect.insert(session, TicketCounter).values(year=year, last_number=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TicketCounter.year],
            set_={"last_number": TicketCounter.last_number + 1},
        ).returning(TicketCounter.last_number)
        number = session.scalar(stmt)
    return f"{year}-{number:06d}"
