"""Read side of tickets: the agents' queue with its filters, counts and pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload
from sqlalchemy.sql import operators

from helpdesk.auth.models import User
from helpdesk.schools.models import School
from helpdesk.tickets import search
from helpdesk.tickets.models import OPEN_STATUSES, STATUSES, Ticket
from helpdesk.tickets.permissions import scope_tickets
from helpdesk.tickets.taxonomy import MOTIFS
from helpdesk.util.language import DEFAULT_LANGUAGE, LANGUAGES, OTHER_THAN_FRENCH
from helpdesk.util.params import clean_text, parse_id, parse_page

REFERENCE = re.compile(r"^\d{4}-\d{1,6}$")


def _by_label(column, labels: dict[str, str]):
    """Order codes by their French label (a CASE over the fixed list of codes)."""
    ranked = sorted(labels, key=lambda code: labels[code].casefold())
    return case({code: rank for rank, code in enumerate(ranked)}, value=column, else_=len(ranked))


SORTS = {
    # Received: the date the request arrived (mail and imports may arrive out of id order).
    "recent": (Ticket.created_at.desc(), Ticket.id.desc()),
    "pertinence": (Ticket.created_at.desc(), Ticket.id.desc()),
    "ancien": (Ticket.created_at.asc(), Ticket.id.asc()),
    "maj": (Ticket.updated_at.desc(), Ticket.id.desc()),
    "maj_ancienne": (Ticket.updated_at.asc(), Ticket.id.asc()),
    "echeance": (Ticket.resolution_due_at.asc(), Ticket.id.asc()),
    "echeance_lointaine": (Ticket.resolution_due_at.desc(), Ticket.id.desc()),
    "ecole": (School.name.asc(), Ticket.id.desc()),
    "ecole_desc": (School.name.desc(), Ticket.id.desc()),
    "motif": (_by_label(Ticket.motif, MOTIFS).asc(), Ticket.id.desc()),
    "motif_desc": (_by_label(Ticket.motif, MOTIFS).desc(), Ticket.id.desc()),
    # Status codes sort as their labels do (Clos, En attente, En cours, Nouveau, Résolu).
    "statut": (Ticket.status.asc(), Ticket.id.asc()),
    "statut_desc": (Ticket.status.desc(), Ticket.id.desc()),
}
SORT_LABELS = {
    "pertinence": "Pertinence (avec une recherche)",
    "recent": "Plus récentes",
    "ancien": "Plus anciennes",
    "maj": "Dernière activité",
    "maj_ancienne": "Activité la plus ancienne",
    "echeance": "Échéance la plus proche",
    "echeance_lointaine": "Échéance la plus lointaine",
    "ecole": "École (A → Z)",
    "ecole_desc": "École (Z → A)",
    "motif": "Motif (A → Z)",
    "motif_desc": "Motif (Z → A)",
    "statut": "Statut (A → Z)",
    "statut_desc": "Statut (Z → A)",
}


@dataclass(frozen=True)
class SortableColumn:
    """A column header of the queue that sorts: its two orders, the first one used first."""

    first: str
    second: str

    def next_sort(self, current: str) -> str:
        return self.second if current == self.first else self.first

    def aria_sort(self, current: str) -> str | None:
        if current not in (self.first, self.second):
            return None
        ascending = SORTS[current][0].modifier is not operators.desc_op
        return "ascending" if ascending else "descending"


SORTABLE_COLUMNS = {
    "recue": SortableColumn("recent", "ancien"),
    "activite": SortableColumn("maj", "maj_ancienne"),
    "echeance": SortableColumn("echeance", "echeance_lointaine"),
    "ecole": SortableColumn("ecole", "ecole_desc"),
    "motif": SortableColumn("motif", "motif_desc"),
    "statut": SortableColumn("statut", "statut_desc"),
}
SLA_FILTERS = {"depasse": "Échéance dépassée", "risque": "Échéance proche (4 h)"}
CLOSED_STATUSES = tuple(s for s in STATUSES if s not in OPEN_STATUSES)


def is_open():
    """Open tickets, written as "neither resolved nor closed".

    With IN (open statuses), SQLite fetches and sorts every open ticket through the status
    index to find the newest 25; NOT IN lets it walk the primary key and stop at the 25th.
    """
    return Ticket.status.not_in(CLOSED_STATUSES)


def is_overdue(now: datetime):
    """Open tickets past a due date, except those whose clock stands still (waiting for the
    requester): their time is not running out, so they are not late."""
    return and_(Ticket.sla_paused_at.is_(None), Ticket.current_due_at < now)


def _status_selected(statut: str, status: str) -> bool:
    """Whether the status filter of the queue keeps tickets of this status."""
    if statut == "ouverts":
        return status in OPEN_STATUSES
    if statut and statut != "tous":
        return status == statut
    return True


@dataclass
class QueueFilters:
    """Filters as they appear in the URL (bookmarkable)."""

    statut: str = "ouverts"
    nature: str = ""
    motif: str = ""
    ecole: str = ""
    agent: str = ""
    sla: str = ""
    q: str = ""
    tri: str = "recent"
    qualifier: str = ""
    langue: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> QueueFilters:
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = args.get(f.name)
            if raw is None:
                continue
            if f.name == "page":
                values["page"] = parse_page(raw)
            else:
                values[f.name] = clean_text(raw, f.name, 100)
        filters = cls(**values)
        # Ids are checked here so that the query below only ever sees one that fits a column.
        parse_id(filters.ecole, "ecole")
        if filters.agent not in ("moi", "aucun"):
            parse_id(filters.agent, "agent")
        if filters.tri not in SORTS:
            filters.tri = "recent"
        return filters

    def query_string(self) -> str:
        """The filters and sort as a query string, without the page (saved views, returns)."""
        args = self.as_args()
        args.pop("page", None)
        return urlencode(args)

    def as_args(self, **changes) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(changes)
        defaults = QueueFilters()
        return {k: v for k, v in data.items() if v != getattr(defaults, k) or k in changes}


@dataclass
class QueuePage:
    tickets: list[Ticket]
    total: int
    page: int
    pages: int
    status_counts: dict[str, int] = field(default_factory=dict)
    #: Highlighted excerpts (HTML) by ticket id, when the queue is searched.
    excerpts: dict[int, str] = field(default_factory=dict)

    def status_counts_shown(self, statut: str) -> list[tuple[str, int]]:
        """Counts of the statuses the filter keeps, so that they add up to the total."""
        return [
            (code, self.status_counts[code])
            for code in STATUSES
            if self.status_counts.get(code) and _status_selected(statut, code)
        ]


def _apply_filters(
    session: Session,
    stmt: Select,
    filters: QueueFilters,
    user: User,
    now: datetime,
    with_status=True,
) -> Select:
    if with_status:
        if filters.statut == "ouverts":
            stmt = stmt.where(is_open())
        elif filters.statut and filters.statut != "tous":
            stmt = stmt.where(Ticket.status == filters.statut)
    if filters.nature:
        stmt = stmt.where(Ticket.nature == filters.nature)
    if filters.motif:
        stmt = stmt.where(Ticket.motif == filters.motif)
    if filters.ecole.isdigit():
        stmt = stmt.where(Ticket.school_id == int(filters.ecole))
    if filters.agent == "moi":
        stmt = stmt.where(Ticket.assignee_id == user.id)
    elif filters.agent == "aucun":
        stmt = stmt.where(Ticket.assignee_id.is_(None))
    elif filters.agent.isdigit():
        stmt = stmt.where(Ticket.assignee_id == int(filters.agent))
    if filters.qualifier:
        stmt = stmt.where(Ticket.needs_qualification.is_(True))
    if filters.langue == OTHER_THAN_FRENCH:
        stmt = stmt.where(Ticket.language != DEFAULT_LANGUAGE)
    elif filters.langue in LANGUAGES:
        stmt = stmt.where(Ticket.language == filters.langue)
    if filters.sla == "depasse":
        stmt = stmt.where(is_open(), is_overdue(now))
    elif filters.sla == "risque":
        stmt = stmt.where(
            is_open(),
            Ticket.sla_paused_at.is_(None),
            Ticket.current_due_at.between(now, now + timedelta(hours=4)),
        )
    if filters.q:
        term = filters.q.strip()
        if REFERENCE.match(term):
            year, number = term.split("-")
            stmt = stmt.where(Ticket.reference == f"{year}-{int(number):06d}")
        else:
            ids = search.matching_ids(session, term)
            if ids is not None:
                stmt = stmt.where(Ticket.id.in_(ids.scalar_subquery()))
    return scope_tickets(stmt, user)


def count_matching(session: Session, filters: QueueFilters, user: User, now: datetime) -> int:
    """How many tickets the queue shows with these filters (the total of its count line)."""
    stmt = _apply_filters(session, select(func.count(Ticket.id)), filters, user, now)
    return session.scalar(stmt) or 0


def queue_page(
    session: Session, filters: QueueFilters, user: User, now: datetime, page_size: int = 25
) -> QueuePage:
    counts_stmt = _apply_filters(
        session,
        select(Ticket.status, func.count()).group_by(Ticket.status),
        filters,
        user,
        now,
        with_status=False,
    )
    counts = {status: count for status, count in session.execute(counts_stmt)}
    # The same filters without the status one: the total needs no query of its own.
    total = sum(n for status, n in counts.items() if _status_selected(filters.statut, status))
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    searching = bool(filters.q) and not REFERENCE.match(filters.q.strip())
    # The school is joined explicitly so that the queue can sort on its name.
    with_school = select(Ticket).outerjoin(School, Ticket.school_id == School.id)
    stmt = _apply_filters(session, with_school, filters, user, now).options(
        contains_eager(Ticket.school), joinedload(Ticket.assignee)
    )
    if filters.tri == "pertinence" and searching:
        stmt = search.by_relevance(session, stmt, filters.q)
    else:
        stmt = stmt.order_by(*SORTS.get(filters.tri, SORTS["recent"]))
    stmt = stmt.limit(page_size).offset((page - 1) * page_size)
    tickets = list(session.scalars(stmt).unique())
    excerpts = search.excerpts(session, [t.id for t in tickets], filters.q) if searching else {}
    return QueuePage(tickets, total, page, pages, counts, excerpts)


@dataclass
class Dashboard:
    open_count: int
    new_count: int
    mine_count: int
    unassigned_count: int
    breached_count: int
    to_qualify_count: int
    by_motif: list[tuple[str, int]]
    mine: list[Ticket]


def dashboard(session: Session, user: User, now: datetime) -> Dashboard:
    open_filter = is_open()
    row = session.execute(
        select(
            func.count(),
            func.count().filter(Ticket.status == "nouveau"),
            func.count().filter(Ticket.assignee_id == user.id),
            func.count().filter(Ticket.assignee_id.is_(None)),
            func.count().filter(is_overdue(now)),
            func.count().filter(Ticket.needs_qualification.is_(True)),
        ).where(Ticket.status.in_(OPEN_STATUSES))  # a range of the covering ix_ticket_board
    ).one()
    by_motif = list(
        session.execute(
            select(Ticket.motif, func.count())
            .where(open_filter)
            .group_by(Ticket.motif)
            .order_by(func.count().desc())
        )
    )
    mine = list(
        session.scalars(
            select(Ticket)
            .options(joinedload(Ticket.school))
            .where(open_filter, Ticket.assignee_id == user.id)
            .order_by(Ticket.resolution_due_at.asc())
            .limit(10)
        )
    )
    return Dashboard(*row, by_motif=[(m, c) for m, c in by_motif], mine=mine)


def references_by_id(session: Session, ticket_ids: set[int]) -> dict[int, str]:
    """The references of the given tickets, by id (for lists of mail that name them)."""
    if not ticket_ids:
        return {}
    rows = session.execute(select(Ticket.id, Ticket.reference).where(Ticket.id.in_(ticket_ids)))
    return {ticket_id: reference for ticket_id, reference in rows}
