"""Finding schools by name, commune or UAI."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.schools.models import School
from helpdesk.util.text import search_key


def search_schools(session: Session, query: str, limit: int = 8) -> list[School]:
    words = search_key(query).split()[:5]
    if not words:
        return []
    stmt = select(School)
    for word in words:
        stmt = stmt.where(School.search_key.like(f"%{word}%"))
    return list(session.scalars(stmt.order_by(School.name).limit(limit)))
