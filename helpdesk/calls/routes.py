"""*Appel ou visite*: the agent looks the person up, then opens the ticket for them."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from helpdesk.calls.forms import CALL_CHANNELS, CallTicketForm
from helpdesk.core.database import get_session
from helpdesk.core.db import sqlite_write_intent
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.diagnostics.people import Lookup, look_up
from helpdesk.schools.models import School
from helpdesk.tickets import services
from helpdesk.tickets.intake import IntakeDetails
from helpdesk.web.access import staff_required
from helpdesk.web.audit import audit_view

bp = Blueprint("calls", __name__)


def record_lookup(lookup: Lookup | None, channel: str) -> None:
    """One journal entry for the people a look-up showed (masked or not, they are shown)."""
    if lookup is None or not lookup.shown_ids:
        return
    audit_view(
        "personne",
        lookup.shown_ids[0],
        detail=f"recherche ({CALL_CHANNELS.get(channel, channel).lower()}) ; "
        + ", ".join(lookup.shown_ids),
    )


def _page(form: CallTicketForm, lookup: Lookup | None, looked_up: bool, status: int = 200):
    return (
        render_template("calls/new.html", form=form, lookup=lookup, looked_up=looked_up),
        status,
    )


@bp.route("/tickets/appel", methods=["GET"])
@staff_required
def new_call():
    return _page(CallTicketForm(formdata=None), None, False)


@bp.route("/tickets/appel", methods=["POST"])
@staff_required
def submit_call():
    session = get_session()
    form = CallTicketForm()
    creating = request.form.get("action") == "creer"
    if not creating:
        # Looking up writes nothing but its journal entry, in its own transaction.
        session.commit()
        sqlite_write_intent.set(False)
        if not form.validate_caller():
            return _page(form, None, False, 422)
        lookup = look_up(session, form.details())
        record_lookup(lookup, form.canal.data)
        return _page(form, lookup, True)
    if request.form.get("verifie") != "1":
        form.validate()
        form.form_errors.append(
            "Recherchez d'abord la personne dans les comptes (bouton « Rechercher »)."
        )
        return _page(form, None, False, 422)
    if not form.validate():
        return _page(form, look_up(session, form.details()) if form.caller_ok else None, True, 422)
    details = form.details()
    school_id = None
    if details.uai:
        school_id = session.scalar(select(School.id).where(School.uai == details.uai))
        if school_id is None:
            form.uai.errors = ["Aucune école connue ne porte cet UAI."]
            return _page(form, None, True, 422)
    data = services.TicketInput(
        subject=form.objet.data,
        body=form.message.data,
        channel=form.canal.data,
        requester_name=" ".join(p for p in (details.prenom, details.nom) if p) or "Appelant",
        requester_email=details.email,
        requester_phone=details.telephone,
        requester_kind=details.role,
        school_id=school_id,
        child_name=details.enfant_prenom,
        motif=form.motif.data,
        priority=form.priorite.data,
        intake=IntakeDetails(
            child_last_name=details.enfant_nom,
            child_birth_date=form.birth_date(),
            login=details.login,
        ),
    )
    ctx = service_context(current_app)
    try:
        ticket = services.open_ticket(session, ctx, current_user, data)
        services.assign(session, ctx, ticket, current_user, current_user)
    except DomainError as exc:
        session.rollback()
        form.form_errors.append(str(exc))
        return _page(form, None, True, 422)
    session.commit()
    flash(
        f"Demande {ticket.reference} ouverte pour cet "
        f"{'appel' if ticket.channel == 'telephone' else 'accueil'} et attribuée à vous.",
        "success",
    )
    return redirect(url_for("tickets.show", reference=ticket.reference))
