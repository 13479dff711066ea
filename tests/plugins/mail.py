"""Inbound mail written for the tests, and mail settings pointing at a loopback server."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from helpdesk.core.db import utcnow
from helpdesk.mail.settings import MailSettings
from tests.plugins.mail_servers import SMTP_PASSWORD, SMTP_USER, SmtpServer

PARENT = "claire.martin@example.org"
_ids = iter(range(1, 1_000_000))


def mail(
    body: str = "Bonjour, je ne reçois pas le code SMS pour activer mon compte EduConnect.",
    subject: str = "Code SMS jamais reçu",
    sender: str = f"Claire Martin <{PARENT}>",
    to: str = "assistance@ac-demo.fr",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    message_id: str | None = "auto",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(utcnow())
    if message_id == "auto":
        message_id = f"<test-{next(_ids)}@example.org>"
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def settings_for(server: SmtpServer, tls_files=None, **overrides) -> MailSettings:
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_security": server.security,
        "smtp_timeout": 5,
        "mail_from": "Assistance EduConnect <assistance@ac-test.fr>",
        "mail_reply_to": "assistance@ac-test.fr",
        "ca_file": tls_files["cert"] if tls_files else None,
    }
    if server.security != "none":
        values.update(smtp_user=SMTP_USER, smtp_password=SMTP_PASSWORD)
    values.update(overrides)
    return MailSettings(**values)


def settings_form(**values: str) -> dict[str, str]:
    """The fields of the admin's outbound settings form, with the given ones changed."""
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": "25",
        "smtp_security": "none",
        "mail_from": "Assistance <assistance@ac-test.fr>",
        "mail_reply_to": "assistance@ac-test.fr",
        "reminder_days": "5",
        "autoclose_days": "10",
        "resolved_close_days": "15",
        "reopen_days": "14",
        **values,
    }
