"""`helpdesk kb import|export` and `helpdesk reindex`: the FAQ articles and their index."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from helpdesk.core.database import session_factory

kb = AppGroup("kb", help="Base de connaissances : articles de la FAQ.")


@kb.command("import")
@click.argument(
    "folder", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
def kb_import(folder: Path | None) -> None:
    """Charger en base les articles d'un dossier (par défaut knowledge/)."""
    from helpdesk.core.db import session_scope
    from helpdesk.knowledge.access import KNOWLEDGE_DIR
    from helpdesk.knowledge.articles import ArticleError
    from helpdesk.knowledge.services import import_directory

    folder = folder or KNOWLEDGE_DIR
    try:
        with session_scope(session_factory()) as session:
            report = import_directory(session, folder)
    except ArticleError as exc:
        problems = "\n".join(f"  - {problem}" for problem in exc.problems)
        raise click.ClickException(f"Aucun article importé :\n{problems}") from exc
    click.echo(
        f"{len(report.created)} article(s) créé(s), {len(report.updated)} mis à jour, "
        f"{len(report.unchanged)} inchangé(s)."
    )


@kb.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--prune", is_flag=True, help="Supprimer du dossier les articles absents de la base.")
def kb_export(folder: Path, prune: bool) -> None:
    """Écrire les articles de la base dans un dossier, un fichier <slug>.md par article."""
    from helpdesk.knowledge.services import export_directory

    with session_factory()() as session:
        report = export_directory(session, folder, prune=prune)
    click.echo(f"{len(report.written)} article(s) écrit(s) dans {folder}.")
    for path in report.removed:
        click.echo(f"Supprimé : {path.name}")


@click.command("reindex")
@with_appcontext
def reindex() -> None:
    """Reconstruire l'index de recherche des articles à partir de la base."""
    from helpdesk.knowledge.access import rebuild_index

    source, count = rebuild_index(current_app)
    origin = "de la base" if source == "database" else "des fichiers livrés (base vide)"
    click.echo(f"Index des articles reconstruit : {count} article(s) {origin}.")
