"""`helpdesk db ...`: the schema, created and checked only through the migrations."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

db = AppGroup("db", help="Base de données (migrations Alembic).")


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Créer ou mettre à jour le schéma."""
    from helpdesk.core.migrate import upgrade

    upgrade(
        current_app.config["DATABASE_URL"],
        revision,
        attachment_dir=current_app.config.get("ATTACHMENT_DIR"),
    )
    click.echo("Schéma à jour.")


@db.command("check")
def db_check() -> None:
    """Vérifier que les modèles et les migrations concordent."""
    from helpdesk.core.migrate import check

    check(current_app.config["DATABASE_URL"])
    click.echo("Modèles et migrations concordent.")
