"""Outbox rows as RFC 5322 messages, and the SMTP session that hands them to the server.

Server and network failures come out as :class:`TransientError` (try again later) or
:class:`PermanentError` (refused for good), in French.
"""

from __future__ import annotations

import email.charset
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, getaddresses, parseaddr

from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.mail.references import is_reference, make_reply_address
from helpdesk.mail.settings import MailSettings


class TransientError(Exception):
    """The server or the network failed: try again later."""


class PermanentError(Exception):
    """The server refused this message for good (unknown recipient, invalid message)."""


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


def address_only(value: str) -> str:
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
    reply_to = address_only(settings.mail_reply_to or settings.mail_from)
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
        envelope_from = address_only(self.settings.mail_from)
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


def send_test_message(settings: MailSettings, to_address: str) -> str:
    """Send a message straight away (admin page); return its Message-ID or raise DomainError."""
    from email.utils import make_msgid

    domain = address_only(settings.mail_reply_to or settings.mail_from).rpartition("@")[2]
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
