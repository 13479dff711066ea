from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from helpdesk.auth.models import User
from helpdesk.core.database import get_session
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.schools.models import School
from helpdesk.tickets import activity, merging, services
from helpdesk.tickets.forms import (
    AssignForm,
    LabelsForm,
    MergeForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    bulk_form_for,
)
from helpdesk.tickets.models import STATUSES, Attachment, Message, Ticket, TicketMerge
from helpdesk.tickets.panels import panels_context
from helpdesk.tickets.permissions import can_view
from helpdesk.tickets.queries import (
    SLA_FILTERS,
    SORT_LABELS,
    SORTABLE_COLUMNS,
    QueueFilters,
    dashboard,
    queue_page,
)
from helpdesk.tickets.replies import save_reply
from helpdesk.tickets.taxonomy import MOTIFS, NATURES
from helpdesk.tickets.web import (
    load_ticket,
    preview_kind_of,
    render_ticket,
    send_attachment,
    send_preview,
    staff_users,
)
from helpdesk.util.language import LANGUAGES
from helpdesk.web.access import staff_required
from helpdesk.web.actions import run_action
from helpdesk.web.audit import audit_view
from helpdesk.web.htmx import is_htmx, render_page

bp = Blueprint("tickets", __name__)
bp.add_app_template_global(preview_kind_of, "attachment_preview_kind")


@bp.route("/accueil")
@staff_required
def home():
    session = get_session()
    board = dashboard(session, current_user, utcnow())
    return render_page(
        "tickets/home.html",
        "tickets/home.html",
        board=board,
        now=utcnow(),
        **panels_context("home", session, current_user),
    )


@bp.route("/tickets")
@staff_required
def queue():
    session = get_session()
    filters = QueueFilters.from_args(request.args)
    now = utcnow()
    page = queue_page(session, filters, current_user, now, current_app.config["QUEUE_PAGE_SIZE"])
    context = dict(
        page=page,
        filters=filters,
        now=now,
        statuses=STATUSES,
        natures=NATURES,
        motifs=MOTIFS,
        languages=LANGUAGES,
        sorts=SORT_LABELS,
        sortable=SORTABLE_COLUMNS,
        sla_filters=SLA_FILTERS,
        fragment=is_htmx(),
        schools=session.execute(select(School.id, School.name).order_by(School.name)).all(),
        agents=staff_users(session),
        current_query=filters.query_string(),
        **panels_context("queue", session, page.tickets),
    )
    if not context["fragment"]:
        context.update(
            bulk_form=bulk_form_for(context["agents"]),
        )
    return render_page("tickets/queue.html", "tickets/_results.html", **context)


def action_forms(session, ticket: Ticket) -> dict:
    """The forms of the one-change routes (take, assign, status, labels, priority, merge)."""
    assign = AssignForm(prefix="assign", assignee=str(ticket.assignee_id or ""))
    assign.assignee.choices = [SelectChoice("", "Personne")] + [
        SelectChoice(str(u.id), u.display_name) for u in staff_users(session)
    ]
    return dict(
        assign_form=assign,
        status_form=StatusForm(prefix="status", status=ticket.status),
        labels_form=LabelsForm(
            prefix="labels",
            type_demande=ticket.type_demande,
            nature=ticket.nature,
            motif=ticket.motif,
        ),
        priority_form=PriorityForm(prefix="priority", priority=ticket.priority),
        merge_form=MergeForm(prefix="merge"),
    )


@bp.route("/tickets/<reference>")
@staff_required
def show(reference: str):
    return render_ticket(load_ticket(reference))


def _act(reference: str, form_name: str | None, action, success) -> object:
    """Run one change on a ticket and come back to it.

    The form is checked first: a value outside its choices (an unknown agent, a made-up
    status) shows the page again with the error (422); a refusal of the rules is flashed.
    """
    ticket = load_ticket(reference)
    form = None
    if form_name is not None:
        form = action_forms(get_session(), ticket)[form_name]
        if not form.validate_on_submit():
            for field in form:
                for error in field.errors:
                    flash(f"{field.label.text} : {error}", "error")
            return render_ticket(ticket, **{form_name: form})
    run_action(lambda session: action(session, ticket, form), success)
    return redirect(url_for("tickets.show", reference=reference))


@bp.route("/tickets/<reference>/repondre", methods=["POST"])
@staff_required
def reply(reference: str):
    ticket = load_ticket(reference)
    form = ReplyForm(prefix="reply")
    if not form.validate_on_submit():
        return render_ticket(ticket, reply_form=form)
    session = get_session()
    newer = []
    if form.seen.data is not None and not form.force.data:
        newer = activity.messages_since(session, ticket, current_user, form.seen.data)
    if newer:
        # Someone wrote since this page was loaded: show it before anything is sent.
        return render_ticket(ticket, collision=newer, reply_form=form)
    saved = save_reply(
        ticket,
        current_user,
        form,
        "Note enregistrée." if form.internal.data else "Réponse envoyée.",
        internal=form.internal.data,
        new_status=form.status.data or None,
    )
    if not saved:
        return render_ticket(load_ticket(reference), reply_form=form)
    return redirect(url_for("tickets.show", reference=reference))


@bp.route("/tickets/<reference>/prendre", methods=["POST"])
@staff_required
def take(reference: str):
    def action(session, ticket, form):
        services.assign(session, service_context(current_app), ticket, current_user, current_user)

    return _act(reference, None, action, "La demande vous est attribuée.")


@bp.route("/tickets/<reference>/attribuer", methods=["POST"])
@staff_required
def assign(reference: str):
    def action(session, ticket, form):
        assignee_id = form.assignee.data
        assignee = session.get(User, int(assignee_id)) if assignee_id else None
        services.assign(session, service_context(current_app), ticket, current_user, assignee)

    return _act(reference, "assign_form", action, "Attribution enregistrée.")


@bp.route("/tickets/<reference>/statut", methods=["POST"])
@staff_required
def change_status(reference: str):
    def action(session, ticket, form):
        services.change_status(
            session, service_context(current_app), ticket, current_user, form.status.data
        )
        return ticket.status

    return _act(
        reference,
        "status_form",
        action,
        lambda status: f"Statut : {STATUSES.get(status, status)}.",
    )


@bp.route("/tickets/<reference>/qualifier", methods=["POST"])
@staff_required
def relabel(reference: str):
    def action(session, ticket, form):
        services.relabel(
            session,
            ticket,
            current_user,
            form.type_demande.data,
            form.nature.data,
            form.motif.data,
        )

    return _act(reference, "labels_form", action, "Catégories enregistrées.")


@bp.route("/tickets/<reference>/priorite", methods=["POST"])
@staff_required
def priority(reference: str):
    def action(session, ticket, form):
        services.set_priority(
            session, service_context(current_app), ticket, current_user, form.priority.data
        )

    return _act(reference, "priority_form", action, "Priorité enregistrée.")


@bp.route("/tickets/<reference>/fusionner", methods=["POST"])
@staff_required
def merge(reference: str):
    """Merge; across requesters or schools, first a side-by-side page to confirm on."""
    ticket = load_ticket(reference)
    session = get_session()
    form = MergeForm(prefix="merge")
    if form.validate_on_submit() and form.confirm.data != "1":
        target = services.get_by_reference(session, form.target.data.strip())
        try:
            preview = merging.preview_merge(session, ticket, target) if target else None
        except DomainError:
            preview = None  # refused below, with its message
        if preview is not None and preview.needs_confirmation:
            kept = preview.target
            audit_view("ticket", kept.reference, kept.id, detail="comparaison avant fusion")
            return render_template(
                "tickets/merge_confirm.html",
                preview=preview,
                message=str(merging.MergeNeedsConfirmation(preview)),
            )

    def action(session, ticket, form):
        target_ref = form.target.data.strip()
        target = services.get_by_reference(session, target_ref)
        if target is None:
            raise DomainError(f"Aucune demande ne porte la référence « {target_ref} ».")
        merging.merge(
            session,
            service_context(current_app),
            ticket,
            target,
            current_user,
            confirmed=form.confirm.data == "1",
        )
        return target.reference

    return _act(reference, "merge_form", action, lambda kept: f"Demande fusionnée dans {kept}.")


@bp.route("/tickets/<reference>/fusions/<int:merge_id>/annuler", methods=["POST"])
@staff_required
def undo_merge(reference: str, merge_id: int):
    def action(session, ticket, form):
        record = session.get(TicketMerge, merge_id)
        if record is None or ticket.id not in (record.source_id, record.target_id):
            raise DomainError("Fusion introuvable.")
        merging.undo_merge(session, service_context(current_app), record, current_user)
        return record.source.reference

    return _act(
        reference,
        None,
        action,
        lambda source: f"Fusion annulée : {source} est de nouveau une demande à part.",
    )


def _visible_attachment(attachment_id: int) -> Attachment:
    """The attachment if the current user may see its ticket and its message; 404 otherwise."""
    session = get_session()
    item = session.get(Attachment, attachment_id)
    if item is None:
        abort(404)
    ticket = session.get(Ticket, item.ticket_id)
    message = session.get(Message, item.message_id) if item.message_id else None
    if (
        ticket is None
        or not can_view(current_user, ticket)
        or (message is not None and message.is_internal and not current_user.is_staff)
    ):
        abort(404)
    return item


@bp.route("/pieces-jointes/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    item = _visible_attachment(attachment_id)
    audit_view("attachment", str(item.id), item.ticket_id, action="download")
    return send_attachment(item)


@bp.route("/pieces-jointes/<int:attachment_id>/apercu")
@login_required
def attachment_preview(attachment_id: int):
    item = _visible_attachment(attachment_id)
    audit_view("attachment", str(item.id), item.ticket_id, action="view")
    return send_preview(item)
