"""Ticket full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector.

The index is kept by database triggers (migration 0005), so a ticket is searchable as soon as
its transaction commits, and the search runs inside the caller's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from sqlalchemy import Select, func, literal_column, select, text
from sqlalchemy.orm import Session, joinedload

from helpdesk.core import dialect
from helpdesk.tickets.models import Ticket
from helpdesk.util.text import fold

_WORD = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*")
_OPEN, _CLOSE = "\x02", "\x03"
MAX_TERMS = 8


@dataclass
class TicketHit:
    ticket: Ticket
    excerpt_html: str


#: Matches are counted up to this number: beyond, « plus de 10 000 » is all a person needs,
#: and counting half the tickets for a common word would cost more than the search itself.
COUNT_LIMIT = 10_000


@dataclass
class TicketSearchResult:
    hits: list[TicketHit]
    total: int
    #: False when `total` stopped at COUNT_LIMIT.
    total_is_exact: bool = True

    @property
    def total_label(self) -> str:
        if self.total_is_exact:
            return str(self.total)
        return f"plus de {COUNT_LIMIT:,}".replace(",", "\u202f")


def query_terms(query: str) -> list[str]:
    """Accent-free words of a query, at most MAX_TERMS; one-letter words are dropped."""
    return [w for w in _WORD.findall(fold(query)) if len(w) > 1][:MAX_TERMS]


def _highlighted(raw: str) -> str:
    """Escape an excerpt made with sentinel marks, then turn the marks into <mark>."""
    return escape(raw).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def matching_ids(session: Session, query: str) -> Select | None:
    """A SELECT of the ids of the tickets matching every word (by prefix), or None."""
    terms = query_terms(query)
    if not terms:
        return None
    if dialect.is_postgresql(session):
        tsquery = " & ".join(f"{t.replace('-', ' <-> ')}:*" for t in terms)
        return select(Ticket.id).where(
            text("ticket.search_vector @@ to_tsquery('helpdesk_fr', :q)").bindparams(q=tsquery)
        )
    match = " ".join(f'"{t}"*' for t in terms)
    return (
        select(text("rowid AS id"))
        .select_from(text("ticket_fts"))
        .where(text("ticket_fts MATCH :q").bindparams(q=match))
    )


def search_tickets(
    session: Session,
    query: str,
    scope: Select,
    order: str = "recent",
    limit: int = 25,
    offset: int = 0,
) -> TicketSearchResult:
    """Tickets of `scope` (a SELECT of Ticket already filtered and permission-scoped)."""
    terms = query_terms(query)
    ids = matching_ids(session, query)
    if ids is None:
        return TicketSearchResult([], 0)
    filtered = scope.where(Ticket.id.in_(ids.scalar_subquery()))
    counted = filtered.order_by(None).with_only_columns(Ticket.id).limit(COUNT_LIMIT + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    if order == "relevance":
        stmt = _by_relevance(session, filtered, terms)
    else:
        stmt = filtered.order_by(Ticket.id.desc())
    tickets = list(
        session.scalars(
            stmt.options(joinedload(Ticket.school), joinedload(Ticket.assignee))
            .limit(limit)
            .offset(offset)
        ).unique()
    )
    excerpts = _excerpts(session, [t.id for t in tickets], terms)
    hits = [TicketHit(t, excerpts.get(t.id, escape(t.subject))) for t in tickets]
    if total > COUNT_LIMIT:
        return TicketSearchResult(hits, COUNT_LIMIT, total_is_exact=False)
    return TicketSearchResult(hits, total)


#: Relevance ranks (and pages through) at most this many of the newest matches, so that a
#: word found in half the tickets costs no more than a rare one.
RANKED_CANDIDATES = 300


def _by_relevance(session: Session, stmt: Select, terms: list[str]) -> Select:
    """`stmt` ordered best match first, among the newest RANKED_CANDIDATES matches."""
    if dialect.is_postgresql(session):
        tsquery = func.to_tsquery(
            "helpdesk_fr", " & ".join(f"{t.replace('-', ' <-> ')}:*" for t in terms)
        )
        vector: Any = literal_column("ticket.search_vector")
        newest = (
            select(Ticket.id.label("id"))
            .where(vector.op("@@")(tsquery))
            .order_by(Ticket.id.desc())
            .limit(RANKED_CANDIDATES)
            .subquery()
        )
        # The rank is computed in the outer query, for the candidates only.
        return stmt.join(newest, newest.c.id == Ticket.id).order_by(
            func.ts_rank_cd(vector, tsquery).desc(), Ticket.id.desc()
        )
    match = " ".join(f'"{t}"*' for t in terms)
    candidates = (
        select(
            literal_column("rowid").label("id"),
            literal_column("bm25(ticket_fts, 10.0, 5.0, 2.0, 1.0)").label("score"),
        )
        .select_from(text("ticket_fts"))
        .where(text("ticket_fts MATCH :rm").bindparams(rm=match))
        .order_by(literal_column("rowid").desc())
        .limit(RANKED_CANDIDATES)
        .subquery()
    )
    # Only the candidates are ranked and paged: sorting every match of a common word would
    # cost as much as reading them all.
    return stmt.join(candidates, candidates.c.id == Ticket.id).order_by(
        candidates.c.score.asc(), Ticket.id.desc()
    )


def excerpts(session: Session, ids: list[int], query: str) -> dict[int, str]:
    """Highlighted excerpts (HTML) of the given tickets for a query."""
    terms = query_terms(query)
    return _excerpts(session, ids, terms) if terms else {}


def by_relevance(session: Session, stmt: Select, query: str) -> Select:
    return _by_relevance(session, stmt, query_terms(query))


def _excerpts(session: Session, ids: list[int], terms: list[str]) -> dict[int, str]:
    if not ids:
        return {}
    if dialect.is_postgresql(session):
        tsquery = " & ".join(f"{t.replace('-', ' <-> ')}:*" for t in terms)
        rows = session.execute(
            text(
                "SELECT t.id, ts_headline('helpdesk_fr', "
                "  coalesce((SELECT string_agg(m.body, ' ') FROM message m"
                "            WHERE m.ticket_id = t.id), t.subject),"
                "  to_tsquery('helpdesk_fr', :q),"
                "  'StartSel=\x02, StopSel=\x03, MaxWords=24, MinWords=8, MaxFragments=2,"
                '   FragmentDelimiter=" … "\') '
                "FROM ticket t WHERE t.id = ANY(:ids)"
            ),
            {"q": tsquery, "ids": ids},
        )
    else:
        match = " ".join(f'"{t}"*' for t in terms)
        placeholders = ", ".join(str(int(i)) for i in ids)
        rows = session.execute(
            text(
                "SELECT rowid, snippet(ticket_fts, -1, :open, :close, ' … ', 16) FROM ticket_fts "
                f"WHERE ticket_fts MATCH :q AND rowid IN ({placeholders})"
            ),
            {"q": match, "open": _OPEN, "close": _CLOSE},
        )
    return {row[0]: _highlighted(row[1]) for row in rows}
