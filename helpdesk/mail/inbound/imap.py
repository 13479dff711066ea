"""Poll IMAP mailboxes: each message is ingested, committed, then moved to a folder.

Safe to interrupt and re-run: a message still in the inbox after its ingestion was
committed is recognised as a duplicate next time (same bytes or same Message-ID) and only
moved. Nothing is deleted before the database holds it.
"""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.mail.inbound.ingest import IngestResult, ingest_message
from helpdesk.mail.models import Mailbox

logger = logging.getLogger(__name__)

TIMEOUT = 60


class ImapError(Exception):
    """The mailbox could not be read; the message is French."""


@dataclass(frozen=True)
class MailboxConfig:
    name: str
    host: str
    port: int
    security: str
    username: str
    password: str
    folder: str = "INBOX"
    processed_folder: str = "Traités"
    id: int | None = None
    ca_file: str | None = None
    timeout: int = TIMEOUT

    @classmethod
    def from_row(cls, row: Mailbox, ca_file: str | None = None) -> MailboxConfig:
        return cls(
            name=row.name,
            host=row.host,
            port=row.port,
            security=row.security,
            username=row.username,
            password=row.password,
            folder=row.folder,
            processed_folder=row.processed_folder,
            id=row.id,
            ca_file=ca_file,
        )


@dataclass
class FetchReport:
    mailbox: str
    seen: int = 0
    ingested: dict[str, int] = field(default_factory=dict)
    moved: int = 0
    error: str | None = None

    def count(self, result: IngestResult) -> None:
        self.ingested[result.status] = self.ingested.get(result.status, 0) + 1


def configured_mailboxes(session: Session, config: dict) -> list[MailboxConfig]:
    """The mailbox of the environment (HELPDESK_IMAP_*), then the active ones of the table."""
    ca_file = config.get("MAIL_CA_FILE")
    boxes = []
    if config.get("IMAP_HOST"):
        boxes.append(
            MailboxConfig(
                name="Boîte configurée par l'environnement",
                host=config["IMAP_HOST"],
                port=int(config.get("IMAP_PORT") or 993),
                security=config.get("IMAP_SECURITY") or "ssl",
                username=config.get("IMAP_USER") or "",
                password=config.get("IMAP_PASSWORD") or "",
                folder=config.get("IMAP_FOLDER") or "INBOX",
                processed_folder=config.get("IMAP_PROCESSED_FOLDER") or "Traités",
                ca_file=ca_file,
            )
        )
    rows = session.scalars(select(Mailbox).where(Mailbox.is_active.is_(True)).order_by(Mailbox.id))
    boxes += [MailboxConfig.from_row(row, ca_file) for row in rows]
    return boxes


# -- IMAP details ---------------------------------------------------------------------------


def encode_folder(name: str) -> str:
    """Quote a folder name for IMAP, in modified UTF-7 (RFC 3501, 5.1.3)."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            import base64

            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ","))
            out.append("-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    encoded = "".join(out)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _describe(exc: BaseException) -> str:
    if isinstance(exc, imaplib.IMAP4.error):
        text = str(exc)
        if "AUTHENTICATIONFAILED" in text.upper() or "LOGIN" in text.upper():
            return f"Identifiant ou mot de passe refusé par le serveur IMAP ({text})."
        return f"Le serveur IMAP a refusé la commande : {text}"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return f"Échec de la négociation TLS avec le serveur IMAP : {exc}."
    if isinstance(exc, socket.timeout | TimeoutError):
        return "Le serveur IMAP ne répond pas (délai dépassé)."
    if isinstance(exc, ConnectionRefusedError):
        return "Connexion refusée par le serveur IMAP."
    if isinstance(exc, OSError):
        return f"Serveur IMAP injoignable : {exc.strerror or exc}."
    return f"{type(exc).__name__} : {exc}"


def connect(box: MailboxConfig) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=box.ca_file or None)
    client: imaplib.IMAP4 | None = None
    try:
        if box.security == "ssl":
            client = imaplib.IMAP4_SSL(box.host, box.port, ssl_context=context, timeout=box.timeout)
        else:
            client = imaplib.IMAP4(box.host, box.port, timeout=box.timeout)
            if box.security == "starttls":
                client.starttls(ssl_context=context)
        client.login(box.username, box.password)
    except (imaplib.IMAP4.error, OSError) as exc:
        if client is not None:
            try:
                client.shutdown()
            except OSError:
                pass
        raise ImapError(_describe(exc)) from exc
    return client


def _check(response: tuple, what: str) -> list:
    status, data = response
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise ImapError(f"{what} : {detail or status}")
    return data


def _capabilities(client: imaplib.IMAP4) -> set[str]:
    status, data = client.capability()
    if status != "OK" or not data or not data[0]:
        return set(client.capabilities)
    return {word.upper() for word in data[0].decode("ascii", "replace").split()}


def _raw_message(data: list) -> bytes | None:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


_UID_RE = re.compile(rb"^\d+$")


def _ensure_folder(client: imaplib.IMAP4, folder: str) -> None:
    status, data = client.list('""', folder)
    if status == "OK" and any(item for item in data if item):
        return
    status, data = client.create(folder)
    if status != "OK":
        text = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        if "ALREADYEXISTS" not in text.upper() and "EXISTS" not in text.upper():
            raise ImapError(f"Impossible de créer le dossier de destination : {text}")


Ingest = Callable[..., IngestResult]


def _call(what: str, command, *args) -> list:
    """Run an IMAP command; any failure becomes an ImapError naming what was being done."""
    try:
        return _check(command(*args), what)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise ImapError(f"{what} : {_describe(exc)}") from exc


def fetch_mailbox(
    factory: sessionmaker[Session],
    ctx: ServiceContext,
    box: MailboxConfig,
    limit: int | None = None,
    ingest: Ingest = ingest_message,
) -> FetchReport:
    """Ingest the messages of one mailbox, moving each to the processed folder once stored.

    Server errors end the run with ``report.error``; a database error propagates, leaving the
    message being handled in the inbox.
    """
    report = FetchReport(box.name)
    try:
        client = connect(box)
    except ImapError as exc:
        report.error = str(exc)
        return report
    try:
        source = encode_folder(box.folder)
        target = encode_folder(box.processed_folder)
        _call("Dossier à relever introuvable", client.select, source)
        try:
            _ensure_folder(client, target)
            can_move = "MOVE" in _capabilities(client)
        except (imaplib.IMAP4.error, OSError) as exc:
            raise ImapError(_describe(exc)) from exc
        data = _call("Recherche des messages", client.uid, "SEARCH", None, "UNDELETED")
        uids = [uid for uid in (data[0] or b"").split() if _UID_RE.match(uid)]
        if limit is not None:
            uids = uids[:limit]
        copied = False
        for uid in uids:
            fetched = _call("Lecture d'un message", client.uid, "FETCH", uid, "(BODY.PEEK[])")
            raw = _raw_message(fetched)
            if raw is None:
                continue
            report.seen += 1
            with factory() as session:
                result = ingest(session, ctx, raw, mailbox_id=box.id)
                session.commit()
            report.count(result)
            if can_move:
                _call("Déplacement d'un message", client.uid, "MOVE", uid, target)
            else:
                _call("Copie d'un message", client.uid, "COPY", uid, target)
                _call("Marquage", client.uid, "STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
                copied = True
            report.moved += 1
        if copied:
            _call("Suppression des messages copiés", client.expunge)
    except ImapError as exc:
        report.error = str(exc)
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return report


def record_poll(session: Session, box: MailboxConfig, report: FetchReport) -> None:
    if box.id is None:
        return
    row = session.get(Mailbox, box.id)
    if row is not None:
        row.last_polled_at = utcnow()
        row.last_error = report.error


def check_connection(box: MailboxConfig) -> int:
    """Log in and count the messages waiting; raise ImapError with a French message."""
    client = connect(box)
    try:
        data = _check(client.select(encode_folder(box.folder), readonly=True), "Dossier")
        return int(data[0] or 0)
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def fetch_all(
    factory: sessionmaker[Session], ctx: ServiceContext, config: dict, limit: int | None = None
) -> list[FetchReport]:
    with factory() as session:
        boxes = configured_mailboxes(session, config)
    reports = []
    for box in boxes:
        report = fetch_mailbox(factory, ctx, box, limit=limit)
        if report.error:
            logger.warning("mailbox %s: %s", box.name, report.error)
        with factory() as session:
            record_poll(session, box, report)
            session.commit()
        reports.append(report)
    return reports
