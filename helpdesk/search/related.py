"""The FAQ articles that match a ticket, for the agent to link in a reply."""

from __future__ import annotations

from dataclasses import replace

from helpdesk.knowledge.search import ArticleIndex, Hit
from helpdesk.tickets.models import Ticket

#: Articles the requester can open, by who they are.
READER_AUDIENCES = {
    "parent": ("parent", "eleve"),
    "eleve": ("eleve", "parent"),
    "directeur": ("directeur",),
}
ALL_PUBLIC = ("parent", "eleve", "directeur")
MOTIF_BOOST = 2.0
QUERY_WORDS = 30
CANDIDATES = 8


def ticket_query(ticket: Ticket) -> str:
    """The ticket's subject and first message as the requester wrote them."""
    first = next((m.body for m in ticket.messages if not m.is_internal), "")
    words = f"{ticket.subject} {first}".split()
    return " ".join(words[:QUERY_WORDS]) + " "


def related_articles(index: ArticleIndex, ticket: Ticket, limit: int = 5) -> list[Hit]:
    """Published articles the requester can read, best first: text relevance, with the
    articles of the ticket's motif boosted, then that motif's other articles."""
    audiences = READER_AUDIENCES.get(ticket.requester_kind, ALL_PUBLIC)
    motif = ticket.motif
    found = index.search(ticket_query(ticket), audiences=audiences, limit=CANDIDATES).hits
    ranked = sorted(
        (
            replace(hit, score=hit.score * (MOTIF_BOOST if motif in hit.motifs else 1.0))
            for hit in found
        ),
        key=lambda hit: -hit.score,
    )
    top = ranked[:limit]
    if motif:
        seen = {hit.slug for hit in top}
        listed = index.search("", audiences=audiences, motifs=[motif], limit=limit + len(seen))
        extra = [hit for hit in listed.hits if hit.slug not in seen]
        if not any(motif in hit.motifs for hit in top):
            top = top[: max(limit - 2, 0)]  # room for two articles of the motif
        top = (top + extra)[:limit]
    return top
