"""`helpdesk diagnose`: JSON lines in, one diagnosis (or a French error) per line out."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import IO, Any

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from helpdesk.core.database import session_factory
from helpdesk.diagnostics import services
from helpdesk.diagnostics.services import DiagnoseRequest, InvalidRequest


def diagnosis_json(request: DiagnoseRequest, session: Session) -> dict[str, Any]:
    """The contract's output object; evidence unmasked (the centre's DSI agents run it)."""
    return services.diagnose(session, request, mask=False).as_json(request.id)


def run_diagnose(
    session_factory: Callable[[], Session], input_stream: IO[str], output_stream: IO[str]
) -> int:
    """Answer every line of ``input_stream``; 0 when all were diagnosed, 1 when one was not.

    A line that cannot be read gets ``{"id": ..., "line": n, "error": "..."}`` and the
    following lines are still answered.
    """
    status = 0
    session = session_factory()
    try:
        for number, line in enumerate(input_stream, start=1):
            if not line.strip():
                continue
            answer = _answer(session, number, line)
            if "error" in answer:
                status = 1
            output_stream.write(json.dumps(answer, ensure_ascii=False) + "\n")
            output_stream.flush()
    finally:
        session.rollback()
        session.close()
    return status


def _answer(session: Session, number: int, line: str) -> dict[str, Any]:
    try:
        data = json.loads(line.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        return _error(None, number, f"JSON illisible ({exc.msg}, colonne {exc.colno})")
    request_id = data.get("id") if isinstance(data, dict) else None
    try:
        request = DiagnoseRequest.from_json(data)
    except InvalidRequest as exc:
        return _error(request_id, number, str(exc))
    try:
        return diagnosis_json(request, session)
    except Exception as exc:  # one bad line must not stop the others
        session.rollback()
        return _error(request_id, number, f"diagnostic impossible ({type(exc).__name__})")


def _error(request_id: Any, number: int, message: str) -> dict[str, Any]:
    return {"id": request_id, "line": number, "error": f"Ligne {number} : {message}."}


@click.command("diagnose")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fichier de lignes JSON (entrée standard par défaut).",
)
@with_appcontext
def diagnose(input_path: str | None) -> None:
    """Diagnostiquer des demandes : lignes JSON décrivant les personnes concernées."""
    if input_path:
        with open(input_path, encoding="utf-8-sig") as stream:
            status = run_diagnose(session_factory(), stream, sys.stdout)
    else:
        status = run_diagnose(session_factory(), sys.stdin, sys.stdout)
    sys.stdout.flush()
    sys.exit(status)


def diagnose_once(limit: int = 50) -> tuple[list[str], bool]:
    """One pass of the background worker: diagnose the new tickets the web requests left
    waiting for their diagnosis."""
    from helpdesk.core.db import session_scope
    from helpdesk.diagnostics.tickets import diagnose_due

    with session_scope(session_factory()) as session:
        count = diagnose_due(session, limit)
    return [f"Demandes diagnostiquées : {count}."], bool(count)
