"""The agents' global search: a results page and the header's as-you-type preview."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from helpdesk.core.database import get_session
from helpdesk.diagnostics.people import Lookup, details_from_query, look_up
from helpdesk.knowledge.access import article_index
from helpdesk.knowledge.articles import AUDIENCES
from helpdesk.search.related import related_articles
from helpdesk.search.services import ORDERS, preview_everything, search_everything
from helpdesk.web.access import staff_required
from helpdesk.web.audit import audit_view
from helpdesk.web.htmx import render_page
from helpdesk.web.links import article_citation, article_link

bp = Blueprint("search", __name__)
bp.add_app_template_global(article_link)
bp.add_app_template_global(article_citation)

PAGE_TICKETS = 25
PAGE_ARTICLES = 15
PREVIEW = 5
#: Shorter prefixes match most tickets: the preview waits for a third character.
PREVIEW_MIN_CHARS = 3


def _search(order: str, tickets: int, articles: int):
    return search_everything(
        get_session(),
        article_index(current_app),
        current_user,
        request.args.get("q", ""),
        order=order,
        ticket_limit=tickets,
        article_limit=articles,
    )


def _people(query: str) -> tuple[bool, Lookup | None]:
    """The person the query names, looked up only when the agent asks (each look-up shows
    personal data, masked, and is journaled); (asked, lookup)."""
    if request.args.get("personnes") != "1":
        return False, None
    details = details_from_query(query)
    lookup = look_up(get_session(), details) if details is not None else None
    if lookup is not None and lookup.shown_ids:
        audit_view(
            "personne",
            lookup.shown_ids[0],
            detail="recherche globale ; " + ", ".join(lookup.shown_ids),
        )
    return True, lookup


@bp.route("/recherche")
@staff_required
def results():
    order = request.args.get("ordre", "recent")
    order = order if order in ORDERS else "recent"
    found = _search(order, PAGE_TICKETS, PAGE_ARTICLES)
    people_asked, people = _people(found.query)
    return render_page(
        "search/results.html",
        "search/_results.html",
        found=found,
        order=order,
        orders=ORDERS,
        audience_labels=AUDIENCES,
        people_asked=people_asked,
        people=people,
        person_query=details_from_query(found.query) is not None,
    )


@bp.route("/recherche/apercu")
@staff_required
def preview():
    if len(request.args.get("q", "").strip()) < PREVIEW_MIN_CHARS:
        return ""
    found = preview_everything(
        get_session(), article_index(current_app), current_user, request.args["q"], PREVIEW
    )
    return render_template("search/_preview.html", found=found)


def related_articles_panel(session, ticket) -> dict:
    """A ticket page's panel: the FAQ articles closest to the request."""
    return {"articles": related_articles(article_index(current_app), ticket)}
