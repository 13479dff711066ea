"""Audit entries: read-only pages write them in their own short transaction."""

from __future__ import annotations

from flask import g, request
from flask_login import current_user

from helpdesk.audit.services import record_access
from helpdesk.core.database import database
from helpdesk.core.db import session_scope, sqlite_write_intent


def audit_view(
    subject: str,
    object_ref: str | None = None,
    ticket_id: int | None = None,
    detail: str | None = None,
    action: str = "view",
    label: str | None = None,
) -> None:
    """Record one entry for this request: one view, one entry."""
    recorded = g.setdefault("audit_recorded", set())
    if (action, subject, object_ref) in recorded:
        return
    recorded.add((action, subject, object_ref))
    request_session = g.get("db_session")
    if request.method not in ("GET", "HEAD") and request_session is not None:
        # A form being shown again: the request may already hold SQLite's write lock, so a
        # second connection would wait for it; the entry goes in the request's own session.
        record_access(
            request_session, current_user, action, subject, object_ref, ticket_id, detail, label
        )
        request_session.commit()
        return
    token = sqlite_write_intent.set(True)
    try:
        with session_scope(database().session_factory) as session:
            record_access(
                session, current_user, action, subject, object_ref, ticket_id, detail, label
            )
    finally:
        sqlite_write_intent.reset(token)
