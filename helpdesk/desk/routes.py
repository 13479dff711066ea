"""The desk's routes: bulk changes, the update form, saved views, presence on a ticket."""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from helpdesk.auth.models import User
from helpdesk.core.database import get_session
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.desk import presence as presence_service
from helpdesk.desk import views as view_service
from helpdesk.desk.forms import SaveViewForm
from helpdesk.desk.updates import UNCHANGED, TicketChanges, apply_changes, apply_to_many
from helpdesk.tickets import activity
from helpdesk.tickets.forms import UpdateForm, bulk_form_for, update_form_for
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.queries import QueueFilters
from helpdesk.tickets.web import load_ticket, render_ticket, staff_users
from helpdesk.util.params import ID_MAX, parse_int
from helpdesk.web.access import staff_required
from helpdesk.web.htmx import is_htmx

bp = Blueprint("desk", __name__)


def queue_url(query: str | None) -> str:
    """The queue with the filters of a query string, never another address."""
    filters = QueueFilters.from_args(MultiDict(_pairs(query)))
    return url_for("tickets.queue", **filters.as_args())


def _pairs(query: str | None) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl((query or "").lstrip("?")[:2000])


def _assignee_change(session, value: str):
    if not value:
        return UNCHANGED
    if value == "aucun":
        return None
    if value == "moi":
        return current_user._get_current_object()
    user = session.get(User, int(value))
    if user is None:
        raise DomainError("Agent inconnu.")
    return user


@bp.route("/tickets/lot", methods=["POST"])
@staff_required
def bulk():
    session = get_session()
    form = bulk_form_for(staff_users(session))
    back = queue_url(form.retour.data)
    raw_ids = request.form.getlist("ids")
    if not form.validate_on_submit() or not all(i.isdigit() and int(i) <= ID_MAX for i in raw_ids):
        flash("Modification groupée refusée : choix invalide.", "error")
        return redirect(back)
    try:
        changes = TicketChanges(
            status=form.status.data or None,
            priority=form.priority.data or None,
            motif=form.motif.data or None,
            assignee=_assignee_change(session, form.assignee.data or ""),
        )
        result = apply_to_many(
            session, service_context(current_app), [int(i) for i in raw_ids], current_user, changes
        )
    except DomainError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    session.commit()
    if result.changed:
        count = len(result.changed)
        flash(
            f"{count} demande{'s' if count > 1 else ''} modifiée{'s' if count > 1 else ''}.",
            "success",
        )
    for reference, reason in result.refused:
        flash(f"{reference} non modifiée : {reason}", "error")
    return redirect(back)


def update_form(session, ticket: Ticket, formdata=None) -> UpdateForm:
    return update_form_for(ticket, staff_users(session), formdata)


def changes_from(session, form: UpdateForm, ticket: Ticket) -> TicketChanges:
    """Only the fields that differ from the ticket become changes."""
    changes = TicketChanges(confirm_labels=bool(form.confirm_labels.data))
    if form.status.data != ticket.status:
        changes.status = form.status.data
    if form.priority.data != ticket.priority:
        changes.priority = form.priority.data
    if (form.assignee.data or "") != str(ticket.assignee_id or ""):
        changes.assignee = _assignee_change(session, form.assignee.data or "aucun")
    labels = (form.type_demande.data, form.nature.data, form.motif.data)
    if labels != (ticket.type_demande, ticket.nature, ticket.motif):
        changes.type_demande, changes.nature, changes.motif = labels
    return changes


@bp.route("/tickets/<reference>/mettre-a-jour", methods=["POST"])
@staff_required
def update(reference: str):
    ticket = load_ticket(reference)
    session = get_session()
    form = update_form(session, ticket, formdata=request.form)
    if not form.validate_on_submit():
        return render_ticket(ticket, update_form=form)
    try:
        changes = changes_from(session, form, ticket)
        if changes.is_empty:
            flash("Aucune modification à enregistrer.", "info")
            return redirect(url_for("tickets.show", reference=reference))
        apply_changes(session, service_context(current_app), ticket, current_user, changes)
    except DomainError as exc:
        session.rollback()
        form = update_form(session, load_ticket(reference), formdata=request.form)
        form.validate()
        form.form_errors.append(str(exc))
        return render_ticket(load_ticket(reference), update_form=form)
    session.commit()
    flash("Demande mise à jour.", "success")
    return redirect(url_for("tickets.show", reference=reference))


@bp.route("/tickets/<reference>/presence", methods=["POST"])
@staff_required
def presence(reference: str):
    """Polled by the open ticket page: who else is here, what changed since it loaded."""
    ticket = load_ticket(reference)
    session = get_session()
    now = utcnow()
    message_mark = (
        parse_int(request.form.get("messages"), "messages", minimum=0, maximum=ID_MAX) or 0
    )
    event_mark = (
        parse_int(request.form.get("evenements"), "evenements", minimum=0, maximum=ID_MAX) or 0
    )
    presence_service.signal(
        session, ticket, current_user, now, composing=request.form.get("redige") == "1"
    )
    session.commit()
    context = dict(
        ticket=ticket,
        others=presence_service.others_present(session, ticket, current_user, now),
        new_messages=activity.messages_since(session, ticket, current_user, message_mark),
        events=activity.events_since(session, ticket, current_user, event_mark),
    )
    body = render_template("desk/_presence.html", **context)
    state = hashlib.sha256(body.encode()).hexdigest()[:16]
    if request.form.get("etat") == state:
        return "", 204
    return render_template("desk/_presence_state.html", body=body, state=state)


@bp.route("/vues")
@staff_required
def views():
    """The saved views with their counts (loaded after the queue, which stays fast)."""
    session = get_session()
    saved = view_service.views_for(session, current_user)
    counts = view_service.view_counts(session, saved, current_user, utcnow())
    current = view_service.normalise_query(request.args.get("courante", ""))
    template = "desk/_views.html" if is_htmx() else "desk/views.html"
    return render_template(
        template, saved_views=saved, view_counts=counts, current_query=current, with_counts=True
    )


@bp.route("/vues", methods=["POST"])
@staff_required
def save_view():
    session = get_session()
    form = SaveViewForm(prefix="vue")
    query = form.query.data or ""
    if not form.validate_on_submit():
        flash(" ".join(form.name.errors) or "Vue non enregistrée.", "error")
        return redirect(queue_url(query))
    try:
        view = view_service.save_view(
            session, current_user, form.name.data, query, shared=bool(form.shared.data)
        )
    except DomainError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(queue_url(query))
    session.commit()
    flash(f"Vue « {view.name} » enregistrée.", "success")
    return redirect(queue_url(view.query))


@bp.route("/vues/<int:view_id>/supprimer", methods=["POST"])
@staff_required
def delete_view(view_id: int):
    session = get_session()
    try:
        name = view_service.delete_view(session, current_user, view_id)
    except DomainError:
        session.rollback()
        abort(404)
    session.commit()
    flash(f"Vue « {name} » supprimée.", "success")
    return redirect(url_for("desk.views"))


@bp.route("/vues/<int:view_id>/partage", methods=["POST"])
@staff_required
def share_view(view_id: int):
    if not current_user.is_admin:
        abort(403)
    session = get_session()
    shared = request.form.get("partager") == "1"
    try:
        view = view_service.set_shared(session, current_user, view_id, shared)
    except DomainError:
        session.rollback()
        abort(404)
    session.commit()
    done = "partagée avec tous les agents" if shared else "retirée du partage"
    flash(f"Vue « {view.name} » {done}.", "success")
    return redirect(url_for("desk.views"))
