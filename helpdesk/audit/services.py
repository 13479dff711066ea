"""Record who viewed or exported personal data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from helpdesk.audit.models import AuditEntry


def record_access(
    session: Session,
    user,
    action: str,
    subject: str,
    object_ref: str | None = None,
    ticket_id: int | None = None,
    detail: str | None = None,
    label: str | None = None,
) -> AuditEntry:
    """Add one entry; ``label`` names who acted when nobody is signed in ('demandeur')."""
    entry = AuditEntry(
        user_id=getattr(user, "id", None),
        user_label=getattr(user, "email", None) or label or "anonyme",
        action=action,
        subject=subject,
        object_ref=object_ref,
        ticket_id=ticket_id,
        detail=detail[:500] if detail else None,
    )
    session.add(entry)
    return entry
