"""Audit entries written in their own short transaction, so read-only pages stay read-only."""

from __future__ import annotations

from flask_login import current_user

from helpdesk.audit.services import record_access
from helpdesk.db import session_scope, sqlite_write_intent
from helpdesk.web.database import database


def audit_view(
    subject: str,
    object_ref: str | None = None,
    ticket_id: int | None = None,
    detail: str | None = None,
    action: str = "view",
) -> None:
    token = sqlite_write_intent.set(True)
    try:
        with session_scope(database().session_factory) as session:
            record_access(session, current_user, action, subject, object_ref, ticket_id, detail)
    finally:
        sqlite_write_intent.reset(token)
