"""The agents' desk: saved views, presence on tickets, macros, queue sort indexes.

Revision ID: 0015_agents_desk
Revises: 0014_ticket_language
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0015_agents_desk"
down_revision = "0014_ticket_language"
branch_labels = None
depends_on = None

TICKET_INDEXES = {
    "ix_ticket_updated": ["updated_at"],
    "ix_ticket_due": ["resolution_due_at"],
}


def upgrade() -> None:
    op.create_table(
        "saved_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("query", sa.String(1000), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_view"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name="fk_saved_view_owner_id_user", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("owner_id", "name", name="uq_saved_view_owner_name"),
    )
    op.create_index("ix_saved_view_owner_id", "saved_view", ["owner_id"])
    op.create_index("ix_saved_view_is_shared", "saved_view", ["is_shared"])
    op.create_table(
        "ticket_presence",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.Column("is_composing", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", "user_id", name="pk_ticket_presence"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name="fk_ticket_presence_ticket_id_ticket",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_ticket_presence_user_id_user", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_ticket_presence_ticket_seen", "ticket_presence", ["ticket_id", "seen_at"])
    op.create_table(
        "macro",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("is_internal", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(30), nullable=True),
        sa.Column("motif", sa.String(40), nullable=True),
        sa.Column("priority", sa.String(10), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_macro"),
    )
    for name, columns in TICKET_INDEXES.items():
        op.create_index(name, "ticket", columns)


def downgrade() -> None:
    for name in TICKET_INDEXES:
        op.drop_index(name, table_name="ticket")
    op.drop_table("macro")
    op.drop_index("ix_ticket_presence_ticket_seen", table_name="ticket_presence")
    op.drop_table("ticket_presence")
    op.drop_index("ix_saved_view_is_shared", table_name="saved_view")
    op.drop_index("ix_saved_view_owner_id", table_name="saved_view")
    op.drop_table("saved_view")
