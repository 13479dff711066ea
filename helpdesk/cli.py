"""The `helpdesk` command: a Flask CLI group on the app factory, with every package's commands.

Each package keeps its commands in its own ``cli`` module; this group only gathers them.
"""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup, ScriptInfo

from helpdesk import create_app
from helpdesk.accounts.cli import import_command
from helpdesk.auth.cli import user
from helpdesk.classify.cli import classify
from helpdesk.core.cli import db
from helpdesk.demo.cli import demo
from helpdesk.diagnostics.cli import diagnose
from helpdesk.knowledge.cli import kb, reindex
from helpdesk.mail.cli import mail
from helpdesk.privacy.cli import person, retention


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


for command in (
    db,
    user,
    demo,
    kb,
    reindex,
    mail,
    diagnose,
    classify,
    import_command,
    retention,
    person,
):
    main.add_command(command)


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())
