"""RGPD requests, retention runs, anonymised tickets, schools' last extraction.

Revision ID: 0011_privacy
Revises: 0010_ticket_diagnosis
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0011_privacy"
down_revision = "0010_ticket_diagnosis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rgpd_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("right", sa.String(20), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("extended_at", UTCDateTime(), nullable=True),
        sa.Column("extension_notice", sa.Text(), nullable=True),
        sa.Column("identity_state", sa.String(20), nullable=False),
        sa.Column("dpd_id", sa.Integer(), nullable=True),
        sa.Column("handed_at", UTCDateTime(), nullable=True),
        sa.Column("handed_summary", sa.Text(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rgpd_request"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name="fk_rgpd_request_ticket_id_ticket",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dpd_id"], ["user.id"], name="fk_rgpd_request_dpd_id_user", ondelete="SET NULL"
        ),
        sa.UniqueConstraint("ticket_id", name="uq_rgpd_request_ticket_id"),
    )
    op.create_index("ix_rgpd_request_due_at", "rgpd_request", ["due_at"])
    op.create_index("ix_rgpd_request_identity_state", "rgpd_request", ["identity_state"])
    op.create_table(
        "retention_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("as_of", UTCDateTime(), nullable=False),
        sa.Column("started_by", sa.String(120), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_retention_run"),
    )
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("anonymised_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("school") as batch:
        batch.add_column(sa.Column("last_seen_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("school") as batch:
        batch.drop_column("last_seen_at")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("anonymised_at")
    op.drop_table("retention_run")
    op.drop_index("ix_rgpd_request_identity_state", table_name="rgpd_request")
    op.drop_index("ix_rgpd_request_due_at", table_name="rgpd_request")
    op.drop_table("rgpd_request")
