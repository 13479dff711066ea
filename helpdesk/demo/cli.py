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
@click.option(
    "--reset",
    is_flag=True,
    help="Effacer la démonstration existante et la refaire, datée d'aujourd'hui "
    "(refusé sur une base qui n'est pas celle de la démonstration).",
)
@with_appcontext
def demo(ticket_count: int | None, seed: int, if_empty: bool, reset: bool) -> None:
    """Remplir une base vide avec une académie de démonstration (données fictives)."""
    from helpdesk.demo.builder import DEMO_LOGINS, build_demo, is_empty, reset_demo

    try:
        if reset:
            reset_demo(current_app)
            click.echo("Démonstration effacée.")
        elif if_empty and not is_empty(current_app):
            click.echo("La base contient déjà des données : démonstration non réinstallée.")
            _print_logins(DEMO_LOGINS)
            return
        logins = build_demo(current_app, ticket_count=ticket_count, seed=seed, echo=click.echo)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    if reset:
        from helpdesk.knowledge.access import rebuild_index

        rebuild_index(current_app)
    _print_logins(logins)


def _print_logins(logins) -> None:
    url = current_app.config["PUBLIC_URL"]
    click.echo("\nComptes de démonstration :")
    for role, email, password in logins:
        click.echo(f"  {role:<12} {email:<32} mot de passe : {password}")
    click.echo(f"\nAdresse : {url}  (formulaire parents : {url}/contact)")
    click.echo(
        f"Courriels envoyés par la démonstration (retenus, jamais expédiés) : {url}/courriels "
        "(compte admin)"
    )
