"""One query over the two corpora an agent searches: tickets and FAQ articles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.knowledge.search import ArticleIndex, SearchResult
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.permissions import scope_tickets
from helpdesk.tickets.search import TicketSearchResult, search_tickets

PUBLIC_AUDIENCES = ("parent", "eleve", "directeur")
ORDERS = {"recent": "Les plus récentes", "relevance": "Les plus pertinentes"}
MAX_QUERY = 200


@dataclass(frozen=True)
class GlobalResults:
    query: str
    tickets: TicketSearchResult
    articles: SearchResult

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
    staff = bool(getattr(user, "is_staff", False))
    scope = scope_tickets(select(Ticket), user)
    tickets = search_tickets(
        session, query, scope, order=order if order in ORDERS else "recent", limit=ticket_limit
    )
    if query:
        articles = index.search(
            query,
            audiences=None if staff else PUBLIC_AUDIENCES,
            include_drafts=staff,
            limit=article_limit,
        )
    else:
        articles = SearchResult(hits=[], facets={}, total=0)
    return GlobalResults(query=query, tickets=tickets, articles=articles)
