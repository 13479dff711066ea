"""The figures of the reports, aggregated by the database.

Every function reads a bounded number of rows whatever the number of tickets: counts come
grouped (GROUP BY on indexed columns), and a median is read as the middle row of an ordered
query rather than by loading the durations. Periods are half-open ``[start, end)`` in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import KeyedColumnElement

from helpdesk.auth.models import User
from helpdesk.core import dialect
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.schools.models import School
from helpdesk.tickets.models import OPEN_STATUSES, Ticket

#: Where the "waiting for the requester" status stands: its clock is the requester's.
WAITING_STATUS = "en_attente_demandeur"


@dataclass(frozen=True)
class Scope:
    """Tickets received in ``[start, end)``, of one school or of all of them."""

    start: datetime
    end: datetime
    school_id: int | None = None

    def where(self) -> list[ColumnElement[bool]]:
        conditions = [Ticket.created_at >= self.start, Ticket.created_at < self.end]
        if self.school_id is not None:
            conditions.append(Ticket.school_id == self.school_id)
        return conditions


# --------------------------------------------------------------------------- SLA rules


def target_met(done: KeyedColumnElement, due: KeyedColumnElement) -> ColumnElement[bool]:
    """A target is met when the work was done at or before its due date.

    The same rule as ``sla.SlaState.compute`` for a finished target (``done_at <= due``), on
    the due dates the SLA functions stored on the ticket.
    """
    return and_(done.is_not(None), due.is_not(None), done <= due)


def target_missed(done: KeyedColumnElement, due: KeyedColumnElement) -> ColumnElement[bool]:
    return and_(done.is_not(None), due.is_not(None), done > due)


def _count_if(condition: ColumnElement[bool]):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --------------------------------------------------------------------------- volume


def counts_by(session: Session, scope: Scope, *columns) -> list[tuple]:
    """Tickets of the scope per combination of values of ``columns``: one pass over the
    covering index gives every breakdown the caller sums from these few groups."""
    rows = session.execute(select(*columns, func.count()).where(*scope.where()).group_by(*columns))
    return [tuple(row) for row in rows]


def counts_by_school(
    session: Session, scope: Scope, limit: int
) -> tuple[list[tuple[str, str, int]], int]:
    """The ``limit`` schools with most tickets (name, UAI, count), and the schools' total."""
    counted = (
        select(Ticket.school_id, func.count().label("n"))
        .where(*scope.where())
        .group_by(Ticket.school_id)
        .subquery()
    )
    rows = session.execute(
        select(School.name, School.uai, counted.c.n, func.sum(counted.c.n).over())
        .select_from(counted)
        .outerjoin(School, School.id == counted.c.school_id)
        .order_by(counted.c.n.desc(), School.name)
        .limit(limit)
    ).all()
    total = rows[0][3] if rows else 0
    return [(name, uai, count) for name, uai, count, _ in rows], int(total or 0)


def counts_by_utc_day(session: Session, scope: Scope) -> list[tuple[str, int, int]]:
    """Tickets per UTC day ("YYYY-MM-DD"), the hours from 22:00 apart (hour, else 0).

    Europe/Paris is one or two hours ahead of UTC, so only tickets of those late hours can
    belong to the next local day: the caller places them, from at most three rows a day.
    """
    day, hour = dialect.utc_day_and_hour(session, Ticket.created_at)
    late = case((hour >= 22, hour), else_=0)
    rows = session.execute(
        select(day, late, func.count()).where(*scope.where()).group_by(day, late)
    )
    return [(value, int(at), int(count)) for value, at, count in rows]


# --------------------------------------------------------------------------- delays


@dataclass(frozen=True)
class TargetCounts:
    """One SLA target over the tickets of a group; groups add up."""

    tickets: int
    done: int
    met: int
    missed: int
    #: Not done yet and past the due date (waiting for the requester excluded).
    overdue_open: int

    def __add__(self, other: TargetCounts) -> TargetCounts:
        return TargetCounts(
            self.tickets + other.tickets,
            self.done + other.done,
            self.met + other.met,
            self.missed + other.missed,
            self.overdue_open + other.overdue_open,
        )


def sla_counts(
    session: Session, scope: Scope, now: datetime, *group
) -> dict[tuple, tuple[TargetCounts, TargetCounts]]:
    """First-response and resolution counts per combination of values of the ``group``
    columns (one key, the empty tuple, without)."""
    waiting = Ticket.status == WAITING_STATUS
    columns = [
        func.count(),
        _count_if(Ticket.first_response_at.is_not(None)),
        _count_if(target_met(Ticket.first_response_at, Ticket.first_response_due_at)),
        _count_if(target_missed(Ticket.first_response_at, Ticket.first_response_due_at)),
        _count_if(
            and_(Ticket.first_response_at.is_(None), Ticket.first_response_due_at < now, ~waiting)
        ),
        _count_if(Ticket.resolved_at.is_not(None)),
        _count_if(target_met(Ticket.resolved_at, Ticket.resolution_due_at)),
        _count_if(target_missed(Ticket.resolved_at, Ticket.resolution_due_at)),
        _count_if(
            and_(
                Ticket.resolved_at.is_(None),
                Ticket.status.in_(OPEN_STATUSES),
                Ticket.resolution_due_at < now,
                ~waiting,
            )
        ),
    ]
    stmt = select(*group, *columns).where(*scope.where())
    if group:
        stmt = stmt.group_by(*group)
    result = {}
    width = len(group)
    for row in session.execute(stmt):
        key, values = tuple(row[:width]), row[width:]
        total = int(values[0])
        first = TargetCounts(total, *(int(v) for v in values[1:5]))
        resolution = TargetCounts(total, *(int(v) for v in values[5:9]))
        result[key] = (first, resolution)
    return result


def median_seconds(
    session: Session, scope: Scope, start_column, end_column, count: int
) -> float | None:
    """The median of ``end - start`` over the ``count`` tickets where ``end`` is set.

    The middle one or two rows of the ordered durations: the database sorts, two values come
    back. ``count`` is the number of such tickets, known from the grouped counts.
    """
    if count <= 0:
        return None
    duration = dialect.seconds_between(session, start_column, end_column)
    offset = (count - 1) // 2
    values = session.scalars(
        select(duration)
        .where(*scope.where(), end_column.is_not(None))
        .order_by(duration)
        .offset(offset)
        .limit(2 if count % 2 == 0 else 1)
    ).all()
    if not values:
        return None
    return sum(float(v) for v in values) / len(values)


# --------------------------------------------------------------------------- backlog


#: Ages of the backlog, in days: [0, 1), [1, 3), ... and the last one open-ended.
AGE_BOUNDS: Sequence[int] = (1, 3, 7, 15, 30)


def backlog_by_age(session: Session, now: datetime, school_id: int | None) -> dict[str, list[int]]:
    """Open tickets today per status, counted in the age buckets of ``AGE_BOUNDS``."""
    limits = [now - timedelta(days=days) for days in AGE_BOUNDS]
    buckets = []
    newer = None
    for limit in limits:
        condition = Ticket.created_at > limit
        if newer is not None:
            condition = and_(condition, Ticket.created_at <= newer)
        buckets.append(_count_if(condition))
        newer = limit
    buckets.append(_count_if(Ticket.created_at <= limits[-1]))
    stmt = select(Ticket.status, *buckets).where(Ticket.status.in_(OPEN_STATUSES))
    if school_id is not None:
        stmt = stmt.where(Ticket.school_id == school_id)
    return {
        status: [int(n) for n in counts]
        for status, *counts in session.execute(stmt.group_by(Ticket.status))
    }


def overdue_open(session: Session, now: datetime, school_id: int | None) -> int:
    """Open tickets past their resolution due date, those waiting for the requester aside."""
    statuses = [s for s in OPEN_STATUSES if s != WAITING_STATUS]
    stmt = select(func.count()).where(Ticket.status.in_(statuses), Ticket.resolution_due_at < now)
    if school_id is not None:
        stmt = stmt.where(Ticket.school_id == school_id)
    return int(session.scalar(stmt) or 0)


# --------------------------------------------------------------------------- satisfaction


def _rating_scope(scope: Scope) -> list[ColumnElement[bool]]:
    conditions = [
        SatisfactionRating.created_at >= scope.start,
        SatisfactionRating.created_at < scope.end,
    ]
    if scope.school_id is not None:
        conditions.append(Ticket.school_id == scope.school_id)
    return conditions


def ratings_by_value(session: Session, scope: Scope) -> dict[int, int]:
    """Ratings given in the period, per value (1 to 5)."""
    stmt = select(SatisfactionRating.rating, func.count()).where(*_rating_scope(scope))
    if scope.school_id is not None:
        stmt = stmt.join(Ticket, Ticket.id == SatisfactionRating.ticket_id)
    return {int(r): int(n) for r, n in session.execute(stmt.group_by(SatisfactionRating.rating))}


@dataclass(frozen=True)
class RatingComment:
    reference: str
    rating: int
    comment: str
    given_at: datetime
    motif: str


def rating_comments(session: Session, scope: Scope, limit: int) -> list[RatingComment]:
    """The latest comments left with a rating in the period."""
    rows = session.execute(
        select(
            Ticket.reference,
            SatisfactionRating.rating,
            SatisfactionRating.comment,
            SatisfactionRating.created_at,
            Ticket.motif,
        )
        .join(Ticket, Ticket.id == SatisfactionRating.ticket_id)
        .where(
            *_rating_scope(scope),
            SatisfactionRating.comment.is_not(None),
            SatisfactionRating.comment != "",
        )
        .order_by(SatisfactionRating.created_at.desc(), SatisfactionRating.ticket_id.desc())
        .limit(limit)
    )
    return [RatingComment(*row) for row in rows]


# --------------------------------------------------------------------------- agents


@dataclass(frozen=True)
class AgentRow:
    user_id: int
    name: str
    assigned: int
    answered: int
    first_met: int
    resolved: int
    resolution_met: int
    #: Mean first-response time over the answered tickets, in seconds.
    mean_first_response: float | None


def agent_rows(session: Session, scope: Scope) -> list[AgentRow]:
    """Tickets of the period per assigned agent, with their SLA counts.

    Grouped on the assignee column of the covering index; the few agents' names are read
    after, not joined to every ticket.
    """
    first = dialect.seconds_between(session, Ticket.created_at, Ticket.first_response_at)
    grouped = (
        select(
            Ticket.assignee_id.label("user_id"),
            func.count().label("assigned"),
            _count_if(Ticket.first_response_at.is_not(None)).label("answered"),
            _count_if(target_met(Ticket.first_response_at, Ticket.first_response_due_at)).label(
                "first_met"
            ),
            _count_if(Ticket.resolved_at.is_not(None)).label("resolved"),
            _count_if(target_met(Ticket.resolved_at, Ticket.resolution_due_at)).label(
                "resolution_met"
            ),
            func.avg(first).label("mean_first"),
        )
        .where(*scope.where(), Ticket.assignee_id.is_not(None))
        .group_by(Ticket.assignee_id)
        .subquery()
    )
    rows = session.execute(
        select(User.display_name, grouped)
        .join(User, User.id == grouped.c.user_id)
        .order_by(grouped.c.assigned.desc(), User.display_name)
    )
    return [
        AgentRow(
            row.user_id,
            row.display_name,
            int(row.assigned),
            int(row.answered),
            int(row.first_met),
            int(row.resolved),
            int(row.resolution_met),
            float(row.mean_first) if row.mean_first is not None else None,
        )
        for row in rows
    ]


def open_by_agent(session: Session, school_id: int | None) -> dict[int | None, int]:
    """Open tickets today per assignee (None: nobody)."""
    stmt = select(Ticket.assignee_id, func.count()).where(Ticket.status.in_(OPEN_STATUSES))
    if school_id is not None:
        stmt = stmt.where(Ticket.school_id == school_id)
    return {uid: int(n) for uid, n in session.execute(stmt.group_by(Ticket.assignee_id))}
