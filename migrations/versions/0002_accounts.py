"""Imported school base and EduConnect account directory.

Revision ID: 0002_accounts
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0002_accounts"
down_revision = "0001_core"
branch_labels = None
depends_on = None

ID = 64


def upgrade() -> None:
    op.create_table(
        "pupil",
        sa.Column("eleve_id", sa.String(ID), nullable=False),
        sa.Column("ine", sa.String(20), nullable=True),
        sa.Column("nom", sa.String(200), nullable=False),
        sa.Column("prenom", sa.String(200), nullable=True),
        sa.Column("nom_key", sa.String(200), nullable=False),
        sa.Column("prenom_key", sa.String(200), nullable=False),
        sa.Column("nom_phonetic", sa.String(200), nullable=False),
        sa.Column("date_naissance", sa.Date(), nullable=True),
        sa.Column("uai", sa.String(8), nullable=False),
        sa.Column("classe", sa.String(120), nullable=True),
        sa.Column("niveau", sa.String(10), nullable=True),
        sa.Column("admission", sa.String(20), nullable=True),
        sa.Column("date_modification", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("eleve_id", name="pk_pupil"),
        sa.ForeignKeyConstraint(
            ["uai"], ["school.uai"], name="fk_pupil_uai_school", ondelete="CASCADE"
        ),
    )
    with op.batch_alter_table("pupil") as batch:
        batch.create_index("ix_pupil_ine", ["ine"])
        batch.create_index("ix_pupil_nom_prenom", ["nom_key", "prenom_key"])
        batch.create_index("ix_pupil_prenom_key", ["prenom_key"])
        batch.create_index("ix_pupil_nom_phonetic", ["nom_phonetic"])
        batch.create_index("ix_pupil_uai", ["uai"])

    op.create_table(
        "responsable",
        sa.Column("responsable_id", sa.String(ID), nullable=False),
        sa.Column("civilite", sa.String(20), nullable=True),
        sa.Column("nom", sa.String(200), nullable=False),
        sa.Column("prenom", sa.String(200), nullable=True),
        sa.Column("nom_key", sa.String(200), nullable=False),
        sa.Column("prenom_key", sa.String(200), nullable=False),
        sa.Column("nom_phonetic", sa.String(200), nullable=False),
        sa.Column("telephone_portable", sa.String(40), nullable=True),
        sa.Column("telephone_portable_e164", sa.String(20), nullable=True),
        sa.Column("telephone_portable_is_mobile", sa.Boolean(), nullable=False),
        sa.Column("telephone_fixe", sa.String(40), nullable=True),
        sa.Column("telephone_fixe_e164", sa.String(20), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("email_key", sa.String(254), nullable=True),
        sa.Column("date_modification", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("responsable_id", name="pk_responsable"),
    )
    with op.batch_alter_table("responsable") as batch:
        batch.create_index("ix_responsable_nom_prenom", ["nom_key", "prenom_key"])
        batch.create_index("ix_responsable_prenom_key", ["prenom_key"])
        batch.create_index("ix_responsable_nom_phonetic", ["nom_phonetic"])
        batch.create_index("ix_responsable_telephone_portable_e164", ["telephone_portable_e164"])
        batch.create_index("ix_responsable_telephone_fixe_e164", ["telephone_fixe_e164"])
        batch.create_index("ix_responsable_email_key", ["email_key"])

    op.create_table(
        "pupil_link",
        sa.Column("eleve_id", sa.String(ID), nullable=False),
        sa.Column("responsable_id", sa.String(ID), nullable=False),
        sa.Column("lien", sa.String(30), nullable=True),
        sa.Column("responsable_legal", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("eleve_id", "responsable_id", name="pk_pupil_link"),
        sa.ForeignKeyConstraint(
            ["eleve_id"],
            ["pupil.eleve_id"],
            name="fk_pupil_link_eleve_id_pupil",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["responsable_id"],
            ["responsable.responsable_id"],
            name="fk_pupil_link_responsable_id_responsable",
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("pupil_link") as batch:
        batch.create_index("ix_pupil_link_responsable_id", ["responsable_id"])

    op.create_table(
        "account",
        sa.Column("compte_id", sa.String(ID), nullable=False),
        sa.Column("identifiant", sa.String(120), nullable=True),
        sa.Column("identifiant_key", sa.String(120), nullable=True),
        sa.Column("profil", sa.String(20), nullable=False),
        sa.Column("personne_id", sa.String(ID), nullable=False),
        sa.Column("etat", sa.String(30), nullable=True),
        sa.Column("origine", sa.String(30), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("email_key", sa.String(254), nullable=True),
        sa.Column("email_verifie", sa.Boolean(), nullable=True),
        sa.Column("telephone", sa.String(40), nullable=True),
        sa.Column("telephone_e164", sa.String(20), nullable=True),
        sa.Column("date_creation", UTCDateTime(), nullable=True),
        sa.Column("date_notification", UTCDateTime(), nullable=True),
        sa.Column("date_activation", UTCDateTime(), nullable=True),
        sa.Column("date_dernier_acces", UTCDateTime(), nullable=True),
        sa.Column("date_synchro", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("compte_id", name="pk_account"),
    )
    with op.batch_alter_table("account") as batch:
        batch.create_index("ix_account_identifiant_key", ["identifiant_key"])
        batch.create_index("ix_account_personne_id", ["personne_id"])
        batch.create_index("ix_account_email_key", ["email_key"])
        batch.create_index("ix_account_telephone_e164", ["telephone_e164"])

    op.create_table(
        "account_child",
        sa.Column("compte_id", sa.String(ID), nullable=False),
        sa.Column("eleve_id", sa.String(ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("compte_id", "eleve_id", name="pk_account_child"),
        sa.ForeignKeyConstraint(
            ["compte_id"],
            ["account.compte_id"],
            name="fk_account_child_compte_id_account",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["eleve_id"],
            ["pupil.eleve_id"],
            name="fk_account_child_eleve_id_pupil",
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("account_child") as batch:
        batch.create_index("ix_account_child_eleve_id", ["eleve_id"])

    op.create_table(
        "extraction",
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("date_extraction", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("source", name="pk_extraction"),
    )


def downgrade() -> None:
    op.drop_table("extraction")
    with op.batch_alter_table("account_child") as batch:
        batch.drop_index("ix_account_child_eleve_id")
    op.drop_table("account_child")
    with op.batch_alter_table("account") as batch:
        for name in (
            "ix_account_telephone_e164",
            "ix_account_email_key",
            "ix_account_personne_id",
            "ix_account_identifiant_key",
        ):
            batch.drop_index(name)
    op.drop_table("account")
    with op.batch_alter_table("pupil_link") as batch:
        batch.drop_index("ix_pupil_link_responsable_id")
    op.drop_table("pupil_link")
    with op.batch_alter_table("responsable") as batch:
        for name in (
            "ix_responsable_email_key",
            "ix_responsable_telephone_fixe_e164",
            "ix_responsable_telephone_portable_e164",
            "ix_responsable_nom_phonetic",
            "ix_responsable_prenom_key",
            "ix_responsable_nom_prenom",
        ):
            batch.drop_index(name)
    op.drop_table("responsable")
    with op.batch_alter_table("pupil") as batch:
        for name in (
            "ix_pupil_uai",
            "ix_pupil_nom_phonetic",
            "ix_pupil_prenom_key",
            "ix_pupil_nom_prenom",
            "ix_pupil_ine",
        ):
            batch.drop_index(name)
    op.drop_table("pupil")
