"""One query over the two corpora an agent searches: tickets and FAQ articles."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from helpdesk.auth.models import User
from helpdesk.knowledge.search import ArticleIndex, SearchResult
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.permissions import scope_tickets
from helpdesk.tickets.search import (
    TicketHit,
    TicketSearchResult,
    excerpts,
    matching_ids,
    search_tickets,
)

PUBLIC_AUDIENCES = ("parent", "eleve", "directeur")
ORDERS = {"recent": "Les plus récentes", "relevance": "Les plus pertinentes"}
MAX_QUERY = 200


@dataclass(frozen=True)
class GlobalResults:
    query: str
    tickets: TicketSearchResult
    articles: SearchResult
    #: False when the ticket total was not counted (the preview): `tickets.total` is then
    #: the number of hits, plus one when there are more.
    is_counted: bool = True

    @property
    def is_empty(self) -> bool:
        return not self.tickets.hits and not self.articles.hits


def search_everything(
    session: Session,
    index: ArticleIndex,
    user: User,
    query: str,
    order: str = "recent",
    ticket_limit: int = 20,
    article_limit: int = 10,
) -> GlobalResults:
    """Tickets the user may see and articles meant for them (every audience and the drafts
    for staff), for the same query."""
    query = (query or "").strip()[:MAX_QUERY]
    scope = scope_tickets(select(Ticket), user)
    tickets = search_tickets(
        session, query, scope, order=order if order in ORDERS else "recent", limit=ticket_limit
    )
    if query:
        articles = _articles(index, user, query, article_limit)
    else:
        articles = SearchResult(hits=[], facets={}, total=0)
    return GlobalResults(query=query, tickets=tickets, articles=articles)


def _articles(index: ArticleIndex, user: User, query: str, limit: int) -> SearchResult:
    staff = bool(getattr(user, "is_staff", False))
    return index.search(
        query,
        audiences=None if staff else PUBLIC_AUDIENCES,
        include_drafts=staff,
        limit=limit,
    )


def preview_everything(
    session: Session, index: ArticleIndex, user: User, query: str, limit: int = 5
) -> GlobalResults:
    """The newest matching tickets and the best articles, without counting every match
    (counting the thousands of tickets a short prefix matches costs more than the search)."""
    query = (query or "").strip()[:MAX_QUERY]
    ids = matching_ids(session, query)
    if ids is None:
        return GlobalResults(query, TicketSearchResult([], 0), SearchResult([], {}, 0), False)
    stmt = (
        scope_tickets(select(Ticket), user)
        .where(Ticket.id.in_(ids.scalar_subquery()))
        .options(joinedload(Ticket.school))
        .order_by(Ticket.id.desc())
        .limit(limit + 1)
    )
    found = list(session.scalars(stmt))
    shown = found[:limit]
    marked = excerpts(session, [t.id for t in shown], query)
    hits = [TicketHit(t, marked.get(t.id) or escape(t.subject)) for t in shown]
    tickets = TicketSearchResult(hits, len(found))
    return GlobalResults(query, tickets, _articles(index, user, query, limit), False)
