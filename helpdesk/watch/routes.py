"""*Comptes à surveiller* and activation statistics of a school.

Directors see their own schools only (``/demandes/comptes``, any other UAI is a 404); agents
see any school (``/ecoles/<uai>/comptes``). Every display or export of the lists is audited.
"""

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from helpdesk.accounts.activation import school_activation
from helpdesk.accounts.normalize import normalize_uai
from helpdesk.core.database import get_session
from helpdesk.schools.models import School
from helpdesk.schools.queries import search_schools
from helpdesk.util.params import parse_page
from helpdesk.watch.export import watch_csv
from helpdesk.watch.queries import CATEGORIES, CATEGORY_ACTIONS, school_watch
from helpdesk.web.access import director_required, staff_required
from helpdesk.web.audit import audit_view
from helpdesk.web.htmx import render_page

bp = Blueprint("watch", __name__)
PAGE_SIZE = 50


def _staff_school(uai: str) -> School:
    school = get_session().scalar(select(School).where(School.uai == normalize_uai(uai)))
    if school is None:
        abort(404)
    return school


def _director_school() -> School:
    """The director's school named by ``?ecole=`` (their first one by default); 404 otherwise."""
    schools = current_user.schools
    wanted = normalize_uai(request.args.get("ecole"))
    if not schools:
        abort(404)
    if not wanted:
        return schools[0]
    school = next((s for s in schools if s.uai == wanted), None)
    if school is None:
        abort(404)
    return school


def _category() -> str | None:
    code = request.args.get("categorie") or None
    return code if code in CATEGORIES else None


def _links(school: School) -> dict:
    """Endpoints and arguments of the school's pages, for the viewer's role."""
    if current_user.is_director:
        args = {"ecole": school.uai}
        return dict(
            accounts="watch.my_accounts",
            export="watch.my_export",
            stats="watch.my_stats",
            args=args,
        )
    return dict(
        accounts="watch.school_accounts",
        export="watch.school_export",
        stats="watch.school_stats",
        args={"uai": school.uai},
    )


def _accounts_page(school: School):
    category = _category()
    watch = school_watch(get_session(), school.uai)
    rows = watch.rows(category)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(parse_page(request.args.get("page")), pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    audit_view(
        "comptes_a_surveiller",
        school.uai,
        detail=f"{CATEGORIES[category] if category else 'toutes les catégories'} ; "
        f"page {page} : {len(shown)} ligne(s)",
    )
    return render_page(
        "watch/accounts.html",
        "watch/_accounts_results.html",
        school=school,
        schools=current_user.schools if current_user.is_director else [school],
        watch=watch,
        rows=shown,
        total=len(rows),
        page=page,
        pages=pages,
        category=category,
        categories=CATEGORIES,
        actions=CATEGORY_ACTIONS,
        links=_links(school),
    )


def _export(school: School) -> Response:
    category = _category()
    watch = school_watch(get_session(), school.uai)
    rows = watch.rows(category)
    audit_view(
        "comptes_a_surveiller",
        school.uai,
        detail=f"export CSV, {CATEGORIES[category] if category else 'toutes les catégories'} : "
        f"{len(rows)} ligne(s)",
        action="export",
    )
    name = f"comptes-a-surveiller-{school.uai}" + (f"-{category}" if category else "") + ".csv"
    return Response(
        watch_csv(watch, category).encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


def _stats_page(school: School):
    return render_page(
        "watch/stats.html",
        "watch/stats.html",
        school=school,
        schools=current_user.schools if current_user.is_director else [school],
        profiles=school_activation(get_session(), school.uai),
        links=_links(school),
    )


# --------------------------------------------------------------------------- directors


@bp.route("/demandes/comptes")
@director_required
def my_accounts():
    return _accounts_page(_director_school())


@bp.route("/demandes/comptes/export")
@director_required
def my_export():
    return _export(_director_school())


@bp.route("/demandes/statistiques")
@director_required
def my_stats():
    return _stats_page(_director_school())


# --------------------------------------------------------------------------- agents


@bp.route("/ecoles")
@staff_required
def schools():
    query = (request.args.get("q") or "").strip()
    found = search_schools(get_session(), query, limit=30) if len(query) >= 2 else []
    if len(found) == 1 and found[0].uai == normalize_uai(query):
        return redirect(url_for("watch.school_accounts", uai=found[0].uai))
    return render_page("watch/schools.html", "watch/schools.html", query=query, found=found)


@bp.route("/ecoles/<uai>/comptes")
@staff_required
def school_accounts(uai: str):
    return _accounts_page(_staff_school(uai))


@bp.route("/ecoles/<uai>/comptes/export")
@staff_required
def school_export(uai: str):
    return _export(_staff_school(uai))


@bp.route("/ecoles/<uai>/statistiques")
@staff_required
def school_stats(uai: str):
    return _stats_page(_staff_school(uai))
