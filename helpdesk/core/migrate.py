"""Run Alembic from the application (the schema is created only by migrations)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from helpdesk.core.config import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def alembic_config(url: str, connection=None, attachment_dir: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    if connection is not None:
        cfg.attributes["connection"] = connection
    if attachment_dir:
        # Where earlier versions kept attachment files (moved into the database once).
        cfg.attributes["attachment_dir"] = attachment_dir
    return cfg


def upgrade(
    url: str, revision: str = "head", connection=None, attachment_dir: str | None = None
) -> None:
    command.upgrade(alembic_config(url, connection, attachment_dir), revision)


def check(url: str) -> None:
    """Fail when the models drifted from the migrations."""
    command.check(alembic_config(url))
