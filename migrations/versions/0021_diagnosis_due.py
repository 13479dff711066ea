"""Tickets waiting for the diagnosis that the web request left to the background worker.

Revision ID: 0021_diagnosis_due
Revises: 0020_sla_pause
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0021_diagnosis_due"
down_revision = "0020_sla_pause"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("diagnosis_due_at", UTCDateTime(), nullable=True))
        batch.create_index("ix_ticket_diagnosis_due", ["diagnosis_due_at"])


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_diagnosis_due")
        batch.drop_column("diagnosis_due_at")
