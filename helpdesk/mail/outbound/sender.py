"""Deliver the outbox over SMTP, with retries, never twice for one acceptance.

A sender claims due rows in a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
SQLite's single writer lock otherwise): the claim counts the attempt and pushes
``next_attempt_at`` forward by a lease, so no other sender takes the row while it is being
sent, and a sender that dies leaves it to be tried again once the lease ends. Each message is
marked sent in its own transaction right after the server accepted it. The only window for a
second delivery is a crash between that acceptance and that commit: the copy then carries the
same Message-ID, so clients and the helpdesk recognise it.
"""

from __future__ import annotations

import email.charset
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, getaddresses, parseaddr

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.core import dialect
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.mail.bounces import mark_address_failing
from helpdesk.mail.models import OutboxMessage
from helpdesk.mail.references import is_reference, make_reply_address
from helpdesk.mail.settings import MailSettings
from helpdesk.tickets.models import Ticket

LEASE = timedelta(minutes=10)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
#: About a day of retries before giving up (1, 2, 4 ... 256 min, then every 6 h).
MAX_ATTEMPTS = 12
BATCH_SIZE = 50


class TransientError(Exception):
    """The server or the network failed: try again later."""


class PermanentError(Exception):
    """The server refused this message for good (unknown recipient, invalid message)."""


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outgoing:
    """What the sender needs of a claimed row, detached from any session."""

    id: int
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    message_id: str
    in_reply_to: str | None
    references: str | None
    created_at: datetime
    attempts: int
    reference: str | None = None


def backoff(attempts: int) -> timedelta:
    delay = BACKOFF_BASE * (2 ** max(0, attempts - 1))
    return min(delay, BACKOFF_MAX)


def _address_only(value: str) -> str:
    found = getaddresses([value])
    return found[0][1] if found and found[0][1] else value.strip()


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


_UTF8_QP = email.charset.Charset("utf-8")
_UTF8_QP.body_encoding = email.charset.QP


def _header_text(value: str) -> str | Header:
    value = _one_line(value)
    return value if value.isascii() else Header(value, "utf-8", header_name="Subject")


def _threading_headers(item: Outgoing, settings: MailSettings) -> list[tuple[str, str]]:
    reply_to = _address_only(settings.mail_reply_to or settings.mail_from)
    if settings.plus_addressing and item.reference and is_reference(item.reference):
        reply_to = make_reply_address(reply_to, item.reference)
    headers = [("Date", format_datetime(item.created_at)), ("Message-ID", item.message_id)]
    if item.in_reply_to:
        headers.append(("In-Reply-To", _one_line(item.in_reply_to)))
    if item.references:
        headers.append(("References", _one_line(item.references)))
    headers.append(("Reply-To", reply_to))
    if item.reference:
        headers.append(("X-Helpdesk-Ticket", item.reference))
    # Out-of-office responders must not answer notifications (RFC 3834, Exchange).
    headers += [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All")]
    return headers


def build_message(item: Outgoing, settings: MailSettings) -> Message:
    """The RFC 5322 message of an outbox row: threading headers, text and HTML parts."""
    if not item.to_address.isascii():
        return _build_international(item, settings)
    text = MIMEText(item.body_text or "", "plain", _UTF8_QP)
    if item.body_html:
        msg: Message = MIMEMultipart("alternative")
        msg.attach(text)
        msg.attach(MIMEText(item.body_html, "html", _UTF8_QP))
    else:
        msg = text
    name, address = parseaddr(settings.mail_from)
    msg["From"] = formataddr((name, address), charset="utf-8") if address else settings.mail_from
    msg["To"] = item.to_address
    msg["Subject"] = _header_text(item.subject)
    for header, value in _threading_headers(item, settings):
        msg[header] = value
    return msg


def _build_international(item: Outgoing, settings: MailSettings) -> EmailMessage:
    """A recipient with a non-ASCII address: the modern policy, sent with SMTPUTF8."""
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = settings.mail_from
    msg["To"] = item.to_address
    msg["Subject"] = _one_line(item.subject)
    for header, value in _threading_headers(item, settings):
        msg[header] = value
    msg.set_content(item.body_text or "")
    if item.body_html:
        msg.add_alternative(item.body_html, subtype="html")
    return msg


def tls_context(settings: MailSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.ca_file or None)


class SmtpConnection:
    """One SMTP session; errors come out as TransientError or PermanentError."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        s = self.settings
        try:
            if s.smtp_security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.smtp_host, s.smtp_port, timeout=s.smtp_timeout, context=tls_context(s)
                )
            else:
                smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
            self.smtp = smtp
            smtp.ehlo()
            if s.smtp_security == "starttls":
                smtp.starttls(context=tls_context(s))
                smtp.ehlo()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TransientError(describe(exc)) from exc

    def send(self, message: Message, to_address: str) -> None:
        if self.smtp is None:
            raise TransientError("Connexion SMTP fermée.")
        envelope_from = _address_only(self.settings.mail_from)
        try:
            self.smtp.send_message(message, from_addr=envelope_from, to_addrs=[to_address])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentError(describe(exc)) from exc
            raise TransientError(describe(exc)) from exc
        except (smtplib.SMTPDataError, smtplib.SMTPNotSupportedError) as exc:
            code = getattr(exc, "smtp_code", 550)
            if code >= 500:
                raise PermanentError(describe(exc)) from exc
            raise TransientError(describe(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientError(describe(exc)) from exc

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class CatcherConnection(SmtpConnection):
    """Demo mode: a message is caught by the application (read under /courriels), never sent.

    The outbox row already holds the message as the recipient would read it; delivering it
    here only marks it as delivered, so a demo never writes to a real address.
    """

    def open(self) -> None:
        return None

    def send(self, message: Message, to_address: str) -> None:
        return None

    def close(self) -> None:
        return None


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{address} : {code} {_decode(text)}"
            for address, (code, text) in exc.recipients.items()
        ]
        return "Destinataire refusé par le serveur : " + " ; ".join(parts)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"Authentification SMTP refusée ({exc.smtp_code} {_decode(exc.smtp_error)})."
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"Le serveur SMTP a répondu {exc.smtp_code} {_decode(exc.smtp_error)}."
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return f"Échec de la négociation TLS : {exc}."
    if isinstance(exc, socket.timeout | TimeoutError):
        return "Le serveur SMTP ne répond pas (délai dépassé)."
    if isinstance(exc, ConnectionRefusedError):
        return "Connexion refusée par le serveur SMTP."
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "Le serveur SMTP a fermé la connexion."
    if isinstance(exc, smtplib.SMTPException):
        return f"Erreur SMTP : {exc}"
    if isinstance(exc, OSError):
        return f"Serveur SMTP injoignable : {exc.strerror or exc}."
    return f"{type(exc).__name__} : {exc}"


def _decode(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


# -- the outbox ---------------------------------------------------------------------------


def claim(session: Session, now: datetime, limit: int = BATCH_SIZE) -> list[Outgoing]:
    """Take up to `limit` due messages for this sender; commits."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    rows = session.scalars(dialect.skip_locked(session, stmt)).all()
    ticket_ids = {row.ticket_id for row in rows if row.ticket_id}
    references = (
        dict(
            session.execute(
                select(Ticket.id, Ticket.reference).where(Ticket.id.in_(ticket_ids))
            ).all()
        )
        if ticket_ids
        else {}
    )
    claimed = []
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        claimed.append(
            Outgoing(
                id=row.id,
                to_address=row.to_address,
                subject=row.subject,
                body_text=row.body_text,
                body_html=row.body_html,
                message_id=row.message_id,
                in_reply_to=row.in_reply_to,
                references=row.references,
                created_at=row.created_at,
                attempts=row.attempts,
                reference=references.get(row.ticket_id),
            )
        )
    session.commit()
    return claimed


def _mark_sent(session: Session, item: Outgoing, now: datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.id)
        .values(status="sent", sent_at=now, last_error=None)
    )
    session.commit()


def _reschedule(session: Session, item: Outgoing, now: datetime, error: str) -> bool:
    """Plan the next try; return False when the message is given up."""
    give_up = item.attempts >= MAX_ATTEMPTS
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.id, OutboxMessage.status == "pending")
        .values(
            status="failed" if give_up else "pending",
            next_attempt_at=now + backoff(item.attempts),
            last_error=error[:2000],
        )
    )
    session.commit()
    return not give_up


def _fail(session: Session, item: Outgoing, error: str, recipient_refused: bool) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.id)
        .values(status="failed", last_error=error[:2000])
    )
    if recipient_refused:
        mark_address_failing(session, item.to_address)
    session.commit()


Connect = Callable[[MailSettings], SmtpConnection]


def send_pending(
    factory: sessionmaker[Session],
    settings: MailSettings,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    max_messages: int | None = None,
    connect: Connect = SmtpConnection,
    connections: int = 1,
) -> SendReport:
    """Send every due message (or up to `max_messages`); stop early when the server fails.

    With several `connections`, as many threads claim and send batches side by side (the
    claim keeps them apart, as it keeps separate workers apart). In demo mode the messages
    are caught by the application, never sent.
    """
    if settings.sandbox:
        connect = CatcherConnection
    if connections <= 1:
        report = SendReport()
        _send_loop(factory, settings, now, batch_size, max_messages, connect, report)
        return report
    reports = [SendReport() for _ in range(connections)]
    failures: list[BaseException] = []

    def run(report: SendReport) -> None:
        try:
            _send_loop(factory, settings, now, batch_size, max_messages, connect, report)
        except BaseException as exc:  # re-raised in the calling thread below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(report,)) for report in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    merged = SendReport()
    for report in reports:
        merged.sent += report.sent
        merged.retried += report.retried
        merged.failed += report.failed
        merged.errors += [error for error in report.errors if error not in merged.errors]
    return merged


def _send_loop(
    factory: sessionmaker[Session],
    settings: MailSettings,
    now: datetime | None,
    batch_size: int,
    max_messages: int | None,
    connect: Connect,
    report: SendReport,
) -> None:
    while max_messages is None or report.sent + report.retried + report.failed < max_messages:
        moment = now or utcnow()
        size = batch_size
        if max_messages is not None:
            size = min(size, max_messages - (report.sent + report.retried + report.failed))
        with factory() as session:
            batch = claim(session, moment, size)
            if not batch:
                break
            if not _send_batch(session, settings, batch, moment, report, connect):
                break
        if len(batch) < size:
            break


def _send_batch(
    session: Session,
    settings: MailSettings,
    batch: list[Outgoing],
    now: datetime,
    report: SendReport,
    connect: Connect,
) -> bool:
    """Send a claimed batch on one connection; False when the server is unusable."""
    connection = connect(settings)
    reconnected = False
    try:
        connection.open()
    except TransientError as exc:
        _postpone(session, batch, now, str(exc), report)
        return False
    try:
        for index, item in enumerate(batch):
            try:
                message = build_message(item, settings)
            except (ValueError, TypeError, IndexError) as exc:
                _fail(session, item, f"Message impossible à construire : {exc}", False)
                report.failed += 1
                continue
            while True:
                try:
                    connection.send(message, item.to_address)
                except PermanentError as exc:
                    _fail(session, item, str(exc), recipient_refused=True)
                    report.failed += 1
                    break
                except TransientError as exc:
                    connection.close()
                    error = str(exc)
                    if not reconnected:
                        # A server may close long sessions: one new connection, then give up.
                        reconnected = True
                        try:
                            connection.open()
                            continue
                        except TransientError as again:
                            error = str(again)
                    _postpone(session, batch[index:], now, error, report)
                    return False
                _mark_sent(session, item, now)
                report.sent += 1
                break
    finally:
        connection.close()
    return True


def _postpone(
    session: Session, items: list[Outgoing], now: datetime, error: str, report: SendReport
) -> None:
    if error not in report.errors:
        report.errors.append(error)
    for item in items:
        if _reschedule(session, item, now, error):
            report.retried += 1
        else:
            report.failed += 1


def send_test_message(settings: MailSettings, to_address: str) -> str:
    """Send a message straight away (admin page); return its Message-ID or raise DomainError."""
    from email.utils import make_msgid

    domain = _address_only(settings.mail_reply_to or settings.mail_from).rpartition("@")[2]
    item = Outgoing(
        id=0,
        to_address=to_address,
        subject="Message d'essai de l'assistance EduConnect",
        body_text=(
            "Bonjour,\n\nCe message d'essai confirme que l'assistance EduConnect peut envoyer "
            "des courriels avec les réglages actuels.\n"
        ),
        body_html=None,
        message_id=make_msgid(domain=domain or None),
        in_reply_to=None,
        references=None,
        created_at=utcnow(),
        attempts=1,
    )
    try:
        message = build_message(item, settings)
    except (ValueError, TypeError, IndexError) as exc:
        raise DomainError(f"Message impossible à construire : {exc}") from exc
    connection = SmtpConnection(settings)
    try:
        connection.open()
        connection.send(message, to_address)
    except (TransientError, PermanentError) as exc:
        raise DomainError(str(exc)) from exc
    finally:
        connection.close()
    return item.message_id


def valid_address(value: str) -> str:
    """Return the address in a plain form, or raise DomainError."""
    try:
        Address(addr_spec=value.strip())
    except (ValueError, IndexError) as exc:
        raise DomainError("Adresse électronique invalide.") from exc
    if "@" not in value:
        raise DomainError("Adresse électronique invalide.")
    return value.strip()


def run_forever(
    step: Callable[[], object],
    interval: float,
    should_stop: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call `step` every `interval` seconds until `should_stop()`; errors do not stop it."""
    while not should_stop():
        started = time.monotonic()
        step()
        remaining = interval - (time.monotonic() - started)
        while remaining > 0 and not should_stop():
            pause = min(remaining, 0.5)
            sleep(pause)
            remaining -= pause
