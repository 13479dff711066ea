"""How tickets read in pages: codes by their labels (as an admin renamed them), history lines
and the state of the target that matters now. The set-up installs these in the templates."""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy import select

from helpdesk.core.database import get_session
from helpdesk.tickets.labels import CODED_KINDS, event_line, label_for
from helpdesk.tickets.models import CategoryLabel
from helpdesk.tickets.sla import current_state

SLA_BADGE = {"ok": "info", "at_risk": "warning", "breached": "error", "paused": "new"}


def sla_badge_kind(state) -> str:
    """DSFR badge variant: a target met shows as a success."""
    if state.is_done and state.status == "ok":
        return "success"
    return SLA_BADGE[state.status]


def sla_badge_text(ticket, state) -> str:
    """The words of a ticket's SLA badge: a resolved ticket says so, not « Échéance : … »."""
    if state.is_done:
        done = "Résolue" if ticket.status == "resolu" else "Close"
        return f"{done} {state.label}"
    return f"Échéance : {state.label}"


def category_overrides() -> dict:
    """Labels renamed by an admin, read once per request."""
    if "category_overrides" not in g:
        rows = get_session().execute(
            select(CategoryLabel.kind, CategoryLabel.code, CategoryLabel.label)
        )
        g.category_overrides = {(kind, code): label for kind, code, label in rows}
    return g.category_overrides


def label_in_page(kind: str, code: str | None) -> str:
    if kind in CODED_KINDS:
        return label_for(kind, code, category_overrides())
    return label_for(kind, code)


def event_label(event) -> str:
    return event_line(event, label_in_page)


def init_app(app: Flask) -> None:
    app.add_template_global(current_state, "sla_state")
    app.add_template_global(event_label)
    app.add_template_global(sla_badge_kind)
    app.add_template_global(sla_badge_text)
    app.jinja_env.globals["SLA_BADGE"] = SLA_BADGE
    app.add_template_global(label_in_page, "label_for")
