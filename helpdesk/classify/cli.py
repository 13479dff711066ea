"""JSON-lines interface of the categoriser (`helpdesk classify`), see data-contract.md."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Any

import click
from flask import current_app
from flask.cli import with_appcontext

from helpdesk.classify.compact import Predicting
from helpdesk.core.database import session_factory


class _LineError(ValueError):
    def __init__(self, message: str, request_id: Any = None) -> None:
        super().__init__(message)
        self.request_id = request_id


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _parse(number: int, raw: str | bytes) -> tuple[Any, str, str] | None:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _LineError(
                f"Ligne {number} : texte illisible, l'encodage UTF-8 est attendu."
            ) from None
    line = raw.lstrip("\ufeff").strip()
    if not line:
        return None
    try:
        data = json.loads(line, parse_constant=_reject_constant)
    except ValueError:
        raise _LineError(f"Ligne {number} : ce n'est pas du JSON valide.") from None
    if not isinstance(data, dict):
        raise _LineError(f"Ligne {number} : un objet JSON est attendu.")
    request_id = data.get("id")
    texts = []
    for field in ("subject", "body"):
        value = data.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise _LineError(
                f"Ligne {number} : le champ « {field} » doit être un texte.", request_id
            )
        texts.append(value)
    if not any(text.strip() for text in texts):
        raise _LineError(f"Ligne {number} : la demande n'a ni objet ni texte.", request_id)
    return request_id, texts[0], texts[1]


def run_classify(
    input_stream: Iterable[str] | Iterable[bytes] | IO[str] | IO[bytes],
    output_stream: IO[str],
    classifier: Predicting,
) -> int:
    """Classify each JSON line of `input_stream`, write one JSON line each; return the errors.

    Blank lines are skipped. A line that cannot be read yields `{"id": ..., "error": "..."}`
    (id as given, or null) and the run goes on. A binary stream is decoded line by line, so one
    badly encoded line does not stop the others.
    """
    errors = 0
    for number, raw in enumerate(input_stream, start=1):
        try:
            parsed = _parse(number, raw)
        except _LineError as exc:
            errors += 1
            result: dict[str, Any] = {"id": exc.request_id, "error": str(exc)}
        else:
            if parsed is None:
                continue
            request_id, subject, body = parsed
            prediction = classifier.predict(subject, body)
            result = {
                "id": request_id,
                "type": prediction.type,
                "nature": prediction.nature,
                "motif": prediction.motif,
                "confidence": round(prediction.confidence, 3),
                "language": prediction.language,
                "second_motif": prediction.second_motif,
            }
        output_stream.write(json.dumps(result, ensure_ascii=False) + "\n")
        output_stream.flush()
    return errors


@click.command("classify")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fichier de lignes JSON (entrée standard par défaut).",
)
@click.option(
    "--retrain", is_flag=True, help="Réentraîner d'abord avec les corrections des agents."
)
@with_appcontext
def classify(input_path: str | None, retrain: bool) -> None:
    """Catégoriser des demandes : lignes JSON {id, subject, body} en entrée."""
    from helpdesk.classify.services import (
        cache_dir_for,
        predictor_for,
        pull_model_if_reachable,
        retrain_shared,
    )

    cache_dir = cache_dir_for(current_app.config)
    if retrain:
        from helpdesk.classify.feedback import corrections_from_tickets

        with session_factory()() as session:
            corrections = corrections_from_tickets(session)
        outcome = retrain_shared(session_factory(), cache_dir, corrections)
        classifier = outcome.classifier
        click.echo(outcome.summary(), err=True)
        if input_path is None and sys.stdin.isatty():
            return
    else:
        pull_model_if_reachable(session_factory(), cache_dir)
        classifier = predictor_for(cache_dir)
    stream = open(input_path, "rb") if input_path else sys.stdin.buffer  # noqa: SIM115
    try:
        run_classify(stream, sys.stdout, classifier)
    finally:
        if input_path:
            stream.close()
    sys.stdout.flush()
