"""Whether the background work is being done: the workers' heartbeats and the queues' backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.worker.models import TASK_LABELS, WorkerHeartbeat

#: Workers shown on the page: those heard from within this delay.
RECENT = timedelta(days=1)


@dataclass(frozen=True)
class TaskState:
    task: str
    label: str
    last_run_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None

    @property
    def failing(self) -> bool:
        """The last run of the task failed."""
        return self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at > self.last_success_at
        )


@dataclass(frozen=True)
class WorkerState:
    worker: str
    started_at: datetime
    last_pass_at: datetime
    alive: bool


@dataclass(frozen=True)
class WorkerHealth:
    now: datetime
    stale_after: timedelta
    last_pass_at: datetime | None
    workers: list[WorkerState]
    tasks: list[TaskState]
    #: Outbox rows due and not yet sent; received messages not yet handled.
    outbox_backlog: int
    inbound_backlog: int
    oldest_received_at: datetime | None

    @property
    def alive(self) -> bool:
        return self.last_pass_at is not None and self.now - self.last_pass_at <= self.stale_after

    @property
    def silent_for(self) -> timedelta | None:
        return None if self.last_pass_at is None else self.now - self.last_pass_at

    def as_dict(self) -> dict:
        """The figures a readiness check or a monitoring probe reads."""
        return {
            "alive": self.alive,
            "last_pass_at": self.last_pass_at.isoformat() if self.last_pass_at else None,
            "workers": sum(1 for w in self.workers if w.alive),
            "outbox_backlog": self.outbox_backlog,
            "inbound_backlog": self.inbound_backlog,
            "failing_tasks": [t.task for t in self.tasks if t.failing],
        }


def worker_health(session: Session, now: datetime, stale_after: timedelta) -> WorkerHealth:
    rows = session.scalars(
        select(WorkerHeartbeat).where(WorkerHeartbeat.last_run_at >= now - RECENT)
    ).all()
    passes = sorted(
        (r for r in rows if r.task == "pass"), key=lambda r: r.last_run_at, reverse=True
    )
    workers = [
        WorkerState(r.worker, r.started_at, r.last_run_at, now - r.last_run_at <= stale_after)
        for r in passes
    ]
    tasks = []
    for task, label in TASK_LABELS.items():
        mine = [r for r in rows if r.task == task]
        if not mine:
            continue
        errored = [r for r in mine if r.last_error_at is not None]
        latest_error = max(errored, key=_error_moment) if errored else None
        tasks.append(
            TaskState(
                task,
                label,
                max(r.last_run_at for r in mine),
                max((r.last_success_at for r in mine if r.last_success_at), default=None),
                latest_error.last_error_at if latest_error else None,
                latest_error.last_error if latest_error else None,
            )
        )
    last_pass = session.scalar(
        select(func.max(WorkerHeartbeat.last_run_at)).where(WorkerHeartbeat.task == "pass")
    )
    outbox = session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
    )
    inbound, oldest = session.execute(
        select(func.count(), func.min(InboundMessage.received_at)).where(
            InboundMessage.status == "received"
        )
    ).one()
    return WorkerHealth(
        now=now,
        stale_after=stale_after,
        last_pass_at=last_pass,
        workers=workers,
        tasks=tasks,
        outbox_backlog=outbox or 0,
        inbound_backlog=inbound or 0,
        oldest_received_at=oldest,
    )


def _error_moment(row: WorkerHeartbeat) -> datetime:
    assert row.last_error_at is not None
    return row.last_error_at
