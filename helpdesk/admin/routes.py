from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from helpdesk.admin import services
from helpdesk.admin.forms import CannedReplyForm, LabelForm, SlaForm, SlaPauseForm, UserForm
from helpdesk.admin.journal import export_rows, journal_csv, journal_lines
from helpdesk.admin.queries import ACTIONS, SUBJECTS, AuditFilters, audit_page
from helpdesk.auth.models import User
from helpdesk.auth.services import save_user
from helpdesk.core.database import get_session
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.schools.models import School
from helpdesk.tickets.models import CannedReply
from helpdesk.tickets.services import pause_enabled, set_pause_enabled
from helpdesk.util.params import parse_page
from helpdesk.web.access import admin_required
from helpdesk.web.actions import run_action
from helpdesk.web.audit import audit_view
from helpdesk.worker.queries import worker_health

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("")
@admin_required
def index():
    session = get_session()
    counts = {
        "users": session.scalar(select(func.count()).select_from(User)),
        "schools": session.scalar(select(func.count()).select_from(School)),
        "replies": session.scalar(select(func.count()).select_from(CannedReply)),
    }
    stale = timedelta(seconds=current_app.config["WORKER_STALE_SECONDS"])
    worker = worker_health(session, utcnow(), stale)
    return render_template("admin/index.html", counts=counts, worker=worker)


@bp.route("/utilisateurs")
@admin_required
def users():
    session = get_session()
    role = request.args.get("role", "")
    stmt = select(User).order_by(User.role, User.display_name)
    if role:
        stmt = stmt.where(User.role == role)
    return render_template("admin/users.html", users=session.scalars(stmt).all(), role=role)


@bp.route("/utilisateurs/nouveau", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int | None):
    session = get_session()
    user = session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = UserForm(obj=None if request.method == "POST" else user)
    if request.method == "GET" and user is not None:
        form.schools.data = [str(s.id) for s in user.schools]
        form.is_active.data = user.is_active_account
    form.schools.choices = [
        SelectChoice(str(s.id), f"{s.name} ({s.uai})")
        for s in session.scalars(select(School).order_by(School.name))
    ]
    if form.validate_on_submit():

        def save(session) -> User:
            school_ids = [int(i) for i in form.schools.data or []]
            saved = save_user(
                session,
                user,
                email=form.email.data,
                display_name=form.display_name.data or "",
                role=form.role.data,
                schools=list(session.scalars(select(School).where(School.id.in_(school_ids)))),
                password=form.password.data or None,
                is_active=form.is_active.data,
            )
            if saved.id == current_user.id and (not saved.is_active_account or not saved.is_admin):
                raise DomainError("Vous ne pouvez pas retirer vos propres droits d'administration.")
            return saved

        saved = run_action(save, lambda saved: f"Compte {saved.email} enregistré.", form=form)
        if saved:
            return redirect(url_for("admin.users"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/user_edit.html", form=form, user=user), status


@bp.route("/categories", methods=["GET", "POST"])
@admin_required
def categories():
    session = get_session()
    if request.method == "POST":
        form = LabelForm()
        kind, code = request.form.get("kind", ""), request.form.get("code", "")
        if form.validate_on_submit():
            run_action(
                lambda session: services.save_label(
                    session, kind, code, form.label.data, form.is_active.data
                ),
                "Libellé enregistré.",
            )
        else:
            flash("Le libellé ne peut pas être vide.", "error")
        return redirect(url_for("admin.categories"))
    return render_template("admin/categories.html", rows=services.label_rows(session))


@bp.route("/reponses")
@admin_required
def canned_replies():
    replies = get_session().scalars(
        select(CannedReply).order_by(CannedReply.motif, CannedReply.title)
    )
    return render_template("admin/canned_replies.html", replies=replies.all())


@bp.route("/reponses/nouvelle", methods=["GET", "POST"], defaults={"reply_id": None})
@bp.route("/reponses/<int:reply_id>", methods=["GET", "POST"])
@admin_required
def canned_reply_edit(reply_id: int | None):
    session = get_session()
    reply = session.get(CannedReply, reply_id) if reply_id else None
    if reply_id and reply is None:
        abort(404)
    form = CannedReplyForm(obj=reply)
    if request.method == "GET" and reply is not None:
        form.motif.data = reply.motif or ""
    if form.validate_on_submit():
        if reply is None:
            reply = CannedReply(title="", body="")
            session.add(reply)
        reply.title = form.title.data.strip()
        reply.motif = form.motif.data or None
        reply.body = form.body.data.strip()
        reply.is_active = form.is_active.data
        session.commit()
        flash("Réponse type enregistrée.", "success")
        return redirect(url_for("admin.canned_replies"))
    status = 422 if form.errors else 200
    return render_template("admin/canned_reply_edit.html", form=form, reply=reply), status


@bp.route("/delais", methods=["GET", "POST"])
@admin_required
def sla_targets():
    session = get_session()
    if request.method == "POST":
        form = SlaForm()
        priority = request.form.get("priority", "")
        if form.validate_on_submit():
            run_action(
                lambda session: services.save_sla(
                    session,
                    priority,
                    form.first_response_minutes.data,
                    form.resolution_minutes.data,
                ),
                "Délais enregistrés.",
            )
        else:
            flash("Indiquez des délais valides (nombres de minutes ouvrées).", "error")
        return redirect(url_for("admin.sla_targets"))
    return render_template(
        "admin/sla.html", rows=services.sla_rows(session), pause=pause_enabled(session)
    )


@bp.route("/delais/pause", methods=["POST"])
@admin_required
def sla_pause():
    form = SlaPauseForm()
    choice = request.form.get("pause", "")
    if not form.validate_on_submit() or choice not in ("oui", "non"):
        flash("Choisissez si le délai est suspendu pendant l'attente du demandeur.", "error")
        session = get_session()
        page = render_template(
            "admin/sla.html", rows=services.sla_rows(session), pause=pause_enabled(session)
        )
        return page, 422
    enabled = choice == "oui"
    run_action(
        lambda session: set_pause_enabled(session, enabled),
        "Le délai est suspendu pendant l'attente du demandeur."
        if enabled
        else "Le délai court aussi pendant l'attente du demandeur.",
    )
    return redirect(url_for("admin.sla_targets"))


@bp.route("/journal")
@admin_required
def audit_log():
    session = get_session()
    page = parse_page(request.args.get("page"))
    filters = AuditFilters.from_args(request.args)
    users = session.execute(
        select(User.id, User.display_name, User.email).order_by(User.display_name)
    ).all()
    return render_template(
        "admin/audit.html",
        lines=journal_lines(session, audit_page(session, filters, page)),
        page=page,
        filters=filters,
        users=users,
        actions=ACTIONS,
        subjects=SUBJECTS,
    )


@bp.route("/journal.csv")
@admin_required
def audit_export():
    """The journal as filtered, for a spreadsheet; the export is itself journaled."""
    filters = AuditFilters.from_args(request.args)
    described = ", ".join(f"{k}={v}" for k, v in filters.as_args().items()) or "tout"
    audit_view("journal", None, detail=f"export CSV ({described})", action="export")
    session = get_session()
    response = Response(
        stream_with_context(journal_csv(export_rows(session, filters))),
        mimetype="text/csv",
    )
    response.headers["Content-Disposition"] = 'attachment; filename="journal-des-acces.csv"'
    return response
