"""Take rows of a work queue so that two workers never handle the same one.

On PostgreSQL the select locks the rows it returns and skips those another transaction holds
(``FOR UPDATE SKIP LOCKED``): two workers share a queue without waiting for each other, and a
worker that dies releases its rows with its transaction. SQLite has a single writer: the
worker's transaction begins with ``BEGIN IMMEDIATE``, so a second worker waits for the first to
commit and then finds the rows already handled.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


def skip_taken(session: Session, stmt: Select[Any]) -> Select[Any]:
    """The select, locking its rows and skipping those another worker holds."""
    if session.get_bind().dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True)
    return stmt
