"""Periodic work of the ticket lifecycle driven by the database: reminders, automatic closure,
SLA alerts.

Every run looks at the tickets as they are now, so it can be repeated at any pace and by
several workers: each reminder or alert carries a ``dedupe_key``, and the outbox that its
signal's receiver writes to keeps one message per key whatever the number of runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import false, func, select, union
from sqlalchemy.orm import Session, selectinload

from helpdesk.core import signals
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.tickets import services, sla
from helpdesk.tickets.models import Message, Ticket, TicketEvent
from helpdesk.util.frenchdates import PARIS, weekday_date

#: Only due dates closer than this are examined for SLA alerts.
SLA_HORIZON = timedelta(days=14)
SLA_TARGETS = {"first_response": "première réponse", "resolution": "résolution"}


class LifecycleDelays(Protocol):
    """The delays an admin sets (the mail settings), in days; 0 switches the job off."""

    reminder_days: int
    autoclose_days: int
    resolved_close_days: int


@dataclass
class JobReport:
    reminders: int = 0
    closed: int = 0
    resolved_closed: int = 0
    sla_alerts: int = 0


def run_periodic(
    session: Session, ctx: ServiceContext, settings: LifecycleDelays, now: datetime | None = None
) -> JobReport:
    """Run every periodic job once; the caller commits."""
    now = now or utcnow()
    report = JobReport()
    remind_waiting(session, ctx, settings, now, report)
    close_resolved(session, ctx, settings, now, report)
    alert_sla(session, ctx, now, report)
    return report


def _queued(results: Sequence[tuple[object, object]]) -> bool:
    """Whether a receiver of a reminder or alert signal queued a message."""
    return any(queued for _, queued in results)


def waiting_tickets(session: Session) -> list[tuple[Ticket, datetime]]:
    """Tickets waiting for their requester, with the moment the wait started.

    The wait starts when the status changed to "waiting", or at the agent's last public reply
    when it came later (a new question restarts the clock).
    """
    status_at = (
        select(TicketEvent.ticket_id, func.max(TicketEvent.created_at).label("at"))
        .where(
            TicketEvent.kind == "status",
            TicketEvent.new_value == "en_attente_demandeur",
        )
        .group_by(TicketEvent.ticket_id)
        .subquery()
    )
    replied_at = (
        select(Message.ticket_id, func.max(Message.created_at).label("at"))
        .where(Message.author_kind == "agent", Message.is_internal.is_(False))
        .group_by(Message.ticket_id)
        .subquery()
    )
    rows = session.execute(
        select(Ticket, status_at.c.at, replied_at.c.at)
        .outerjoin(status_at, status_at.c.ticket_id == Ticket.id)
        .outerjoin(replied_at, replied_at.c.ticket_id == Ticket.id)
        .where(
            Ticket.status == "en_attente_demandeur",
            Ticket.merged_into_id.is_(None),
            Ticket.id.not_in(_held()),
        )
        .order_by(Ticket.id)
    ).all()
    result = []
    for ticket, changed, replied in rows:
        moments = [m for m in (changed, replied) if m is not None] or [ticket.updated_at]
        result.append((ticket, max(_aware(m) for m in moments)))
    return result


def _held():
    """Ids of the tickets the features hold open (an RGPD request waiting for a proof of
    identity is never closed for want of an answer)."""
    holds = [hold for _, hold in signals.closure_holds.send(None)]
    if not holds:
        return select(Ticket.id).where(false())
    return holds[0] if len(holds) == 1 else union(*holds)


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def remind_waiting(
    session: Session,
    ctx: ServiceContext,
    settings: LifecycleDelays,
    now: datetime,
    report: JobReport,
) -> None:
    remind_after = timedelta(days=settings.reminder_days)
    close_after = timedelta(days=settings.autoclose_days)
    for ticket, since in waiting_tickets(session):
        if settings.autoclose_days > 0 and now >= since + close_after:
            services.change_status(session, ctx, ticket, None, "clos")
            signals.closed_unanswered.send(ticket, session=session, ctx=ctx)
            report.closed += 1
            continue
        if settings.reminder_days <= 0 or now < since + remind_after:
            continue
        key = f"waiting_reminder:{ticket.id}:{since.isoformat()}"
        close_at = since + close_after
        if _queued(
            signals.reminder_due.send(
                ticket, session=session, ctx=ctx, close_at=close_at, dedupe_key=key
            )
        ):
            report.reminders += 1


def close_resolved(
    session: Session,
    ctx: ServiceContext,
    settings: LifecycleDelays,
    now: datetime,
    report: JobReport,
) -> None:
    """Close resolved tickets nobody reopened within the announced delay (silently)."""
    if settings.resolved_close_days <= 0:
        return
    limit = now - timedelta(days=settings.resolved_close_days)
    tickets = session.scalars(
        select(Ticket)
        .where(
            Ticket.status == "resolu",
            Ticket.resolved_at <= limit,
            Ticket.id.not_in(_held()),
        )
        .order_by(Ticket.id)
    ).all()
    for ticket in tickets:
        services.change_status(session, ctx, ticket, None, "clos")
        report.resolved_closed += 1


def alert_sla(session: Session, ctx: ServiceContext, now: datetime, report: JobReport) -> None:
    """Tell the assignee once per target when a due date is at risk (or already passed)."""
    calendar = sla.BusinessCalendar(**ctx.calendar_overrides)
    horizon = now + SLA_HORIZON
    tickets = session.scalars(
        select(Ticket)
        .options(selectinload(Ticket.assignee))
        .where(
            Ticket.status.in_(("nouveau", "en_cours")),
            Ticket.assignee_id.is_not(None),
            Ticket.merged_into_id.is_(None),
            Ticket.current_due_at <= horizon,
        )
        .order_by(Ticket.id)
    ).all()
    targets_by_priority: dict[str, tuple[int, int]] = {}
    for ticket in tickets:
        kind, due = ticket.current_target, ticket.current_due_at
        if due is None:
            continue
        if ticket.priority not in targets_by_priority:
            targets_by_priority[ticket.priority] = services.sla_targets(session, ticket.priority)
        first, resolution = targets_by_priority[ticket.priority]
        state = sla.SlaState.compute(
            due,
            now,
            target_minutes=first if kind == "first_response" else resolution,
            kind=kind,
            calendar=calendar,
        )
        if state.status == "ok":
            continue
        key = f"sla_at_risk:{ticket.id}:{kind}:{_aware(due).isoformat()}"
        if _queued(
            signals.sla_at_risk.send(
                ticket,
                session=session,
                ctx=ctx,
                target=SLA_TARGETS[kind],
                due_at=_local(due),
                remaining=state.label,
                dedupe_key=key,
            )
        ):
            report.sla_alerts += 1


def _local(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return f"{weekday_date(moment)} à {local:%H:%M}"
