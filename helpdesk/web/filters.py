"""Template filters: dates in Europe/Paris, labels of codes."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from helpdesk.util.frenchdates import PARIS, short_date
from helpdesk.util.language import language_name, with_language_notice


def local_datetime(value: datetime | None, with_time: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(PARIS)
    text = short_date(local)
    return f"{text} à {local:%H:%M}" if with_time else text


def compact_datetime(value: datetime | None) -> str:
    """Day, month and time in few characters ("07/12 14:03"), for dense tables."""
    return value.astimezone(PARIS).strftime("%d/%m %H:%M") if value else ""


def iso_datetime(value: datetime | None) -> str:
    return value.astimezone(PARIS).isoformat(timespec="minutes") if value else ""


def sla_state(ticket, now: datetime):
    """State of the target that matters now (`Ticket.current_due_at`); once the ticket is
    resolved, whether its resolution met its due date."""
    from helpdesk.tickets.sla import SlaState

    if ticket.status in ("resolu", "clos"):
        if ticket.resolution_due_at is None:
            return None
        return SlaState.compute(ticket.resolution_due_at, now, done_at=ticket.resolved_at)
    if ticket.current_due_at is None:
        return None
    return SlaState.compute(ticket.current_due_at, now, kind=ticket.current_target)


EVENT_LABELS = {
    "created": "a créé la demande",
    "reply": "a répondu",
    "note": "a ajouté une note interne",
    "status": "a changé le statut",
    "assignee": "a changé l'attribution",
    "priority": "a changé la priorité",
    "type": "a changé le type de demande",
    "nature": "a changé la nature",
    "motif": "a changé le motif",
    "labels_confirmed": "a confirmé les catégories",
    "nature_requested": "avait choisi une nature que le texte ne confirme pas",
    "merged_into": "a fusionné cette demande dans",
    "merged_from": "a fusionné ici la demande",
    "merge_undone": "a annulé la fusion avec la demande",
    "diagnosis": "a lancé le diagnostic",
    "fix_step": "a coché une étape de résolution",
    "fix_step_undone": "a décoché une étape de résolution",
    "satisfaction": "a donné son avis",
}


#: History kinds whose values are codes, shown through their (possibly renamed) labels.
CODED_KINDS = ("type", "nature", "motif", "status", "priority")


def event_label(event) -> str:
    label_for = label_in_page
    text = EVENT_LABELS.get(event.kind, event.kind)
    kind = event.kind if event.kind in CODED_KINDS else None
    if event.kind == "nature_requested":
        kind = "nature"
    old = label_for(kind, event.old_value) if kind else event.old_value
    new = label_for(kind, event.new_value) if kind else event.new_value
    if event.kind == "merge_undone":
        return f"{text} {old}"
    if event.kind in ("created", "labels_confirmed"):
        return text + (f" ({new})" if event.kind == "created" and new else "")
    if old and new:
        return f"{text} : {old} → {new}"
    if new:
        return (
            f"{text} : {new}"
            if event.kind not in ("merged_into", "merged_from")
            else f"{text} {new}"
        )
    return text


SLA_BADGE = {"ok": "info", "at_risk": "warning", "breached": "error"}


def category_overrides() -> dict:
    """Labels renamed by an admin, read once per request."""
    from flask import g
    from sqlalchemy import select

    from helpdesk.core.database import get_session
    from helpdesk.tickets.models import CategoryLabel

    if "category_overrides" not in g:
        rows = get_session().execute(
            select(CategoryLabel.kind, CategoryLabel.code, CategoryLabel.label)
        )
        g.category_overrides = {(kind, code): label for kind, code, label in rows}
    return g.category_overrides


def label_in_page(kind: str, code: str | None) -> str:
    from helpdesk.web.labels import label_for

    if kind in CODED_KINDS:
        return label_for(kind, code, category_overrides())
    return label_for(kind, code)


def duration(days: int) -> str:
    """A retention period in words: whole years as years, anything else in days."""
    if days and days % 365 == 0:
        years = days // 365
        return "un an" if years == 1 else f"{years} ans"
    return "un jour" if days == 1 else f"{days} jours"


def init_app(app: Flask) -> None:

    app.add_template_global(sla_state)
    app.add_template_global(event_label)
    app.add_template_global(SLA_BADGE, "SLA_BADGE")

    app.add_template_filter(with_language_notice, "with_language_notice")
    app.add_template_global(language_name, "language_name")
    app.add_template_filter(local_datetime, "local")
    app.add_template_filter(iso_datetime, "iso")
    app.add_template_filter(duration, "duration")
    app.add_template_filter(compact_datetime, "compact")
    app.add_template_global(label_in_page, "label_for")
