"""Index of pupils by birth date: the children a request describes are looked up by it.

Revision ID: 0006_pupil_birth_date
Revises: 0005_ticket_search
"""

from alembic import op

revision = "0006_pupil_birth_date"
down_revision = "0005_ticket_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.create_index("ix_pupil_date_naissance", ["date_naissance"])


def downgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.drop_index("ix_pupil_date_naissance")
