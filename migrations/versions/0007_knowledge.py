"""FAQ articles edited in the application, with every saved revision.

Revision ID: 0007_knowledge
Revises: 0006_pupil_birth_date
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0007_knowledge"
down_revision = "0006_pupil_birth_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("audiences", sa.String(200), nullable=False),
        sa.Column("motifs", sa.String(600), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reviewed", sa.Date(), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kb_article"),
        sa.UniqueConstraint("slug", name="uq_kb_article_slug"),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name="fk_kb_article_updated_by_id_user",
            ondelete="SET NULL",
        ),
    )
    with op.batch_alter_table("kb_article") as batch:
        batch.create_index("ix_kb_article_status_reviewed", ["status", "reviewed"])

    op.create_table(
        "kb_article_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_label", sa.String(254), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_article_revision"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["kb_article.id"],
            name="fk_kb_article_revision_article_id_kb_article",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user.id"],
            name="fk_kb_article_revision_author_id_user",
            ondelete="SET NULL",
        ),
    )
    with op.batch_alter_table("kb_article_revision") as batch:
        batch.create_index("ix_kb_article_revision_slug", ["slug"])
        batch.create_index("ix_kb_article_revision_article_number", ["article_id", "number"])


def downgrade() -> None:
    op.drop_table("kb_article_revision")
    op.drop_table("kb_article")
