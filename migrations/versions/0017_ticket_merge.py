"""Merges recorded with what they moved, so that a merge can be undone.

Revision ID: 0017_ticket_merge
Revises: 0016_sign_in_sessions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0017_ticket_merge"
down_revision = "0016_sign_in_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ticket_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("cross_requester", sa.Boolean(), nullable=False),
        sa.Column("source_status", sa.String(30), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("undone_at", UTCDateTime(), nullable=True),
        sa.Column("undone_by_name", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_merge"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["ticket.id"],
            name="fk_ticket_merge_source_id_ticket",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["ticket.id"],
            name="fk_ticket_merge_target_id_ticket",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user.id"], name="fk_ticket_merge_actor_id_user", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_ticket_merge_source_id", "ticket_merge", ["source_id"])
    op.create_index("ix_ticket_merge_target_id", "ticket_merge", ["target_id"])
    op.create_table(
        "ticket_merge_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merge_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("was_internal", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_merge_item"),
        sa.ForeignKeyConstraint(
            ["merge_id"],
            ["ticket_merge.id"],
            name="fk_ticket_merge_item_merge_id_ticket_merge",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name="fk_ticket_merge_item_message_id_message",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name="fk_ticket_merge_item_attachment_id_attachment",
            ondelete="CASCADE",
        ),
    )
    for column in ("merge_id", "message_id", "attachment_id"):
        op.create_index(f"ix_ticket_merge_item_{column}", "ticket_merge_item", [column])


def downgrade() -> None:
    for column in ("merge_id", "message_id", "attachment_id"):
        op.drop_index(f"ix_ticket_merge_item_{column}", table_name="ticket_merge_item")
    op.drop_table("ticket_merge_item")
    op.drop_index("ix_ticket_merge_target_id", table_name="ticket_merge")
    op.drop_index("ix_ticket_merge_source_id", table_name="ticket_merge")
    op.drop_table("ticket_merge")
