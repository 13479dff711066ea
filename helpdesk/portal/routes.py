from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.portal.forms import DirectorReplyForm, DirectorRequestForm
from helpdesk.tickets import services
from helpdesk.tickets.attachments import uploads_from
from helpdesk.tickets.models import OPEN_STATUSES, Message, Ticket
from helpdesk.tickets.permissions import can_view, scope_tickets
from helpdesk.tickets.replies import save_reply
from helpdesk.util.params import parse_page
from helpdesk.web.access import director_required
from helpdesk.web.actions import run_action
from helpdesk.web.audit import audit_view
from helpdesk.web.htmx import render_page

bp = Blueprint("portal", __name__, url_prefix="/demandes")
PAGE_SIZE = 20


@bp.route("")
@director_required
def index():
    session = get_session()
    state = request.args.get("etat", "ouvertes")
    stmt = scope_tickets(select(Ticket), current_user)
    if state == "ouvertes":
        stmt = stmt.where(Ticket.status.in_(OPEN_STATUSES))
    elif state == "terminees":
        stmt = stmt.where(Ticket.status.not_in(OPEN_STATUSES))
    page = parse_page(request.args.get("page"))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    tickets = session.scalars(
        stmt.options(joinedload(Ticket.school))
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    pages = max(1, -(-total // PAGE_SIZE))
    return render_page(
        "portal/index.html",
        "portal/_list.html",
        tickets=tickets,
        state=state,
        page=page,
        pages=pages,
        total=total,
    )


def _school_choices():
    return [SelectChoice("", "Choisir")] + [
        SelectChoice(str(s.id), f"{s.name} ({s.uai})") for s in current_user.schools
    ]


@bp.route("/nouvelle", methods=["GET", "POST"])
@director_required
def new():
    form = DirectorRequestForm()
    form.school.choices = _school_choices()
    if len(current_user.schools) == 1 and not form.school.data:
        form.school.data = str(current_user.schools[0].id)
    if form.validate_on_submit():
        school_id = int(form.school.data)
        if school_id not in current_user.school_ids:
            abort(404)
        session = get_session()
        data = services.TicketInput(
            subject=form.subject.data,
            body=form.description.data,
            channel="portail_directeur",
            requester_name=current_user.display_name,
            requester_email=current_user.email,
            requester_kind="directeur",
            school_id=school_id,
            concerned_person=form.concerned.data,
            type_demande=form.type_demande.data,
            nature=form.nature.data,
            uploads=uploads_from(form.files.data),
            intake=form.intake_details(),
        )
        try:
            ticket = services.open_ticket(session, service_context(current_app), current_user, data)
        except DomainError as exc:
            session.rollback()
            form.form_errors.append(str(exc))
        else:
            session.commit()
            flash(f"Demande {ticket.reference} enregistrée.", "success")
            return redirect(url_for("portal.show", reference=ticket.reference))
    status = 422 if form.errors or form.form_errors else 200
    return render_page("portal/new.html", "portal/new.html", form=form), status


def _load(reference: str) -> Ticket:
    ticket = get_session().scalar(
        select(Ticket)
        .options(selectinload(Ticket.messages).selectinload(Message.attachments))
        .where(Ticket.reference == reference)
    )
    if ticket is None or not can_view(current_user, ticket):
        abort(404)
    return ticket


@bp.route("/<reference>", methods=["GET", "POST"])
@director_required
def show(reference: str):
    ticket = _load(reference)
    form = DirectorReplyForm()
    if form.validate_on_submit() and save_reply(ticket, current_user, form):
        flash("Message envoyé.", "success")
        return redirect(url_for("portal.show", reference=reference))
    messages = [m for m in ticket.messages if not m.is_internal]
    audit_view("ticket", ticket.reference, ticket.id)
    status = 422 if form.errors else 200
    return render_page(
        "portal/show.html", "portal/show.html", ticket=ticket, messages=messages, form=form
    ), status


@bp.route("/<reference>/clore", methods=["POST"])
@director_required
def close(reference: str):
    ticket = _load(reference)
    run_action(
        lambda session: services.change_status(
            session, service_context(current_app), ticket, current_user, "clos"
        ),
        "Demande close.",
    )
    return redirect(url_for("portal.show", reference=reference))
