"""Indexes of the reports: one covering the tickets' figures by date received, the ratings
by date given, and the articles proposed in the forms by date.

Revision ID: 0018_report_indexes
Revises: 0017_ticket_merge
"""

from __future__ import annotations

from alembic import op

revision = "0018_report_indexes"
down_revision = "0017_ticket_merge"
branch_labels = None
depends_on = None

INDEXES = {
    ("ticket", "ix_ticket_report"): [
        "created_at",
        "motif",
        "nature",
        "channel",
        "school_id",
        "priority",
        "status",
        "assignee_id",
        "first_response_at",
        "first_response_due_at",
        "resolved_at",
        "resolution_due_at",
    ],
    ("satisfaction_rating", "ix_satisfaction_rating_created"): ["created_at", "rating"],
    ("deflection_event", "ix_deflection_event_report"): [
        "created_at",
        "outcome",
        "audience",
        "form_key",
        "article_slug",
    ],
}


def upgrade() -> None:
    for (table, name), columns in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for (table, name), _ in INDEXES.items():
        op.drop_index(name, table_name=table)
