"""Public FAQ pages (/faq) and the agents' article editor (/base-de-connaissances)."""

from __future__ import annotations

import difflib

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from helpdesk.core.database import get_session
from helpdesk.knowledge import queries, services
from helpdesk.knowledge.access import article_index
from helpdesk.knowledge.articles import (
    AUDIENCES,
    STATUSES,
    ArticleError,
    parse_article,
)
from helpdesk.knowledge.forms import ArticleForm, slugify, split_sources
from helpdesk.knowledge.readers import (
    BROWSE_LIMIT,
    SEARCH_LIMIT,
    is_staff,
    load_public_doc,
    reader_sections,
    reader_view,
    render_body,
    section_of,
    today,
    topics,
)
from helpdesk.knowledge.sources import source_warnings
from helpdesk.tickets.taxonomy import MOTIFS
from helpdesk.web.access import admin_required, staff_required
from helpdesk.web.actions import run_action
from helpdesk.web.htmx import render_page

bp = Blueprint("knowledge", __name__)

# -- public pages -----------------------------------------------------------------------


@bp.route("/faq")
def faq():
    section, audiences = reader_view(request.args.get("public", ""))
    query = request.args.get("q", "").strip()[:200]
    motif = request.args.get("motif", "")
    motif = motif if motif in MOTIFS else ""
    index = article_index(current_app)
    limit = SEARCH_LIMIT if query else BROWSE_LIMIT
    result = index.search(
        query, audiences=audiences, motifs=[motif] if motif else None, limit=limit
    )
    context = {
        "query": query,
        "motif": motif,
        "section": section,
        "sections": reader_sections(),
        "result": result,
        "topics": [] if query or motif else topics(result.hits),
    }
    return render_page("knowledge/faq.html", "knowledge/_faq_results.html", **context)


@bp.route("/faq/<slug>")
def article(slug: str):
    doc, row = load_public_doc(slug)
    if not is_staff() and not queries.is_public(doc):
        abort(404)
    section = section_of(doc)
    _section, audiences = reader_view(section)
    related = []
    if doc.motifs:
        found = article_index(current_app).search(
            "", audiences=audiences, motifs=[doc.motifs[0]], limit=6
        )
        related = [hit for hit in found.hits if hit.slug != doc.slug][:5]
    return render_template(
        "knowledge/article.html",
        doc=doc,
        row=row,
        html=render_body(doc.body),
        section=section,
        sections=reader_sections(),
        related=related,
        is_internal=not queries.is_public(doc),
    )


# -- editor -----------------------------------------------------------------------------


def _editor_filters() -> dict[str, str]:
    args = request.args
    return {
        "q": args.get("q", "").strip()[:200],
        "statut": args.get("statut", "") if args.get("statut") in STATUSES else "",
        "public": args.get("public", "") if args.get("public") in AUDIENCES else "",
        "motif": args.get("motif", "") if args.get("motif") in MOTIFS else "",
        "relire": "1" if args.get("relire") else "",
    }


@bp.route("/base-de-connaissances")
@staff_required
def editor():
    session = get_session()
    filters = _editor_filters()
    cutoff = queries.review_cutoff(today(), current_app.config["KB_REVIEW_MONTHS"])
    slugs = None
    if filters["q"]:
        found = article_index(current_app).search(filters["q"], include_drafts=True, limit=200)
        slugs = [hit.slug for hit in found.hits]
    articles = queries.list_articles(
        session,
        status=filters["statut"] or None,
        audience=filters["public"] or None,
        motif=filters["motif"] or None,
        due_on_or_before=cutoff if filters["relire"] else None,
        slugs=slugs,
    )
    if slugs is not None:
        rank = {slug: position for position, slug in enumerate(slugs)}
        articles.sort(key=lambda a: rank[a.slug])
    context = {
        "articles": articles,
        "filters": filters,
        "cutoff": cutoff,
        "due_count": queries.count_due(session, cutoff),
        "months": current_app.config["KB_REVIEW_MONTHS"],
        "has_articles": queries.has_articles(session),
        "filter_args": {name: value for name, value in filters.items() if value},
        "audiences": AUDIENCES,
        "motifs": MOTIFS,
    }
    return render_page("knowledge/editor.html", "knowledge/_editor_rows.html", **context)


def _local_url(url: str | None) -> str | None:
    """`url` when it is a path of this site (never another host)."""
    if url and url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    return None


def _get_or_404(slug: str):
    article = queries.get_article(get_session(), slug)
    if article is None:
        abort(404)
    return article


def _form_page(form: ArticleForm, article=None, status: int = 200):
    body = form.body.data or ""
    preview_html = render_body(body) if body.strip() else ""
    page = render_template(
        "knowledge/edit.html",
        form=form,
        article=article,
        preview_html=preview_html,
        source_warnings=source_warnings(split_sources(form.sources.data)),
    )
    return page, status


@bp.route("/base-de-connaissances/nouvel-article", methods=["GET", "POST"])
@staff_required
def new():
    session = get_session()
    form = ArticleForm()
    if request.method == "GET":
        form.reviewed.data = today()
    if form.validate_on_submit():
        slug = (form.slug.data or "").strip() or slugify(form.title.data)
        try:
            created = services.create_article(
                session, form.to_doc(slug), current_user, form.note.data
            )
        except services.ArticleInvalid as exc:
            session.rollback()
            form.form_errors.extend(exc.problems)
        else:
            session.commit()
            flash(f"Article « {created.title} » créé.", "success")
            return redirect(url_for("knowledge.edit", slug=created.slug))
    return _form_page(form, status=422 if form.errors or form.form_errors else 200)


@bp.route("/base-de-connaissances/<slug>/modifier", methods=["GET", "POST"])
@staff_required
def edit(slug: str):
    session = get_session()
    article = _get_or_404(slug)
    form = ArticleForm()
    if request.method == "GET":
        form.fill_from(services.to_doc(article))
        form.revision.data = str(article.revision)
    elif form.validate_on_submit():
        try:
            changed = services.update_article(
                session,
                article,
                form.to_doc(article.slug),
                current_user,
                form.note.data,
                expected_revision=form.expected_revision(),
            )
        except (services.ArticleInvalid, services.ArticleConflict) as exc:
            session.rollback()
            form.form_errors.extend(getattr(exc, "problems", [str(exc)]))
            article = _get_or_404(slug)
        else:
            session.commit()
            message = "Article enregistré." if changed else "Aucune modification à enregistrer."
            flash(message, "success" if changed else "info")
            return redirect(url_for("knowledge.edit", slug=slug))
    status = 422 if form.errors or form.form_errors else 200
    return _form_page(form, article, status)


@bp.route("/base-de-connaissances/apercu", methods=["POST"])
@staff_required
def preview():
    html = render_body(request.form.get("body", ""))
    return render_template("knowledge/_preview.html", html=html)


@bp.route("/base-de-connaissances/<slug>/statut", methods=["POST"])
@staff_required
def change_status(slug: str):
    article = _get_or_404(slug)
    status = request.form.get("status", "")
    run_action(
        lambda session: services.set_status(session, article, status, current_user),
        "Article publié." if status == "published" else "Article repassé en brouillon.",
    )
    return redirect(url_for("knowledge.edit", slug=slug))


@bp.route("/base-de-connaissances/<slug>/relu", methods=["POST"])
@staff_required
def mark_reviewed(slug: str):
    session = get_session()
    article = _get_or_404(slug)
    services.mark_reviewed(session, article, today(), current_user)
    session.commit()
    flash(f"« {article.title} » marqué comme relu aujourd'hui.", "success")
    return redirect(_local_url(request.form.get("next")) or url_for("knowledge.editor", relire=1))


@bp.route("/base-de-connaissances/<slug>/historique")
@staff_required
def history(slug: str):
    article = _get_or_404(slug)
    revisions = queries.revisions_of(get_session(), article)
    return render_template("knowledge/history.html", article=article, revisions=revisions)


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Changed lines of the file text: (kind, line) with kind in '+', '-', '@', ' '."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
    return [(line[:1], line[1:]) for line in list(lines)[2:]]


@bp.route("/base-de-connaissances/<slug>/historique/<int:number>")
@staff_required
def revision(slug: str, number: int):
    session = get_session()
    article = _get_or_404(slug)
    shown = queries.get_revision(session, article, number)
    if shown is None:
        abort(404)
    previous = queries.get_revision(session, article, number - 1) if number > 1 else None
    try:
        doc = parse_article(shown.content)
        html = render_body(doc.body)
    except ArticleError:
        doc, html = None, None
    return render_template(
        "knowledge/revision.html",
        article=article,
        shown=shown,
        previous=previous,
        doc=doc,
        html=html,
        diff=_diff(previous.content, shown.content) if previous else [],
    )


@bp.route("/base-de-connaissances/<slug>/historique/<int:number>/restaurer", methods=["POST"])
@staff_required
def restore(slug: str, number: int):
    session = get_session()
    article = _get_or_404(slug)
    shown = queries.get_revision(session, article, number)
    if shown is None:
        abort(404)
    try:
        changed = services.restore_revision(session, article, shown, current_user)
    except services.ArticleInvalid as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("knowledge.revision", slug=slug, number=number))
    session.commit()
    flash(
        f"Version {number} rétablie." if changed else "Cette version est déjà la version actuelle."
    )
    return redirect(url_for("knowledge.history", slug=slug))


@bp.route("/base-de-connaissances/<slug>/supprimer", methods=["GET", "POST"])
@admin_required
def delete(slug: str):
    session = get_session()
    article = _get_or_404(slug)
    if request.method == "POST":
        title = article.title
        services.delete_article(session, article, current_user)
        session.commit()
        flash(f"Article « {title} » supprimé.", "success")
        return redirect(url_for("knowledge.editor"))
    return render_template("knowledge/delete.html", article=article)
