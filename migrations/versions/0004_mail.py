"""Mail in and out: inbound log, mailboxes, template overrides, settings, ratings.

Revision ID: 0004_mail
Revises: 0002_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0004_mail"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("dedupe_key", sa.String(200), nullable=True))
        batch.create_unique_constraint("uq_outbox_message_dedupe_key", ["dedupe_key"])

    op.create_table(
        "mailbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.String(10), nullable=False),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("password", sa.String(255), nullable=False),
        sa.Column("folder", sa.String(255), nullable=False),
        sa.Column("processed_folder", sa.String(255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_polled_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mailbox"),
    )

    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(300), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("from_address", sa.String(254), nullable=True),
        sa.Column("subject", sa.String(300), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("ticket_message_id", sa.Integer(), nullable=True),
        sa.Column("mailbox_id", sa.Integer(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inbound_message"),
        sa.UniqueConstraint("sha256", name="uq_inbound_message_sha256"),
        sa.UniqueConstraint("message_id", name="uq_inbound_message_message_id"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name="fk_inbound_message_ticket_id_ticket",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_message_id"],
            ["message.id"],
            name="fk_inbound_message_ticket_message_id_message",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mailbox_id"],
            ["mailbox.id"],
            name="fk_inbound_message_mailbox_id_mailbox",
            ondelete="SET NULL",
        ),
    )
    with op.batch_alter_table("inbound_message") as batch:
        batch.create_index("ix_inbound_message_ticket_id", ["ticket_id"])
        batch.create_index("ix_inbound_message_status_received", ["status", "received_at"])

    op.create_table(
        "mail_template",
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("kind", name="pk_mail_template"),
    )

    op.create_table(
        "mail_setting",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_mail_setting"),
    )

    op.create_table(
        "satisfaction_rating",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_satisfaction_rating"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name="fk_satisfaction_rating_ticket_id_ticket",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("satisfaction_rating")
    op.drop_table("mail_setting")
    op.drop_table("mail_template")
    with op.batch_alter_table("inbound_message") as batch:
        batch.drop_index("ix_inbound_message_status_received")
        batch.drop_index("ix_inbound_message_ticket_id")
    op.drop_table("inbound_message")
    op.drop_table("mailbox")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_constraint("uq_outbox_message_dedupe_key", type_="unique")
        batch.drop_column("dedupe_key")
