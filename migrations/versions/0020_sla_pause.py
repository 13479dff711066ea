"""The SLA clock stands still while a ticket waits for its requester.

Revision ID: 0020_sla_pause
Revises: 0019_worker_heartbeat
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0020_sla_pause"
down_revision = "0019_worker_heartbeat"
branch_labels = None
depends_on = None

BOARD = [
    "status",
    "motif",
    "assignee_id",
    "needs_qualification",
    "first_response_at",
    "first_response_due_at",
    "resolution_due_at",
]


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_paused_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("sla_paused_minutes", sa.Integer(), server_default="0", nullable=False)
        )
    # The home page's overdue count leaves paused tickets out, still from the covering index.
    op.drop_index("ix_ticket_board", table_name="ticket")
    op.create_index("ix_ticket_board", "ticket", [*BOARD, "sla_paused_at"])
    op.create_table(
        "sla_setting",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_sla_setting"),
    )


def downgrade() -> None:
    op.drop_table("sla_setting")
    op.drop_index("ix_ticket_board", table_name="ticket")
    op.create_index("ix_ticket_board", "ticket", BOARD)
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("sla_paused_minutes")
        batch_op.drop_column("sla_paused_at")
