"""Administration: users, labels, canned replies, SLA targets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.core.errors import DomainError
from helpdesk.tickets import sla
from helpdesk.tickets.models import PRIORITIES, STATUSES, CategoryLabel, SlaTarget
from helpdesk.tickets.taxonomy import MOTIFS, NATURES, TYPES

#: Codes whose labels an administrator may rename (the codes themselves never change).
LABEL_KINDS = {
    "type": TYPES,
    "nature": NATURES,
    "motif": MOTIFS,
    "status": STATUSES,
    "priority": PRIORITIES,
}


def label_rows(session: Session) -> dict[str, list[tuple[str, str, bool]]]:
    """Every code with its current label (custom or default) and whether it is offered."""
    custom = {(c.kind, c.code): c for c in session.scalars(select(CategoryLabel))}
    rows: dict[str, list[tuple[str, str, bool]]] = {}
    for kind, defaults in LABEL_KINDS.items():
        rows[kind] = []
        for code, default in defaults.items():
            item = custom.get((kind, code))
            rows[kind].append(
                (code, item.label if item else default, item.is_active if item else True)
            )
    return rows


def save_label(session: Session, kind: str, code: str, label: str, is_active: bool) -> None:
    if code not in LABEL_KINDS.get(kind, {}):
        raise DomainError("Catégorie inconnue.")
    item = session.scalar(
        select(CategoryLabel).where(CategoryLabel.kind == kind, CategoryLabel.code == code)
    )
    if item is None:
        item = CategoryLabel(kind=kind, code=code, label=label)
        session.add(item)
    item.label = label.strip()
    item.is_active = is_active
    session.flush()


def sla_rows(session: Session) -> list[tuple[str, int, int]]:
    stored = {t.priority: t for t in session.scalars(select(SlaTarget))}
    rows = []
    for priority, (first, resolution) in sla.DEFAULT_TARGETS.items():
        target = stored.get(priority)
        rows.append(
            (
                priority,
                target.first_response_minutes if target else first,
                target.resolution_minutes if target else resolution,
            )
        )
    return rows


def save_sla(session: Session, priority: str, first: int, resolution: int) -> None:
    if priority not in sla.DEFAULT_TARGETS:
        raise DomainError("Priorité inconnue.")
    if resolution < first:
        raise DomainError("Le délai de résolution ne peut pas précéder celui de première réponse.")
    target = session.get(SlaTarget, priority)
    if target is None:
        target = SlaTarget(
            priority=priority, first_response_minutes=first, resolution_minutes=resolution
        )
        session.add(target)
    target.first_response_minutes = first
    target.resolution_minutes = resolution
    session.flush()
