"""Indexes of the agents' queue and home page at 100,000 tickets.

Revision ID: 0009_queue_indexes
Revises: 0008_deflection_event
"""

from __future__ import annotations

from alembic import op

revision = "0009_queue_indexes"
down_revision = "0008_deflection_event"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_ticket_board": [
        "status",
        "motif",
        "assignee_id",
        "needs_qualification",
        "first_response_at",
        "first_response_due_at",
        "resolution_due_at",
    ],
    "ix_ticket_motif_status": ["motif", "status"],
    "ix_ticket_assignee_due": ["assignee_id", "resolution_due_at"],
    "ix_ticket_created": ["created_at"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "ticket", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="ticket")
