"""Articles proposed while a parent or a director writes, and "this answers my question"."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask_limiter.errors import RateLimitExceeded

from helpdesk.core.database import get_session
from helpdesk.core.extensions import limiter
from helpdesk.deflection import services
from helpdesk.knowledge.access import article_index
from helpdesk.web.access import director_required
from helpdesk.web.htmx import is_htmx
from helpdesk.web.links import article_link, article_url

bp = Blueprint("deflection", __name__)
bp.add_app_template_global(services.new_form_key, "new_deflection_key")
bp.add_app_template_global(article_link)
bp.add_app_template_global(article_url)

SUGGESTIONS = 3
#: Who sees which articles; the audience is never taken from the request.
PUBLIC_AUDIENCES = ("parent", "eleve")
DIRECTOR_AUDIENCES = ("directeur",)


def _suggest_limit() -> str:
    return current_app.config["RATELIMIT_SUGGEST"]


def _suggestions(audience: str, audiences: tuple[str, ...], *parts: str):
    form_key = request.form.get("deflection_key", "")
    if not services.is_form_key(form_key):
        abort(400)
    query = services.suggestion_query(*parts)
    hits = []
    if sum(c.isalnum() for c in query) >= 3:
        hits = article_index(current_app).search(query, audiences=audiences, limit=SUGGESTIONS).hits
    slugs = [hit.slug for hit in hits]
    if ",".join(slugs) == request.form.get("deflection_shown", ""):
        return "", 204  # the same articles are on screen: leave them (and the live region) be
    session = get_session()
    events = services.record_shown(session, form_key, audience, query, slugs)
    session.commit()
    return render_template(
        "deflection/_suggestions.html",
        hits=hits,
        form_key=form_key,
        answered=events.answered,
        shown=",".join(slugs),
    )


@bp.route("/contact/articles", methods=["POST"])
@limiter.limit(_suggest_limit)
def contact_suggestions():
    audience = "eleve" if request.form.get("requester_kind") == "eleve" else "parent"
    return _suggestions(
        audience,
        PUBLIC_AUDIENCES,
        request.form.get("subject", ""),
        request.form.get("message", ""),
    )


@bp.route("/demandes/nouvelle/articles", methods=["POST"])
@director_required
@limiter.limit(_suggest_limit)
def director_suggestions():
    return _suggestions(
        "directeur",
        DIRECTOR_AUDIENCES,
        request.form.get("subject", ""),
        request.form.get("description", ""),
    )


@bp.route("/articles-proposes/utile", methods=["POST"])
@limiter.limit(_suggest_limit)
def answered():
    slug = request.form.get("article", "")
    session = get_session()
    try:
        services.record_answered(session, request.form.get("deflection_key", ""), slug)
    except services.InvalidDeflection:
        session.rollback()
        abort(404)
    session.commit()
    if not is_htmx():
        return redirect(article_link(slug))
    return render_template("deflection/_answered.html", slug=slug)


@bp.errorhandler(RateLimitExceeded)
def _rate_limited(exc: RateLimitExceeded):
    # While typing, a suggestion refused for speed is simply not shown.
    if request.endpoint in ("deflection.contact_suggestions", "deflection.director_suggestions"):
        return "", 204
    if is_htmx():
        return render_template("errors/_htmx_error.html", code=429), 429
    return render_template("errors/429.html", code=429), 429


def home_panel(session, user) -> dict:
    """The agents' home page panel: how many requests the FAQ answered lately."""
    return {"deflection": services.recent_stats(session)}
