"""`helpdesk import FOLDER [--strict] [--json]`: load a snapshot of the school base."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click
from flask.cli import with_appcontext

from helpdesk.accounts.importer import import_snapshot
from helpdesk.core.database import session_factory


def run_import(
    session_factory, folder: str | Path, strict: bool, as_json: bool, out: TextIO
) -> int:
    """Import ``folder``, print the report (JSON or French summary) and return the exit status."""
    report = import_snapshot(session_factory, folder, strict=strict)
    print(report.to_json() if as_json else report.summary_text(), file=out)
    return report.exit_code


@click.command("import")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Ne rien importer si une ligne est rejetée.")
@click.option("--json", "as_json", is_flag=True, help="Compte rendu en JSON (une ligne).")
@with_appcontext
def import_command(folder: Path, strict: bool, as_json: bool) -> None:
    """Importer un instantané de la base élèves et de l'annuaire EduConnect (six fichiers CSV)."""
    sys.exit(run_import(session_factory(), folder, strict, as_json, sys.stdout))
