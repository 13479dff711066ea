"""Admin page of the académie's details."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.local import LocalProxy

from helpdesk.academie import settings
from helpdesk.academie.forms import AcademieForm
from helpdesk.core.database import get_session
from helpdesk.web.access import admin_required
from helpdesk.web.actions import run_action

bp = Blueprint("academie_admin", __name__, url_prefix="/admin/academie")


@bp.route("", methods=["GET", "POST"])
@admin_required
def edit():
    session = get_session()
    current = settings.load(session)
    form = AcademieForm(data=None if request.method == "POST" else settings.as_dict(current))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in settings.FIELDS}
        saved = run_action(
            lambda session: settings.save(session, values),
            "Coordonnées de l'académie enregistrées.",
            form=form,
        )
        if saved:
            return redirect(url_for("academie_admin.edit"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "admin/academie.html", form=form, placeholders=settings.PLACEHOLDER_LABELS
    ), status


def _current() -> settings.AcademieSettings:
    """The académie's details, read once per request (and only when a page shows them)."""
    if "academie" not in g:
        g.academie = settings.load(get_session())
    return g.academie


def academie_for_templates() -> dict:
    """`academie` in every page template."""
    return {"academie": LocalProxy(_current)}
