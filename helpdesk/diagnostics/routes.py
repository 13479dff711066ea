"""The *Diagnostic* panel of the agents' ticket page (loaded by htmx, or as a page)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from helpdesk.academie.settings import load as load_academie
from helpdesk.core.database import get_session
from helpdesk.core.db import sqlite_write_intent, utcnow
from helpdesk.core.errors import DomainError
from helpdesk.diagnostics.forms import RequesterForm
from helpdesk.diagnostics.masking import Masker
from helpdesk.diagnostics.panel import Step, panel_view
from helpdesk.diagnostics.tickets import (
    NothingToDiagnose,
    current_request,
    diagnose_on_arrival,
    diagnose_ticket,
    has_account_base,
    run_diagnosis,
    set_step,
    step_key,
    stored_diagnosis,
)
from helpdesk.tickets.canned import fill_placeholders, placeholder_values
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.web import load_ticket
from helpdesk.util.params import parse_int
from helpdesk.web.access import staff_required
from helpdesk.web.audit import audit_view
from helpdesk.web.htmx import is_htmx, render_page

bp = Blueprint("diagnostics", __name__)


def shows_clear(ticket: Ticket) -> bool:
    """Agents see personal data in clear on the tickets they handle, or when they ask."""
    return ticket.assignee_id == current_user.id or request.values.get("clair") == "1"


def _clear_arg() -> str | None:
    return "1" if request.values.get("clair") == "1" else None


def render_panel(ticket: Ticket, form: RequesterForm | None = None, message: str | None = None):
    session = get_session()
    clear = shows_clear(ticket)
    diagnose_request = current_request(session, ticket)
    if form is None:
        form = RequesterForm(prefix="diag", formdata=None)
        form.fill(diagnose_request)
    view = problem = None
    if not has_account_base(session):
        problem = "La base des comptes n'a pas encore été importée : aucun diagnostic possible."
    elif diagnose_request is None:
        problem = (
            "La demande ne décrit personne : complétez les informations du demandeur puis "
            "lancez le diagnostic."
        )
    else:
        run = run_diagnosis(session, diagnose_request, mask=not clear)
        stored = stored_diagnosis(session, ticket)
        values = placeholder_values(ticket, utcnow().date(), None, load_academie(session))
        view = panel_view(
            run,
            Masker(not clear),
            set(stored.checked_steps) if stored else set(),
            fill=lambda text: fill_placeholders(text, values),
        )
        matched = run.diagnosis.matched
        audit_view(
            "diagnostic",
            ticket.reference,
            ticket.id,
            detail=("en clair" if clear else "masqué")
            + "".join(f" ; {name} : {', '.join(ids)}" for name, ids in matched.items() if ids),
        )
    status = 422 if form.errors or form.form_errors else 200
    page = render_page(
        "diagnostics/panel.html",
        "diagnostics/_panel.html",
        ticket=ticket,
        view=view,
        problem=problem,
        form=form,
        clear=clear,
        message=message,
    )
    return page, status


@bp.route("/tickets/<reference>/diagnostic")
@staff_required
def panel(reference: str):
    ticket = load_ticket(reference)
    if ticket.diagnosis_due_at is not None:
        _diagnose_now(ticket)
    return render_panel(ticket)


def _diagnose_now(ticket: Ticket) -> None:
    """The diagnosis on arrival of a ticket opened before the background worker came to it:
    kept as the worker would have (summary in the queue, a line of the history)."""
    session = get_session()
    session.commit()  # the read transaction ends; the next one takes SQLite's write lock
    sqlite_write_intent.set(True)
    session.refresh(ticket, ["diagnosis_due_at"], with_for_update=True)
    if ticket.diagnosis_due_at is not None:  # not done meanwhile by the worker or a colleague
        diagnose_on_arrival(session, ticket)
    _end_writes(session)


def _end_writes(session) -> None:
    """Close the request's write transaction before rendering: the panel's audit entry is
    written in its own transaction, which SQLite would make wait for this one."""
    session.commit()
    sqlite_write_intent.set(False)


@bp.route("/tickets/<reference>/diagnostic", methods=["POST"])
@staff_required
def rerun(reference: str):
    ticket = load_ticket(reference)
    session = get_session()
    form = RequesterForm(prefix="diag")
    if not form.validate_on_submit():
        _end_writes(session)
        return render_panel(ticket, form)
    try:
        diagnose_ticket(
            session, ticket, current_user, form.to_request(current_request(session, ticket))
        )
    except NothingToDiagnose as exc:
        session.rollback()
        _end_writes(session)
        form.form_errors.append(str(exc))
        return render_panel(load_ticket(reference), form)
    _end_writes(session)
    if not is_htmx():
        flash("Diagnostic relancé avec les informations corrigées.", "success")
        return redirect(url_for("diagnostics.panel", reference=reference, clair=_clear_arg()))
    return render_panel(ticket, message="Diagnostic relancé avec les informations corrigées.")


@bp.route("/tickets/<reference>/diagnostic/etapes", methods=["POST"])
@staff_required
def tick(reference: str):
    ticket = load_ticket(reference)
    code = request.form.get("code", "")
    index = parse_int(request.form.get("index"), "index", maximum=1000)
    done = request.form.get("fait") == "1"
    session = get_session()
    try:
        _, text = set_step(
            session, ticket, current_user, code, index if index is not None else -1, done
        )
    except DomainError:
        session.rollback()
        abort(404)
    session.commit()
    if not is_htmx():
        flash("Étape enregistrée dans l'historique.", "success")
        return redirect(url_for("diagnostics.panel", reference=reference, clair=_clear_arg()))
    step = Step(step_key(code, index), index, text, done)
    return render_template(
        "diagnostics/_step.html",
        ticket=ticket,
        code=code,
        step=step,
        clear=shows_clear(ticket),
        focus=True,
    )
