"""What each background worker last did, for the administration and the readiness checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.core.db import Base, UTCDateTime

#: Task code -> label shown to the administrator ("pass": one turn of the worker's loop).
TASK_LABELS = {
    "pass": "Passage de la tâche de fond",
    "inbound": "Traitement des courriels reçus",
    "diagnose": "Diagnostic des nouvelles demandes",
    "fetch": "Relève des boîtes IMAP",
    "send": "Envoi des notifications",
    "jobs": "Relances, clôtures automatiques et alertes d'échéance",
    "retrain": "Réentraînement du catégoriseur",
    "retention": "Durées de conservation",
}


class WorkerHeartbeat(Base):
    """One row per worker process and task: its last run, success and error.

    The ``pass`` row of a worker is its heartbeat, written at the end of every turn of its
    loop: a worker whose last pass is old has stopped.
    """

    __tablename__ = "worker_heartbeat"

    #: ``host:pid`` of the worker process.
    worker: Mapped[str] = mapped_column(String(120), primary_key=True)
    task: Mapped[str] = mapped_column(String(40), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        return TASK_LABELS.get(self.task, self.task)
