"""Sources of the FAQ articles, the académie's details, and what a request's intake collected.

Revision ID: 0012_intake_academie
Revises: 0011_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0012_intake_academie"
down_revision = "0011_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kb_article") as batch:
        batch.add_column(
            sa.Column("sources", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    op.create_table(
        "academie_setting",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_academie_setting"),
    )
    op.create_table(
        "ticket_intake",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("child_last_name", sa.String(100), nullable=True),
        sa.Column("child_birth_date", sa.Date(), nullable=True),
        sa.Column("login", sa.String(100), nullable=True),
        sa.Column("second_login", sa.String(100), nullable=True),
        sa.Column("path_tried", sa.String(20), nullable=True),
        sa.Column("message_shown", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_ticket_intake"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name="fk_ticket_intake_ticket_id_ticket",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("ticket_intake")
    op.drop_table("academie_setting")
    with op.batch_alter_table("kb_article") as batch:
        batch.drop_column("sources")
