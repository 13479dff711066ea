"""`helpdesk db ...`: the schema, created and checked only through the migrations; backups."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

db = AppGroup("db", help="Base de données : migrations, sauvegarde et restauration.")


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


@db.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def db_backup(target: str) -> None:
    """Sauvegarder la base (pièces jointes et catégoriseur compris) dans un fichier."""
    from helpdesk.core.backup import backup
    from helpdesk.core.errors import DomainError

    try:
        size = backup(current_app.config["DATABASE_URL"], target)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Sauvegarde écrite : {target} ({size} octets).")


@db.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
def db_restore(source: str) -> None:
    """Restaurer une sauvegarde dans une base vide."""
    from helpdesk.core.backup import restore
    from helpdesk.core.errors import DomainError

    try:
        restore(current_app.config["DATABASE_URL"], source)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Base restaurée ; chaque nœud reconstruit son index des articles.")
