"""The `helpdesk` command: a Flask CLI group on the app factory, with every package's commands.

Each package keeps its commands in its own ``cli`` module. This group names them without
importing them: a mail server runs ``helpdesk mail ingest`` once per message and an operator
types ``helpdesk --help``, and neither should pay for loading the categoriser, the diagnostics
and every blueprint. A command's module is imported only when that command runs.
"""

from __future__ import annotations

import importlib
import sys

import click
from flask.cli import FlaskGroup, ScriptInfo

from helpdesk import create_app

#: Command name -> (``module:attribute`` of its click command, one-line help shown by --help).
#: ``tests/test_cli_lazy.py`` checks each help line against the command's own.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "classify": (
        "helpdesk.classify.cli:classify",
        "Catégoriser des demandes : lignes JSON {id, subject, body} en entrée.",
    ),
    "db": ("helpdesk.core.cli:db", "Base de données : migrations, sauvegarde et restauration."),
    "demo": (
        "helpdesk.demo.cli:demo",
        "Remplir une base vide avec une académie de démonstration (données fictives).",
    ),
    "diagnose": (
        "helpdesk.diagnostics.cli:diagnose",
        "Diagnostiquer des demandes : lignes JSON décrivant les personnes concernées.",
    ),
    "import": (
        "helpdesk.accounts.cli:import_command",
        "Importer un instantané de la base élèves et de l'annuaire EduConnect (six fichiers CSV).",
    ),
    "kb": ("helpdesk.knowledge.cli:kb", "Base de connaissances : articles de la FAQ."),
    "mail": ("helpdesk.mail.cli:mail", "Courriels : envoi, réception, relances."),
    "person": ("helpdesk.privacy.cli:person", "Données d'une personne : export et effacement."),
    "reindex": (
        "helpdesk.knowledge.cli:reindex",
        "Reconstruire l'index de recherche des articles à partir de la base.",
    ),
    "retention": (
        "helpdesk.privacy.cli:retention",
        "Durées de conservation des données personnelles.",
    ),
    "user": ("helpdesk.auth.cli:user", "Comptes des agents, directeurs et administrateurs."),
    "worker": (
        "helpdesk.worker.cli:worker",
        "Tâche de fond : courriels reçus, envoi, relève IMAP, relances, réentraînement.",
    ),
}


def load_command(name: str) -> click.Command:
    """Import the module that defines a command and return the command."""
    module_name, attribute = LAZY_COMMANDS[name][0].split(":")
    return getattr(importlib.import_module(module_name), attribute)


class LazyGroup(FlaskGroup):
    """Flask's command group, resolving the project's commands on demand.

    The application defines no commands of its own on ``app.cli`` and installs no
    ``flask.commands`` plugins, so listing commands needs neither the app nor a scan of the
    installed packages: only Flask's own ``run``, ``shell`` and ``routes`` and the table above.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            return load_command(cmd_name)
        return click.Group.get_command(self, ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with the help lines of the table, importing none of them."""
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, LAZY_COMMANDS[name][1]))
            else:
                command = self.commands[name]
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _factory():
    return create_app()


@click.group(cls=LazyGroup, create_app=_factory, add_version_option=False)
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


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())
