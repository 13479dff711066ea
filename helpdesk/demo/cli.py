"""`helpdesk demo`: a demo académie on an empty database, with its logins."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from helpdesk.core.errors import DomainError


@click.command("demo")
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
@with_appcontext
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


def _print_logins(logins) -> None:
    click.echo("\nComptes de démonstration :")
    for role, email, password in logins:
        click.echo(f"  {role:<12} {email:<32} mot de passe : {password}")
    click.echo(f"\nAdresse : {current_app.config['PUBLIC_URL']}  (formulaire parents : /contact)")
