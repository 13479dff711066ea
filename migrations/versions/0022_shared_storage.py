"""Shared storage in the database: blobs (attachments, model files), shared files, generations.

The attachments stored until now under the instance folder are moved into ``blob``: every
file an attachment row refers to is read from the attachment folder (``HELPDESK_ATTACHMENT_DIR``
or ``attachments/`` of the instance folder, or the ``attachment_dir`` attribute given by the
caller), checked against its SHA-256 and inserted. The files are left in place; once the
upgrade is done they are no longer read.

Revision ID: 0022_shared_storage
Revises: 0021_diagnosis_due
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

from helpdesk.core.db import UTCDateTime, utcnow

revision = "0022_shared_storage"
down_revision = "0021_diagnosis_due"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _attachment_dir() -> Path:
    given = context.config.attributes.get("attachment_dir")
    if given:
        return Path(given)
    from helpdesk.core.config import instance_path

    return Path(os.environ.get("HELPDESK_ATTACHMENT_DIR") or instance_path() / "attachments")


def upgrade() -> None:
    blob = op.create_table(
        "blob",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_blob"),
    )
    op.create_table(
        "shared_file",
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_shared_file"),
        sa.ForeignKeyConstraint(["sha256"], ["blob.sha256"], name="fk_shared_file_sha256_blob"),
    )
    op.create_table(
        "generation",
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_generation"),
    )
    _move_attachment_files(blob)


def _move_attachment_files(blob: sa.Table) -> None:
    bind = op.get_bind()
    digests = [
        row[0]
        for row in bind.execute(sa.text("SELECT DISTINCT sha256 FROM attachment ORDER BY sha256"))
    ]
    if not digests:
        return
    folder = _attachment_dir()
    moved = missing = 0
    for digest in digests:
        path = folder / digest[:2] / digest
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            missing += 1
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            missing += 1
            continue
        # One file at a time: an attachment is at most a few megabytes.
        bind.execute(
            blob.insert().values(sha256=digest, size=len(data), data=data, created_at=utcnow())
        )
        moved += 1
    log.info("attachments moved into the database: %d, not found in %s: %d", moved, folder, missing)


def downgrade() -> None:
    op.drop_table("generation")
    op.drop_table("shared_file")
    op.drop_table("blob")
