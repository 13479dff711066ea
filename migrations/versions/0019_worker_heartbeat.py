"""Heartbeat of the background workers: last pass, and last success or error of each task.

Revision ID: 0019_worker_heartbeat
Revises: 0018_report_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0019_worker_heartbeat"
down_revision = "0018_report_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_heartbeat",
        sa.Column("worker", sa.String(120), nullable=False),
        sa.Column("task", sa.String(40), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("last_run_at", UTCDateTime(), nullable=False),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("worker", "task", name="pk_worker_heartbeat"),
    )
    op.create_index("ix_worker_heartbeat_last_run_at", "worker_heartbeat", ["last_run_at"])


def downgrade() -> None:
    op.drop_index("ix_worker_heartbeat_last_run_at", table_name="worker_heartbeat")
    op.drop_table("worker_heartbeat")
