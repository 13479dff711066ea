"""Admins' pages for macros, and applying one to a ticket."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from helpdesk.core.database import get_session
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.macros import services
from helpdesk.macros.forms import MacroForm
from helpdesk.macros.models import Macro
from helpdesk.tickets.activity import messages_since
from helpdesk.tickets.web import load_ticket
from helpdesk.util.frenchdates import PARIS
from helpdesk.util.params import ID_MAX, parse_int
from helpdesk.web.access import admin_required, staff_required
from helpdesk.web.actions import run_action

bp = Blueprint("macros", __name__)


@bp.route("/admin/macros")
@admin_required
def index():
    return render_template("admin/macros.html", macros=services.all_macros(get_session()))


@bp.route("/admin/macros/nouvelle", methods=["GET", "POST"], defaults={"macro_id": None})
@bp.route("/admin/macros/<int:macro_id>", methods=["GET", "POST"])
@admin_required
def edit(macro_id: int | None):
    session = get_session()
    macro = session.get(Macro, macro_id) if macro_id else None
    if macro_id and macro is None:
        abort(404)
    form = MacroForm(obj=None if request.method == "POST" else macro)
    if form.validate_on_submit():
        saved = run_action(
            lambda session: services.save_macro(
                session,
                current_user,
                macro,
                name=form.name.data,
                body=form.body.data,
                is_internal=form.is_internal.data,
                status=form.status.data or None,
                motif=form.motif.data or None,
                priority=form.priority.data or None,
                is_active=form.is_active.data,
            ),
            lambda saved: f"Macro « {saved.name} » enregistrée.",
            form=form,
        )
        if saved:
            return redirect(url_for("macros.index"))
    status = 422 if form.errors else 200
    return render_template("admin/macro_edit.html", form=form, macro=macro), status


@bp.route("/admin/macros/<int:macro_id>/supprimer", methods=["POST"])
@admin_required
def delete(macro_id: int):
    run_action(
        lambda session: services.delete_macro(session, current_user, macro_id),
        lambda name: f"Macro « {name} » supprimée.",
    )
    return redirect(url_for("macros.index"))


@bp.route("/tickets/<reference>/macros/<int:macro_id>", methods=["POST"])
@staff_required
def apply(reference: str, macro_id: int):
    ticket = load_ticket(reference)
    session = get_session()
    macro = session.get(Macro, macro_id)
    seen = parse_int(request.form.get("seen"), "seen", minimum=0, maximum=ID_MAX)
    if (
        macro is not None
        and macro.body
        and seen is not None
        and messages_since(session, ticket, current_user, seen)
    ):
        flash(
            "Un message est arrivé depuis l'ouverture de la page : relisez-le, "
            "puis appliquez la macro de nouveau si elle convient toujours.",
            "warning",
        )
        return redirect(url_for("tickets.show", reference=reference, _anchor="echanges"))
    try:
        applied, _ = services.apply_macro(
            session,
            service_context(current_app),
            ticket,
            current_user,
            macro_id,
            utcnow().astimezone(PARIS).date(),
        )
    except DomainError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("tickets.show", reference=reference))
    session.commit()
    flash(f"Macro « {applied.name} » appliquée.", "success")
    return redirect(url_for("tickets.show", reference=reference))


def macros_panel(session, ticket) -> dict:
    """A ticket page's panel: the macros an agent may apply."""
    return {"macros": services.active_macros(session)}
