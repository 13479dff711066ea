"""`helpdesk user create`: accounts of agents, directors and administrators."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from helpdesk.core.database import session_factory
from helpdesk.core.errors import DomainError

user = AppGroup("user", help="Comptes des agents, directeurs et administrateurs.")


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["agent", "directeur", "admin", "dpd"]), required=True)
@click.option("--school", "schools", multiple=True, help="UAI d'une école (répétable).")
@click.option("--name", "display_name", default=None, help="Nom affiché.")
@click.option("--password", default=None, help="Demandé s'il n'est pas donné.")
def user_create(email, role, schools, display_name, password) -> None:
    """Créer un compte."""
    from helpdesk.auth.services import resolve_schools, save_user
    from helpdesk.core.db import session_scope

    if password is None:
        password = click.prompt(
            "Mot de passe",
            hide_input=True,
            confirmation_prompt="Confirmez le mot de passe",
        )
    try:
        with session_scope(session_factory()) as session:
            created = save_user(
                session,
                None,
                email=email,
                role=role,
                schools=resolve_schools(session, schools),
                password=password,
                display_name=display_name,
            )
            click.echo(f"Compte créé : {created.email} ({created.role_label}).")
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
