"""Deflection events: articles proposed while a request is written, and those that answered.

Revision ID: 0008_deflection_event
Revises: 0007_knowledge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0008_deflection_event"
down_revision = "0007_knowledge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deflection_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("form_key", sa.String(32), nullable=False),
        sa.Column("query", sa.String(120), nullable=False),
        sa.Column("article_slug", sa.String(120), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deflection_event")),
    )
    with op.batch_alter_table("deflection_event") as batch:
        batch.create_index("ix_deflection_event_form_key", ["form_key"])
        batch.create_index("ix_deflection_event_outcome_created", ["outcome", "created_at"])


def downgrade() -> None:
    op.drop_table("deflection_event")
