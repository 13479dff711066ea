"""Language of each request and the second problem it tells.

Revision ID: 0014_ticket_language
Revises: 0013_history_codes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_ticket_language"
down_revision = "0013_history_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("second_motif", sa.String(40), nullable=True))
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default="fr"))
        batch.create_index("ix_ticket_language", ["language"])


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_language")
        batch.drop_column("language")
        batch.drop_column("second_motif")
