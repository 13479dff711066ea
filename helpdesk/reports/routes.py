"""``/rapports``: the service centre's reports, for agents and admins.

Filters come in the query string (``du``, ``au``, ``ecole``) so that a report can be
bookmarked and exported as it is shown. The school is named by its UAI or found by its name
among the académie's schools, never listed whole.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from helpdesk.accounts.normalize import normalize_uai
from helpdesk.core.database import get_session
from helpdesk.reports.services import (
    REPORTS,
    InvalidPeriod,
    Period,
    Report,
    build_report,
    report_csv,
)
from helpdesk.schools.models import School
from helpdesk.schools.queries import search_schools
from helpdesk.tickets.display import label_in_page
from helpdesk.util.frenchdates import PARIS
from helpdesk.util.params import clean_text, parse_date
from helpdesk.web.access import staff_required
from helpdesk.web.audit import audit_view

bp = Blueprint("reports", __name__)
SCHOOL_CHOICES = 12


class _Filters:
    """The filters of the query string, read and checked once."""

    def __init__(self) -> None:
        self.first = request.args.get("du", "")
        self.last = request.args.get("au", "")
        self.school_text = clean_text(request.args.get("ecole"), "ecole", 120)
        self.errors: list[str] = []
        self.school: School | None = None
        self.choices: list[School] = []
        today = datetime.now(PARIS).date()
        try:
            self.period = Period.checked(
                parse_date(self.first, "du"), parse_date(self.last, "au"), today
            )
        except InvalidPeriod as exc:
            self.errors.append(str(exc))
            self.period = Period.checked(None, None, today)
        if self.school_text:
            self._find_school()

    def _find_school(self) -> None:
        session = get_session()
        uai = normalize_uai(self.school_text)
        if uai:
            self.school = session.scalar(select(School).where(School.uai == uai))
            if self.school is not None:
                return
        found = search_schools(session, self.school_text, limit=SCHOOL_CHOICES + 1)
        if len(found) == 1:
            self.school = found[0]
        elif not found:
            self.errors.append(f"Aucune école ne correspond à « {self.school_text} ».")
        else:
            self.choices = found[:SCHOOL_CHOICES]
            self.errors.append(
                f"Plusieurs écoles correspondent à « {self.school_text} » : choisissez-en une."
            )

    @property
    def args(self) -> dict[str, str]:
        """The query string of the filters as they apply."""
        args = {"du": self.period.first.isoformat(), "au": self.period.last.isoformat()}
        if self.school is not None:
            args["ecole"] = self.school.uai
        return args

    def report(self, slug: str) -> Report:
        school_id = self.school.id if self.school else None
        return build_report(
            get_session(), slug, self.period, school_id, label_in_page, datetime.now(UTC)
        )

    @property
    def scope_label(self) -> str:
        if self.school is None:
            return "Toutes les écoles"
        return f"{self.school.name} ({self.school.uai})"


def _slug(slug: str) -> str:
    if slug not in REPORTS:
        abort(404)
    return slug


def _page(slug: str):
    filters = _Filters()
    status = 422 if filters.errors else 200
    report = None
    if not filters.errors:
        report = filters.report(slug)
        if slug == "satisfaction" and any(
            t.key == "commentaires" and t.rows for t in report.tables
        ):
            audit_view(
                "rapport_satisfaction",
                filters.school.uai if filters.school else None,
                detail=f"commentaires {filters.period.label}",
            )
    return (
        render_template(
            "reports/report.html",
            slug=slug,
            reports=REPORTS,
            report=report,
            filters=filters,
        ),
        status,
    )


@bp.route("/rapports")
@staff_required
def index():
    return _page("volume")


@bp.route("/rapports/<slug>")
@staff_required
def report(slug: str):
    return _page(_slug(slug))


@bp.route("/rapports/<slug>/export.csv")
@staff_required
def export(slug: str):
    slug = _slug(slug)
    filters = _Filters()
    if filters.errors:
        return Response(
            "\n".join(filters.errors) + "\n", status=422, mimetype="text/plain; charset=utf-8"
        )
    report = filters.report(slug)
    if slug == "satisfaction":
        audit_view(
            "rapport_satisfaction",
            filters.school.uai if filters.school else None,
            detail=f"export CSV {filters.period.label}",
            action="export",
        )
    name = f"rapport-{slug}-{filters.period.first}-{filters.period.last}"
    if filters.school is not None:
        name += f"-{filters.school.uai}"
    return Response(
        report_csv(report, filters.scope_label).encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}.csv"',
        },
    )


@bp.route("/rapports/ecoles")
@staff_required
def school_suggestions():
    """Schools matching what was typed in the filter, as links to the report."""
    query = clean_text(request.args.get("ecole"), "ecole", 120)
    slug = request.args.get("rapport", "volume")
    slug = slug if slug in REPORTS else "volume"
    found = search_schools(get_session(), query, limit=SCHOOL_CHOICES) if len(query) >= 2 else []
    period = {
        name: value
        for name in ("du", "au")
        if (value := request.args.get(name, "")) and _is_day(value)
    }
    return render_template(
        "reports/_schools.html", schools=found, query=query, slug=slug, period=period
    )


def _is_day(value: str) -> bool:
    try:
        return parse_date(value, "du") is not None
    except ValueError:
        return False
