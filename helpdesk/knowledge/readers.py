"""Who reads the FAQ and what they are shown: sections by audience, topics, the article
with the académie's details filled in."""

from __future__ import annotations

import datetime as dt

from flask import abort
from flask_login import current_user

from helpdesk.academie import settings as academie_settings
from helpdesk.core.database import get_session
from helpdesk.knowledge import queries, services
from helpdesk.knowledge.access import KNOWLEDGE_DIR
from helpdesk.knowledge.articles import (
    AUDIENCES,
    SLUG_RE,
    ArticleDoc,
    ArticleError,
    load_article,
)
from helpdesk.knowledge.render import render_markdown
from helpdesk.tickets.taxonomy import MOTIFS
from helpdesk.util.frenchdates import PARIS
from helpdesk.web.links import article_link

#: Public sections of the FAQ: ?public=<code> -> (label, audiences shown).
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "parent": ("Parents et élèves", ("parent", "eleve")),
    "directeur": ("Directeurs et secrétariats", ("directeur",)),
}
STAFF_SECTION = ("agent", ("Agents du centre de services", ("agent",)))
ALL_SECTION = "tous"
SEARCH_LIMIT = 20
BROWSE_LIMIT = 1000


def today() -> dt.date:
    return dt.datetime.now(PARIS).date()


def is_staff() -> bool:
    return current_user.is_authenticated and current_user.role in ("agent", "admin")


def reader_sections() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The sections this reader may choose; signed-in directors and agents start on "tous"."""
    sections: dict[str, tuple[str, tuple[str, ...]]] = {}
    if is_staff():
        sections[ALL_SECTION] = ("Tous les articles", tuple(AUDIENCES))
    elif current_user.is_authenticated and current_user.role == "directeur":
        sections[ALL_SECTION] = ("Tous les sujets", ("parent", "eleve", "directeur"))
    sections.update(SECTIONS)
    if is_staff():
        sections[STAFF_SECTION[0]] = STAFF_SECTION[1]
    return sections


def reader_view(section: str) -> tuple[str, tuple[str, ...]]:
    """The section shown and the audiences it covers."""
    sections = reader_sections()
    if section not in sections:
        section = ALL_SECTION if ALL_SECTION in sections else "parent"
    return section, sections[section][1]


def topics(hits) -> list[tuple[str, str, list]]:
    """Hits grouped by motif, in the taxonomy's order: (code, label, hits)."""
    groups: dict[str, list] = {code: [] for code in MOTIFS}
    for hit in hits:
        for motif in hit.motifs:
            groups.setdefault(motif, []).append(hit)
    return [(code, MOTIFS.get(code, code), items) for code, items in groups.items() if items]


def load_public_doc(slug: str) -> tuple[ArticleDoc, object | None]:
    """The article to show and its database row (None when read from the shipped files,
    which stand in until the articles are imported)."""
    if not SLUG_RE.match(slug):
        abort(404)
    session = get_session()
    article = queries.get_article(session, slug)
    if article is not None:
        return services.to_doc(article), article
    path = KNOWLEDGE_DIR / f"{slug}.md"
    if queries.has_articles(session) or not path.is_file():
        abort(404)
    try:
        return load_article(path), None
    except ArticleError:
        abort(404)


def section_of(doc: ArticleDoc) -> str:
    for code, (_label, audiences) in SECTIONS.items():
        if any(a in audiences for a in doc.audiences):
            return code
    return STAFF_SECTION[0]


def render_body(markdown: str) -> str:
    """An article body as HTML, the académie's details filled in (`{telephone_assistance}`)."""
    filled = academie_settings.fill(markdown, academie_settings.load(get_session()))
    return render_markdown(filled, link_for=article_link)
