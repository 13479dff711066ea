from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.portal.forms import CloseForm, DirectorReplyForm, DirectorRequestForm, ReopenForm
from helpdesk.tickets import followup, services
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


#: Tabs of the directors' list: code -> label.
STATES = {
    "ouvertes": "En cours",
    "attente": "En attente de votre réponse",
    "miennes": "Mes demandes",
    "terminees": "Terminées",
    "toutes": "Toutes",
}


def _filtered(stmt, state: str, query: str):
    if state == "ouvertes":
        stmt = stmt.where(Ticket.status.in_(OPEN_STATUSES))
    elif state == "attente":
        stmt = stmt.where(awaiting_director(current_user))
    elif state == "miennes":
        stmt = stmt.where(Ticket.created_by_id == current_user.id)
    elif state == "terminees":
        stmt = stmt.where(Ticket.status.not_in(OPEN_STATUSES))
    if query:
        # Reference, subject and requester only: never the agents' internal notes.
        stmt = stmt.where(
            or_(
                Ticket.reference.contains(query, autoescape=True),
                func.lower(Ticket.subject).contains(query.lower(), autoescape=True),
                func.lower(Ticket.requester_name).contains(query.lower(), autoescape=True),
            )
        )
    return stmt


def awaiting_director(user):
    """The director's own requests on which the service centre waits for their answer."""
    return and_(Ticket.status == "en_attente_demandeur", Ticket.created_by_id == user.id)


@bp.route("")
@director_required
def index():
    session = get_session()
    state = request.args.get("etat", "ouvertes")
    if state not in STATES:
        state = "ouvertes"
    query = " ".join((request.args.get("q") or "").split())[:100]
    scoped = scope_tickets(select(Ticket), current_user)
    stmt = _filtered(scoped, state, query)
    page = parse_page(request.args.get("page"))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    awaiting = session.scalar(
        select(func.count()).select_from(scoped.where(awaiting_director(current_user)).subquery())
    )
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
        states=STATES,
        query=query,
        awaiting=awaiting or 0,
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


def _show(ticket: Ticket, form=None, close_form=None, reopen_form=None, error=None, status=200):
    messages = [m for m in ticket.messages if not m.is_internal]
    audit_view("ticket", ticket.reference, ticket.id)
    return render_page(
        "portal/show.html",
        "portal/show.html",
        ticket=ticket,
        messages=messages,
        form=form or DirectorReplyForm(formdata=None),
        close_form=close_form or CloseForm(formdata=None),
        reopen_form=reopen_form or ReopenForm(formdata=None),
        own=followup.is_own_request(current_user, ticket),
        reopen_until=followup.reopen_deadline(get_session(), service_context(current_app), ticket),
        can_reopen=followup.can_reopen(get_session(), service_context(current_app), ticket),
        action_error=error,
    ), status


@bp.route("/<reference>", methods=["GET", "POST"])
@director_required
def show(reference: str):
    ticket = _load(reference)
    form = DirectorReplyForm()
    if form.validate_on_submit() and save_reply(ticket, current_user, form):
        flash("Message envoyé.", "success")
        return redirect(url_for("portal.show", reference=reference))
    return _show(ticket, form=form, status=422 if form.errors else 200)


def _followup_action(ticket: Ticket, form, change, success: str):
    """Run a closure or a reopening: a refusal is shown on the request's page (422)."""
    if form.validate_on_submit() and run_action(change, success, form=form):
        return redirect(url_for("portal.show", reference=ticket.reference))
    error = form.form_errors[-1] if form.form_errors else None
    return _show(ticket, **{_FORM_ARG[type(form)]: form}, error=error, status=422)


_FORM_ARG = {CloseForm: "close_form", ReopenForm: "reopen_form"}


@bp.route("/<reference>/clore", methods=["POST"])
@director_required
def close(reference: str):
    ticket = _load(reference)
    form = CloseForm()
    return _followup_action(
        ticket,
        form,
        lambda session: followup.close_with_reason(
            session, service_context(current_app), ticket, current_user, form.reason.data
        ),
        "Demande close.",
    )


@bp.route("/<reference>/rouvrir", methods=["POST"])
@director_required
def reopen(reference: str):
    ticket = _load(reference)
    form = ReopenForm()
    return _followup_action(
        ticket,
        form,
        lambda session: followup.reopen(
            session,
            service_context(current_app),
            ticket,
            current_user,
            form.comment.data,
        ),
        "Demande rouverte : le centre de services la reprend.",
    )
