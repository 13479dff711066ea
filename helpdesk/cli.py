"""The `helpdesk` command: a Flask CLI group on the app factory."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo

from helpdesk import create_app
from helpdesk.core.errors import DomainError


def _factory():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_factory, add_version_option=False)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Assistance EduConnect : centre de services de la DSI."""
    ctx.call_on_close(_close_database)


def _close_database() -> None:
    """Close the pooled connections a command opened (the app outlives it in tests)."""
    info = click.get_current_context().find_object(ScriptInfo)
    app = getattr(info, "_loaded_app", None) if info else None
    if app is not None and "helpdesk_db" in app.extensions:
        app.extensions["helpdesk_db"].engine.dispose()


def session_factory():
    return current_app.extensions["helpdesk_db"].session_factory


def service_context():
    from helpdesk.core.runtime import service_context as make

    return make(current_app)


@main.group()
def db() -> None:
    """Base de données (migrations Alembic)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Créer ou mettre à jour le schéma."""
    from helpdesk.core.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("Schéma à jour.")


@db.command("check")
def db_check() -> None:
    """Vérifier que les modèles et les migrations concordent."""
    from helpdesk.core.migrate import check

    check(current_app.config["DATABASE_URL"])
    click.echo("Modèles et migrations concordent.")


@main.group()
def user() -> None:
    """Comptes des agents, directeurs et administrateurs."""


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["agent", "directeur", "admin", "dpd"]), required=True)
@click.option("--school", "schools", multiple=True, help="UAI d'une école (répétable).")
@click.option("--name", "display_name", default=None, help="Nom affiché.")
@click.option("--password", default=None, help="Demandé s'il n'est pas donné.")
def user_create(email, role, schools, display_name, password) -> None:
    """Créer un compte."""
    from helpdesk.auth.services import create_user
    from helpdesk.core.db import session_scope

    if password is None:
        password = click.prompt(
            "Mot de passe",
            hide_input=True,
            confirmation_prompt="Confirmez le mot de passe",
        )
    try:
        with session_scope(session_factory()) as session:
            created = create_user(session, email, role, password, display_name, list(schools))
            click.echo(f"Compte créé : {created.email} ({created.role_label}).")
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("demo")
@click.option(
    "--tickets",
    "ticket_count",
    type=int,
    default=None,
    help="Nombre de demandes (par défaut une académie de démonstration, ~300).",
)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option(
    "--if-empty", is_flag=True, help="Ne rien faire si la base contient déjà des données."
)
def demo(ticket_count: int | None, seed: int, if_empty: bool) -> None:
    """Remplir une base vide avec une académie de démonstration (données fictives)."""
    from helpdesk.demo.builder import DEMO_LOGINS, build_demo, is_empty

    if if_empty and not is_empty(current_app):
        click.echo("La base contient déjà des données : démonstration non réinstallée.")
        _print_logins(DEMO_LOGINS)
        return
    try:
        logins = build_demo(current_app, ticket_count=ticket_count, seed=seed, echo=click.echo)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_logins(logins)


@main.group()
def kb() -> None:
    """Base de connaissances : articles de la FAQ."""


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


@main.command("reindex")
def reindex() -> None:
    """Reconstruire l'index de recherche des articles à partir de la base."""
    from helpdesk.knowledge.access import rebuild_index

    source, count = rebuild_index(current_app)
    origin = "de la base" if source == "database" else "des fichiers livrés (base vide)"
    click.echo(f"Index des articles reconstruit : {count} article(s) {origin}.")


def _print_logins(logins) -> None:
    click.echo("\nComptes de démonstration :")
    for role, email, password in logins:
        click.echo(f"  {role:<12} {email:<32} mot de passe : {password}")
    click.echo(f"\nAdresse : {current_app.config['PUBLIC_URL']}  (formulaire parents : /contact)")


def _register_groups() -> None:
    from helpdesk.mail.cli import mail

    main.add_command(mail)


_register_groups()


@main.command("diagnose")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fichier de lignes JSON (entrée standard par défaut).",
)
def diagnose(input_path: str | None) -> None:
    """Diagnostiquer des demandes : lignes JSON décrivant les personnes concernées."""
    from helpdesk.diagnostics.cli import run_diagnose

    if input_path:
        with open(input_path, encoding="utf-8-sig") as stream:
            status = run_diagnose(session_factory(), stream, sys.stdout)
    else:
        status = run_diagnose(session_factory(), sys.stdin, sys.stdout)
    sys.stdout.flush()
    sys.exit(status)


@main.command("classify")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fichier de lignes JSON (entrée standard par défaut).",
)
@click.option(
    "--retrain", is_flag=True, help="Réentraîner d'abord avec les corrections des agents."
)
def classify(input_path: str | None, retrain: bool) -> None:
    """Catégoriser des demandes : lignes JSON {id, subject, body} en entrée."""
    from helpdesk.classify.cli import run_classify
    from helpdesk.classify.services import cache_dir_for, load_classifier

    cache_dir = cache_dir_for(current_app.config)
    corrections = None
    if retrain:
        from helpdesk.classify.feedback import corrections_from_tickets

        with session_factory()() as session:
            corrections = corrections_from_tickets(session)
    classifier = load_classifier(cache_dir, corrections)
    if retrain:
        click.echo(f"Modèle réentraîné avec {len(corrections)} corrections.", err=True)
        if input_path is None and sys.stdin.isatty():
            return
    stream = open(input_path, "rb") if input_path else sys.stdin.buffer  # noqa: SIM115
    try:
        run_classify(stream, sys.stdout, classifier)
    finally:
        if input_path:
            stream.close()
    sys.stdout.flush()


def _register_domain_commands() -> None:
    from helpdesk.accounts.cli import import_command
    from helpdesk.privacy.cli import person, retention

    main.add_command(import_command)
    main.add_command(retention)
    main.add_command(person)


_register_domain_commands()


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())
