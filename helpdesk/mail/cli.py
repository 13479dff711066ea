"""`helpdesk mail ...`: send the outbox, store and fetch mail, run the reminders.

A mail server delivers through ``mail ingest`` (one process per message, on its standard
input) or ``mail lmtp`` (a listener); both only store the message, and the background worker
(``helpdesk worker``) makes it a ticket. Nothing heavy is imported before a command runs:
``helpdesk mail --help`` stays instant.
"""

from __future__ import annotations

import logging
import signal
import sys

import click
from flask import current_app
from flask.cli import AppGroup

logger = logging.getLogger(__name__)

mail = AppGroup("mail", help="Courriels : envoi, réception, relances.")


def _factory():
    from helpdesk.core.database import session_factory

    return session_factory()


def _ctx():
    from helpdesk.core.runtime import service_context

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
    from helpdesk.core.db import session_scope
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
    from helpdesk.mail.inbound.store import ingest_stream

    sys.exit(ingest_stream(current_app.config["DATABASE_URL"], sys.stdin.buffer))


@mail.command("lmtp", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", type=click.IntRange(1, 65535), default=2424, show_default=True)
@click.option(
    "--max-size",
    type=click.IntRange(1024),
    default=30 * 1024 * 1024,
    show_default=True,
    help="Taille maximale d'un message, en octets.",
)
def lmtp(host: str, port: int, max_size: int) -> None:
    """Recevoir les messages d'un serveur de messagerie en LMTP (à traiter par le worker)."""
    # No app is loaded: the listener only stores, through the driver (HELPDESK_DATABASE_URL).
    from helpdesk.core.config import database_url
    from helpdesk.mail.inbound.lmtp import serve

    serve(database_url(), host, port, max_size)


@mail.command("fetch")
@click.option("--limit", type=int, default=None, help="Nombre maximal de messages par boîte.")
def fetch(limit: int | None) -> None:
    """Relever les boîtes IMAP configurées."""
    for line in fetch_once(limit)[0]:
        click.echo(line)
