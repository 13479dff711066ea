"""Effective mail settings: the admin page's values over the HELPDESK_* configuration."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.core.errors import DomainError
from helpdesk.mail.models import MailSetting

SECURITY_MODES = {
    "starttls": "STARTTLS (port 587 en général)",
    "ssl": "SSL/TLS implicite (port 465 en général)",
    "none": "Aucun chiffrement (relais local uniquement)",
}
IMAP_SECURITY_MODES = {
    "ssl": "SSL/TLS implicite (port 993 en général)",
    "starttls": "STARTTLS (port 143 en général)",
    "none": "Aucun chiffrement (serveur local uniquement)",
}


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_security: str = "none"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_timeout: int = 30
    mail_from: str = "Assistance EduConnect <assistance@ac-demo.fr>"
    mail_reply_to: str = "assistance@ac-demo.fr"
    plus_addressing: bool = False
    ca_file: str | None = None
    reminder_days: int = 5
    autoclose_days: int = 10
    resolved_close_days: int = 15
    reopen_days: int = 14
    #: Demo mode: notifications are caught by the application (/courriels), never sent.
    sandbox: bool = False


#: Settings an administrator may change, with their configuration key.
EDITABLE = {
    "smtp_host": "SMTP_HOST",
    "smtp_port": "SMTP_PORT",
    "smtp_security": "SMTP_SECURITY",
    "smtp_user": "SMTP_USER",
    "smtp_password": "SMTP_PASSWORD",
    "mail_from": "MAIL_FROM",
    "mail_reply_to": "MAIL_REPLY_TO",
    "plus_addressing": "MAIL_PLUS_ADDRESSING",
    "reminder_days": "MAIL_REMINDER_DAYS",
    "autoclose_days": "MAIL_AUTOCLOSE_DAYS",
    "resolved_close_days": "MAIL_RESOLVED_CLOSE_DAYS",
    "reopen_days": "REOPEN_DAYS",
    "sandbox": "MAIL_SANDBOX",
}
_CONFIG_ONLY = {"smtp_timeout": "SMTP_TIMEOUT", "ca_file": "MAIL_CA_FILE"}
_TYPES = {f.name: f.type for f in fields(MailSettings)}


def _convert(name: str, value):
    if value is None or value == "":
        return None
    kind = _TYPES[name]
    if kind == "int":
        return int(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "yes", "oui", "on")
    return str(value)


def stored(session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.scalars(select(MailSetting))}


def effective(session: Session | None, config: dict) -> MailSettings:
    values: dict = {}
    for name, key in {**EDITABLE, **_CONFIG_ONLY}.items():
        converted = _convert(name, config.get(key))
        if converted is not None:
            values[name] = converted
    if session is not None:
        for key, value in stored(session).items():
            if key in EDITABLE:
                values[key] = _convert(key, value)
    if values.get("smtp_security") not in SECURITY_MODES:
        values["smtp_security"] = "none"
    return MailSettings(**{k: v for k, v in values.items() if v is not None})


def stored_int(session: Session, key: str, default: int) -> int:
    row = session.get(MailSetting, key)
    try:
        return int(row.value) if row is not None else default
    except ValueError:
        return default


def save(session: Session, values: dict) -> None:
    """Store the admin page's values; an empty password keeps the stored one."""
    for name, value in values.items():
        if name not in EDITABLE:
            raise DomainError(f"Réglage inconnu : {name}.")
        if name == "smtp_password" and not value:
            continue
        if name == "smtp_security" and value not in SECURITY_MODES:
            raise DomainError("Mode de chiffrement inconnu.")
        text = "1" if value is True else "0" if value is False else str(value or "").strip()
        row = session.get(MailSetting, name)
        if row is None:
            session.add(MailSetting(key=name, value=text))
        else:
            row.value = text
    session.flush()


def forget_password(session: Session) -> None:
    row = session.get(MailSetting, "smtp_password")
    if row is not None:
        session.delete(row)
        session.flush()
