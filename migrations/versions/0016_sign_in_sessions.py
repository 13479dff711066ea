"""Server-side sign-in sessions and growing delays between failed sign-ins (no more lock).

Revision ID: 0016_sign_in_sessions
Revises: 0015_agents_desk
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from helpdesk.core.db import UTCDateTime

revision = "0016_sign_in_sessions"
down_revision = "0015_agents_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_session"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_login_session_user_id_user", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_login_session_user_id", "login_session", ["user_id"])
    op.create_index("ix_login_session_created_at", "login_session", ["created_at"])
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_sign_in_throttle"),
    )
    op.create_index("ix_sign_in_throttle_last_failure_at", "sign_in_throttle", ["last_failure_at"])
    with op.batch_alter_table("user") as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("locked_until", UTCDateTime(), nullable=True))
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
    op.drop_index("ix_sign_in_throttle_last_failure_at", table_name="sign_in_throttle")
    op.drop_table("sign_in_throttle")
    op.drop_index("ix_login_session_created_at", table_name="login_session")
    op.drop_index("ix_login_session_user_id", table_name="login_session")
    op.drop_table("login_session")
