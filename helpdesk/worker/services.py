"""Record what a worker's pass did: its heartbeat and each task's last success or error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from helpdesk.worker.models import WorkerHeartbeat

#: Rows of workers silent for longer than this are removed (restarts leave one set each).
FORGET_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class TaskOutcome:
    task: str
    error: str | None = None


def record_pass(
    session: Session,
    worker: str,
    started_at: datetime,
    outcomes: list[TaskOutcome],
    now: datetime,
) -> None:
    """Write the heartbeat of one pass and the outcome of the tasks it ran; flushes."""
    for outcome in [*outcomes, TaskOutcome("pass")]:
        row = session.get(WorkerHeartbeat, (worker, outcome.task))
        if row is None:
            row = WorkerHeartbeat(worker=worker, task=outcome.task, started_at=started_at, runs=0)
            session.add(row)
        row.last_run_at = now
        row.runs = (row.runs or 0) + 1
        if outcome.error is None:
            row.last_success_at = now
        else:
            row.last_error_at = now
            row.last_error = outcome.error[:2000]
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.last_run_at < now - FORGET_AFTER))
    session.flush()
