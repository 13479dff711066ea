"""`helpdesk mail ...`: send the outbox, ingest and fetch mail, run the periodic jobs."""

from __future__ import annotations

import logging
import signal
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from helpdesk.core.database import session_factory
from helpdesk.core.db import session_scope
from helpdesk.core.runtime import PERIODIC_TASKS, service_context

logger = logging.getLogger(__name__)

#: sysexits' EX_TEMPFAIL: an MTA keeps the message and tries again later.
EX_TEMPFAIL = 75

mail = AppGroup("mail", help="Courriels : envoi, réception, relances.")


def _factory():
    return session_factory()


def _ctx():
    return service_context(current_app)


def _settings():
    from helpdesk.mail.settings import effective

    with _factory()() as session:
        return effective(session, current_app.config)


def send_once(connections: int = 2) -> tuple[list[str], bool]:
    """Lines to print, and whether anything happened."""
    from helpdesk.mail.outbound.sender import send_pending

    report = send_pending(_factory(), _settings(), connections=connections)
    text = f"Envoyés : {report.sent}, reportés : {report.retried}, en échec : {report.failed}."
    if report.errors:
        text += " " + " ".join(report.errors)
    return [text], bool(report.sent or report.retried or report.failed)


def jobs_once() -> tuple[list[str], bool]:
    from helpdesk.tickets.jobs import run_periodic

    with session_scope(_factory()) as session:
        from helpdesk.mail.settings import effective

        report = run_periodic(session, _ctx(), effective(session, current_app.config))
    text = (
        f"Relances : {report.reminders}, closes sans réponse : {report.closed}, "
        f"résolues closes : {report.resolved_closed}, alertes d'échéance : {report.sla_alerts}."
    )
    active = report.reminders + report.closed + report.resolved_closed + report.sla_alerts
    return [text], bool(active)


def fetch_once(limit: int | None = None) -> tuple[list[str], bool]:
    from helpdesk.mail.inbound.imap import fetch_all

    lines, active = [], False
    for report in fetch_all(_factory(), _ctx(), current_app.config, limit=limit):
        counts = ", ".join(f"{k} : {v}" for k, v in sorted(report.ingested.items())) or "aucun"
        line = f"{report.mailbox} : {report.seen} message(s) ({counts}), {report.moved} déplacé(s)."
        if report.error:
            line += f" Erreur : {report.error}"
        lines.append(line)
        active = active or bool(report.seen or report.error)
    return lines or ["Aucune boîte aux lettres configurée."], active


def _stopper():
    stop = {"flag": False}

    def _handle(signum, frame):
        stop["flag"] = True

    signal.signal(signal.SIGTERM, _handle)
    signal.signal(signal.SIGINT, _handle)
    return lambda: stop["flag"]


def _guarded(step, label: str):
    """Run a step in a loop: print what it did (nothing when idle), survive its failures."""

    def run():
        try:
            lines, active = step()
        except Exception:  # a worker survives a failing step (database or server down)
            logger.exception("mail worker: %s failed", label)
            return
        if active:
            for line in lines:
                click.echo(line)

    return run


_CONNECTIONS = click.option(
    "--connections",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Connexions SMTP ouvertes en parallèle.",
)


@mail.command("send")
@click.option("--once", is_flag=True, help="Envoyer ce qui est dû puis s'arrêter.")
@click.option("--interval", type=float, default=None, help="Secondes entre deux passages.")
@_CONNECTIONS
def send(once: bool, interval: float | None, connections: int) -> None:
    """Envoyer les courriels en attente (en continu, ou une fois avec --once)."""
    if once:
        click.echo(send_once(connections)[0][0])
        return
    from helpdesk.mail.outbound.sender import run_forever

    run_forever(
        _guarded(lambda: send_once(connections), "send"),
        interval or current_app.config["MAIL_WORKER_INTERVAL"],
        _stopper(),
    )


@mail.command("reminders")
def reminders() -> None:
    """Relances, clôtures automatiques et alertes d'échéance (une fois)."""
    click.echo(jobs_once()[0][0])


@mail.command("ingest")
def ingest() -> None:
    """Enregistrer un message RFC 5322 lu sur l'entrée standard (tube d'un MTA)."""
    from helpdesk.mail.inbound.ingest import ingest_message

    raw = sys.stdin.buffer.read()
    try:
        with session_scope(_factory()) as session:
            result = ingest_message(session, _ctx(), raw)
    except Exception as exc:  # the MTA keeps the message and retries
        click.echo(f"Message non enregistré : {exc}", err=True)
        sys.exit(EX_TEMPFAIL)
    line = f"{result.status}"
    if result.reference:
        line += f" {result.reference}"
    if result.error:
        line += f" : {result.error}"
    click.echo(line)


@mail.command("fetch")
@click.option("--limit", type=int, default=None, help="Nombre maximal de messages par boîte.")
def fetch(limit: int | None) -> None:
    """Relever les boîtes IMAP configurées."""
    for line in fetch_once(limit)[0]:
        click.echo(line)


@mail.command("worker")
@click.option("--interval", type=float, default=None, help="Secondes entre deux envois.")
@click.option(
    "--jobs-every",
    type=float,
    default=300,
    show_default=True,
    help="Secondes entre deux passages des relances et alertes.",
)
@click.option("--fetch/--no-fetch", "with_fetch", default=True, show_default=True)
@_CONNECTIONS
def worker(interval: float | None, jobs_every: float, with_fetch: bool, connections: int) -> None:
    """Tâche de fond : envoi, relève IMAP et relances, en boucle."""
    import time

    from helpdesk.mail.outbound.sender import run_forever

    send_step = _guarded(lambda: send_once(connections), "send")
    fetch_step = _guarded(fetch_once, "fetch")
    jobs_step = _guarded(jobs_once, "jobs")
    # The categoriser's retraining and the retention rules, installed by the set-up.
    tasks = current_app.extensions.get(PERIODIC_TASKS, {})
    retrain_step = _guarded(tasks["retrain"], "retrain") if "retrain" in tasks else None
    retrain_every = current_app.config["CLASSIFY_RETRAIN_HOURS"] * 3600
    retention_step = _guarded(tasks["retention"], "retention") if "retention" in tasks else None
    retention_every = current_app.config["RETENTION_RUN_HOURS"] * 3600
    last_jobs = {"at": float("-inf"), "retrain": time.monotonic(), "retention": float("-inf")}

    def step() -> None:
        if with_fetch:
            fetch_step()
        now = time.monotonic()
        if now - last_jobs["at"] >= jobs_every:
            last_jobs["at"] = now
            jobs_step()
        if retrain_step and retrain_every and now - last_jobs["retrain"] >= retrain_every:
            last_jobs["retrain"] = now
            retrain_step()
        if retention_step and retention_every and now - last_jobs["retention"] >= retention_every:
            last_jobs["retention"] = now
            retention_step()
        send_step()

    run_forever(step, interval or current_app.config["MAIL_WORKER_INTERVAL"], _stopper())
