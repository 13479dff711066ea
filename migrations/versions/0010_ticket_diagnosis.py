"""Diagnosis kept with each ticket; indexes of the admins' access journal and of a school's
accounts by state (Comptes à surveiller, activation statistics).

Revision ID: 0010_ticket_diagnosis
Revises: 0009_queue_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0010_ticket_diagnosis"
down_revision = "0009_queue_indexes"
branch_labels = None
depends_on = None

AUDIT_INDEXES = {
    "ix_audit_entry_subject_created": ["subject", "created_at"],
    "ix_audit_entry_object_ref": ["object_ref"],
    "ix_audit_entry_ticket_id": ["ticket_id"],
}


def upgrade() -> None:
    op.create_table(
        "ticket_diagnosis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(200), nullable=True),
        sa.Column("checked_steps", sa.JSON(), nullable=False),
        sa.Column("run_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_diagnosis"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name="fk_ticket_diagnosis_ticket_id_ticket",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_by_id"],
            ["user.id"],
            name="fk_ticket_diagnosis_run_by_id_user",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("ticket_id", name="uq_ticket_diagnosis_ticket_id"),
    )
    for name, columns in AUDIT_INDEXES.items():
        op.create_index(name, "audit_entry", columns)
    op.create_index(
        "ix_account_personne_profil_etat", "account", ["personne_id", "profil", "etat", "origine"]
    )


def downgrade() -> None:
    op.drop_index("ix_account_personne_profil_etat", table_name="account")
    for name in AUDIT_INDEXES:
        op.drop_index(name, table_name="audit_entry")
    op.drop_table("ticket_diagnosis")
