"""Pages of personal data: retention (admins), a person's data (admins), RGPD requests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from helpdesk.auth.models import User
from helpdesk.core.database import database, get_session
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.privacy import requests as rgpd
from helpdesk.privacy import retention, services
from helpdesk.privacy.forms import (
    AnswerForm,
    EraseForm,
    ExtendForm,
    HandoffForm,
    IdentityForm,
    OpenRequestForm,
    PersonForm,
)
from helpdesk.privacy.models import IDENTITY_STATES, RIGHTS, RgpdRequest
from helpdesk.privacy.person import parse_identity
from helpdesk.tickets.models import Ticket
from helpdesk.web.access import admin_required, roles_required, staff_required
from helpdesk.web.audit import audit_view

bp = Blueprint("privacy", __name__)

REGISTER_STATES = {"en_cours": "En cours", "en_retard": "En retard", "repondue": "Répondue"}


def _settings() -> services.PrivacySettings:
    return services.PrivacySettings.from_config(current_app.config)


# --- retention -----------------------------------------------------------------------------


@bp.route("/admin/conservation")
@admin_required
def retention_page():
    session = get_session()
    settings = _settings()
    return render_template(
        "privacy/retention.html",
        rules=settings.rules,
        due=retention.due_counts(session, settings.rules, utcnow(), settings.classifier_dir),
        runs=retention.recent_runs(session),
    )


@bp.route("/admin/conservation/appliquer", methods=["POST"])
@admin_required
def retention_apply():
    db = database()
    # The run writes through sessions of its own: on SQLite the request's transaction, begun
    # to load the signed-in user, would hold the write lock they wait for.
    get_session().commit()
    report = services.run_retention(
        db.session_factory, db.engine, _settings(), utcnow(), started_by=current_user.email
    )
    flash(f"Conservation appliquée : {report.total} élément(s) supprimé(s) ou anonymisé(s).")
    return redirect(url_for("privacy.retention_page"))


# --- a person's data -----------------------------------------------------------------------


@bp.route("/admin/personnes")
@admin_required
def person_page():
    form = PersonForm(request.args)
    if "q" not in request.args:
        return render_template("privacy/person.html", form=form, data=None)
    if not form.validate():
        return render_template("privacy/person.html", form=form, data=None), 400
    try:
        data = services.find(get_session(), form.q.data)
    except DomainError as exc:
        form.q.errors = [str(exc)]
        return render_template("privacy/person.html", form=form, data=None), 400
    audit_view("personne", detail=f"recherche par {data.identity.masked}")
    status = 200 if data.found else 404
    erase_form = EraseForm(q=form.q.data)
    return render_template(
        "privacy/person.html", form=form, data=data, erase_form=erase_form
    ), status


@bp.route("/admin/personnes/export")
@admin_required
def person_export():
    identifier = (request.args.get("q") or "").strip()
    try:
        data = services.export(get_session(), identifier, _settings())
    except DomainError as exc:
        abort(400, str(exc))
    if data is None:
        abort(404, "Aucune donnée trouvée pour cette personne.")
    audit_view("personne", detail="export JSON", action="export")
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="donnees-personnelles.json"'},
    )


@bp.route("/admin/personnes/effacer", methods=["POST"])
@admin_required
def person_erase():
    form = EraseForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("privacy.person_page", q=form.q.data or ""))
    db = database()
    try:
        parse_identity(form.q.data)
        report = services.erase(
            db.session_factory,
            db.engine,
            form.q.data,
            _settings(),
            current_user._get_current_object(),
        )
    except DomainError as exc:
        abort(400, str(exc))
    if report is None:
        abort(404, "Aucune donnée trouvée pour cette personne.")
    flash(f"Effacement terminé : {report.summary()}.", "success")
    return redirect(url_for("privacy.person_page"))


# --- RGPD requests -------------------------------------------------------------------------


def _filters() -> rgpd.RegisterFilter:
    args = request.args
    return rgpd.RegisterFilter(
        right=args.get("droit") if args.get("droit") in RIGHTS else None,
        state=args.get("etat") if args.get("etat") in REGISTER_STATES else None,
        identity=args.get("identite") if args.get("identite") in IDENTITY_STATES else None,
    )


@bp.route("/rgpd/registre")
@roles_required("agent", "admin", "dpd")
def register():
    filters = _filters()
    rows = get_session().execute(rgpd.register_query(current_user, filters)).all()
    audit_view("registre_rgpd", detail=f"{len(rows)} demande(s) affichée(s)")
    return render_template(
        "privacy/register.html",
        rows=rows,
        filters=filters,
        rights=RIGHTS,
        states=REGISTER_STATES,
        identities=IDENTITY_STATES,
        now=utcnow(),
        answer_form=AnswerForm(),
    )


@bp.route("/rgpd/registre.csv")
@roles_required("agent", "admin", "dpd")
def register_export():
    rows = get_session().execute(rgpd.register_query(current_user, _filters())).all()
    audit_view("registre_rgpd", detail=f"export CSV : {len(rows)} demande(s)", action="export")
    return Response(
        rgpd.register_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="registre-rgpd.csv"'},
    )


@bp.route("/rgpd/<int:request_id>/reponse", methods=["POST"])
@roles_required("agent", "admin", "dpd")
def record_answer(request_id: int):
    session = get_session()
    case = session.get(RgpdRequest, request_id)
    if case is None or not (current_user.is_staff or case.dpd_id == current_user.id):
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("privacy.register")), 303
    ticket = session.get(Ticket, case.ticket_id)
    try:
        rgpd.record_answer(session, ticket, case, current_user, form.answer.data)
    except DomainError as exc:
        abort(400, str(exc))
    session.commit()
    flash("Réponse enregistrée.", "success")
    return redirect(url_for("privacy.register"))


def _load(reference: str) -> Ticket:
    ticket = get_session().scalar(select(Ticket).where(Ticket.reference == reference))
    if ticket is None:
        abort(404)
    return ticket


def _dpd_users():
    return get_session().scalars(
        select(User)
        .where(User.role == "dpd", User.is_active_account.is_(True))
        .order_by(User.display_name)
    )


def _case_forms(case: RgpdRequest | None) -> dict:
    handoff = HandoffForm(prefix="handoff")
    handoff.dpd.choices = [(str(u.id), u.display_name) for u in _dpd_users()]
    return dict(
        open_form=OpenRequestForm(prefix="open"),
        identity_form=IdentityForm(
            prefix="identity", identity_state=case.identity_state if case else None
        ),
        extend_form=ExtendForm(prefix="extend"),
        handoff_form=handoff,
    )


@bp.route("/tickets/<reference>/rgpd")
@staff_required
def case(reference: str):
    ticket = _load(reference)
    session = get_session()
    found = rgpd.request_for(session, ticket)
    audit_view("ticket", ticket.reference, ticket.id, detail="dossier RGPD")
    deadline = found.due_at if found else rgpd.legal_deadline(ticket.created_at)
    return render_template(
        "privacy/case.html",
        ticket=ticket,
        case=found,
        deadline=deadline,
        now=utcnow(),
        **_case_forms(found),
    )


def _case_action(reference: str, action) -> Response:
    """Run one action on a ticket's RGPD request; a refusal comes back as a 400 page."""
    ticket = _load(reference)
    session = get_session()
    try:
        action(session, ticket, rgpd.request_for(session, ticket))
    except DomainError as exc:
        flash(str(exc), "error")
        found = rgpd.request_for(session, ticket)
        return render_template(
            "privacy/case.html",
            ticket=ticket,
            case=found,
            deadline=found.due_at if found else rgpd.legal_deadline(ticket.created_at),
            now=utcnow(),
            **_case_forms(found),
        ), 400
    session.commit()
    return redirect(url_for("privacy.case", reference=reference))


def _require(case: RgpdRequest | None) -> RgpdRequest:
    if case is None:
        raise DomainError("Ouvrez d'abord le dossier RGPD (droit exercé).")
    return case


@bp.route("/tickets/<reference>/rgpd/ouvrir", methods=["POST"])
@staff_required
def open_case(reference: str):
    form = OpenRequestForm(prefix="open")

    def act(session, ticket, case):
        if not form.validate_on_submit():
            raise DomainError("Date de réception invalide.")
        day = form.received_on.data
        received = datetime.combine(day, time(12), tzinfo=UTC) if day else None
        rgpd.open_request(session, ticket, current_user, form.right.data, received)

    return _case_action(reference, act)


@bp.route("/tickets/<reference>/rgpd/identite", methods=["POST"])
@staff_required
def set_identity(reference: str):
    form = IdentityForm(prefix="identity")

    def act(session, ticket, case):
        rgpd.set_identity(session, ticket, _require(case), current_user, form.identity_state.data)

    return _case_action(reference, act)


@bp.route("/tickets/<reference>/rgpd/prolonger", methods=["POST"])
@staff_required
def extend(reference: str):
    form = ExtendForm(prefix="extend")

    def act(session, ticket, case):
        notice = form.notice.data or ""
        rgpd.extend(
            session, service_context(current_app), ticket, _require(case), current_user, notice
        )

    return _case_action(reference, act)


@bp.route("/tickets/<reference>/rgpd/transmettre", methods=["POST"])
@staff_required
def hand_off(reference: str):
    form = HandoffForm(prefix="handoff")

    def act(session, ticket, case):
        dpd = session.get(User, request.form.get("handoff-dpd", type=int) or 0)
        if dpd is None:
            raise DomainError("Choisissez un délégué à la protection des données actif.")
        rgpd.hand_to_dpd(
            session,
            service_context(current_app),
            ticket,
            _require(case),
            current_user,
            dpd,
            form.summary.data or "",
        )

    return _case_action(reference, act)


def queue_panel(session, tickets) -> dict:
    """The queue's panel: the legal deadline of the RGPD requests on the page."""
    return {"rgpd_deadlines": rgpd.deadlines(session, [t.id for t in tickets])}
