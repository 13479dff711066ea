"""`helpdesk retention run` and `helpdesk person export|erase`."""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from helpdesk.core.errors import DomainError

retention = AppGroup("retention", help="Durées de conservation des données personnelles.")
person = AppGroup("person", help="Données d'une personne : export et effacement.")


def _database():
    return current_app.extensions["helpdesk_db"]


def _settings():
    from helpdesk.privacy.services import PrivacySettings

    return PrivacySettings.from_config(current_app.config)


def retention_lines(report, rules) -> list[str]:
    verb = "à traiter" if report.dry_run else "traités"
    lines = [f"Conservation au {report.as_of.isoformat(timespec='minutes')} ({verb}) :"]
    for rule in rules:
        if not rule.is_active:
            lines.append(f"  {rule.kind:<17} conservé sans limite")
            continue
        lines.append(f"  {rule.kind:<17} {report.counts.get(rule.kind, 0):>7}  ({rule.days} jours)")
    if not report.dry_run:
        lines.append(f"  fichiers joints supprimés : {report.files_removed}")
    return lines


def retrain_once() -> tuple[list[str], bool]:
    """Retrain the categoriser with the agents' corrections (only when they changed), leaving
    out those older than the retention rules allow to train on."""
    from helpdesk.classify.feedback import corrections_from_tickets
    from helpdesk.classify.services import cache_dir_for, retrain_shared
    from helpdesk.privacy.services import parse_moment

    cutoff = _settings().training_cutoff(parse_moment(None))
    with _database().session_factory() as session:
        corrections = corrections_from_tickets(session, confirmed_since=cutoff)
    outcome = retrain_shared(
        _database().session_factory, cache_dir_for(current_app.config), corrections
    )
    return [outcome.summary()], False


def retention_once(started_by: str = "tâche de fond") -> tuple[list[str], bool]:
    """One pass for the background worker: lines to print, and whether anything was removed."""
    from helpdesk.privacy.services import parse_moment, run_retention

    settings = _settings()
    report = run_retention(
        _database().session_factory,
        _database().engine,
        settings,
        parse_moment(None),
        started_by=started_by,
    )
    return retention_lines(report, settings.rules), bool(report.total)


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="Compter ce qui est dû sans rien supprimer.")
@click.option("--now", "now_text", default=None, help="Date de référence (AAAA-MM-JJ).")
def retention_run(dry_run: bool, now_text: str | None) -> None:
    """Supprimer ou anonymiser ce dont la durée de conservation est écoulée."""
    from helpdesk.privacy.services import parse_moment, run_retention

    try:
        now = parse_moment(now_text)
    except DomainError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from exc
    settings = _settings()
    database = _database()
    report = run_retention(
        database.session_factory, database.engine, settings, now, dry_run=dry_run
    )
    for line in retention_lines(report, settings.rules):
        click.echo(line)


@person.command("export")
@click.argument("identifier", metavar="EMAIL_OR_PHONE")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Fichier JSON (sortie standard par défaut).",
)
def person_export(identifier: str, output: str | None) -> None:
    """Tout ce que l'assistance détient sur une personne, en un objet JSON."""
    from helpdesk.privacy.services import export

    try:
        with _database().session_factory() as session:
            data = export(session, identifier, _settings())
    except DomainError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL_OR_PHONE") from exc
    if data is None:
        click.echo("Aucune donnée trouvée pour cette personne.", err=True)
        sys.exit(1)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        click.echo(f"Export écrit dans {output}.", err=True)
    else:
        click.echo(text)


@person.command("erase")
@click.argument("identifier", metavar="EMAIL_OR_PHONE")
@click.option("--yes", is_flag=True, help="Confirmer l'effacement (obligatoire).")
def person_erase(identifier: str, yes: bool) -> None:
    """Effacer ou anonymiser les données d'une personne (une ligne de journal sans elles)."""
    from helpdesk.privacy.services import erase

    if not yes:
        raise click.UsageError("L'effacement est définitif : ajoutez --yes pour confirmer.")
    database = _database()
    try:
        report = erase(database.session_factory, database.engine, identifier, _settings())
    except DomainError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL_OR_PHONE") from exc
    if report is None:
        click.echo("Aucune donnée trouvée pour cette personne.", err=True)
        sys.exit(1)
    click.echo(f"Effacement terminé : {report.summary()}.")
