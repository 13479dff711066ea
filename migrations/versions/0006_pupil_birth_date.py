"""Indexes of the matching of people: pupils by birth date (the children a request describes),
responsables by phonetic surname and first name (slips in both names).

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
    with op.batch_alter_table("responsable") as batch:
        batch.create_index("ix_responsable_phonetic_prenom", ["nom_phonetic", "prenom_key"])


def downgrade() -> None:
    with op.batch_alter_table("responsable") as batch:
        batch.drop_index("ix_responsable_phonetic_prenom")
    with op.batch_alter_table("pupil") as batch:
        batch.drop_index("ix_pupil_date_naissance")
