"""Configuration: defaults, HELPDESK_* environment variables, the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"HELPDESK_{name}", default)


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in ("1", "true", "yes", "oui", "on")


#: Days each kind of data is kept (0: kept until removed by hand). The privacy page states
#: them; ``tickets`` counts from the closure of the request, the others from their creation
#: (``staff_accounts``: from the last sign-in of a deactivated account, ``school_accounts``:
#: from the last extraction that listed the school).
RETENTION_DEFAULTS = {
    "tickets": 365,
    "inbound_mail": 90,
    "outbox": 90,
    "audit": 365,
    "deflection": 365,
    "classifier_texts": 365,
    "staff_accounts": 365,
    "school_accounts": 30,
}


def instance_path() -> Path:
    return Path(_env("INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()


def database_url() -> str:
    """The database the app, the worker and the mail server's entry points share."""
    return _env("DATABASE_URL") or f"sqlite:///{instance_path() / 'helpdesk.db'}"


def _secret_key(folder: Path) -> str:
    """The configured key, or one generated once into the instance folder."""
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    key_file = folder / "secret_key"
    if not key_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def load_config(overrides: dict | None = None) -> dict:
    folder = instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    config: dict = {
        "INSTANCE_PATH": str(folder),
        "DATABASE_URL": database_url(),
        "SECRET_KEY": None,
        #: Where earlier versions kept attachment files: read once by the migration that moves
        #: them into the database (every node reads attachments from there).
        "ATTACHMENT_DIR": _env("ATTACHMENT_DIR") or str(folder / "attachments"),
        "KB_INDEX_DIR": _env("KB_INDEX_DIR") or str(folder / "kb-index"),
        #: How often each process compares its article index with the database's generation.
        "KB_SYNC_SECONDS": float(_env("KB_SYNC_SECONDS") or 2),
        #: An article is due for review when its last review is older than this.
        "KB_REVIEW_MONTHS": _env_int("KB_REVIEW_MONTHS", 12),
        "MAX_ATTACHMENT_BYTES": _env_int("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024),
        "MAX_CONTENT_LENGTH": _env_int("MAX_REQUEST_BYTES", 30 * 1024 * 1024),
        "PUBLIC_URL": (_env("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "TRACKING_LINK_DAYS": _env_int("TRACKING_LINK_DAYS", 180),
        "CLASSIFY_THRESHOLD": float(_env("CLASSIFY_THRESHOLD") or 0.8),
        "CLASSIFY_ENABLED": _env_bool("CLASSIFY_ENABLED", True),
        #: New tickets are diagnosed by the background worker, or by the first agent who opens
        #: them, rather than during the request that files them (the production web server
        #: turns this on: see gunicorn.conf.py).
        "DIAGNOSIS_IN_BACKGROUND": _env_bool("DIAGNOSIS_IN_BACKGROUND", False),
        #: How often each process looks for a categoriser retrained on another node.
        "CLASSIFY_SYNC_SECONDS": float(_env("CLASSIFY_SYNC_SECONDS") or 60),
        #: How often the background worker retrains the categoriser (0: never).
        "CLASSIFY_RETRAIN_HOURS": float(_env("CLASSIFY_RETRAIN_HOURS") or 24),
        #: Failed sign-ins allowed without delay, per address (or known device) and per client;
        #: then each attempt waits twice as long as the last, from the first delay to the ceiling.
        "LOGIN_FREE_FAILURES": _env_int("LOGIN_FREE_FAILURES", 3),
        "LOGIN_CLIENT_FREE_FAILURES": _env_int("LOGIN_CLIENT_FREE_FAILURES", 10),
        "LOGIN_FIRST_DELAY_SECONDS": _env_int("LOGIN_FIRST_DELAY_SECONDS", 2),
        "LOGIN_MAX_DELAY_SECONDS": _env_int("LOGIN_MAX_DELAY_SECONDS", 60),
        "LOGIN_CLIENT_MAX_DELAY_SECONDS": _env_int("LOGIN_CLIENT_MAX_DELAY_SECONDS", 900),
        #: Counters in Redis are shared by every worker and host; memory:// by one worker only.
        "RATELIMIT_STORAGE_URI": _env("REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": _env("RATELIMIT_PREFIX") or "helpdesk",
        #: Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted.
        "PROXY_HOPS": _env_int("PROXY_HOPS", 0),
        "RATELIMIT_CONTACT": _env("RATELIMIT_CONTACT") or "10 per hour",
        "RATELIMIT_LOGIN": _env("RATELIMIT_LOGIN") or "20 per 10 minutes",
        #: Requests for tracking links sent again, per client and per address.
        "RATELIMIT_TRACKING_LINKS": _env("RATELIMIT_TRACKING_LINKS") or "5 per hour",
        #: Articles proposed while a request is typed (one request per pause in the typing).
        "RATELIMIT_SUGGEST": _env("RATELIMIT_SUGGEST") or "120 per minute;1500 per hour",
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "MAIL_FROM": _env("MAIL_FROM") or "Assistance EduConnect <assistance@ac-demo.fr>",
        "MAIL_REPLY_TO": _env("MAIL_REPLY_TO") or "assistance@ac-demo.fr",
        "SMTP_HOST": _env("SMTP_HOST") or "127.0.0.1",
        "SMTP_PORT": _env_int("SMTP_PORT", 25),
        "SMTP_SECURITY": _env("SMTP_SECURITY") or "none",
        "SMTP_USER": _env("SMTP_USER"),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "SMTP_TIMEOUT": _env_int("SMTP_TIMEOUT", 30),
        #: Extra CA bundle trusted for SMTP and IMAP (an académie's private CA).
        "MAIL_CA_FILE": _env("MAIL_CA_FILE"),
        #: Reply-To carries the ticket: assistance+2026-000123@... (the MTA must accept it).
        "MAIL_PLUS_ADDRESSING": _env_bool("MAIL_PLUS_ADDRESSING", False),
        "MAIL_REMINDER_DAYS": _env_int("MAIL_REMINDER_DAYS", 5),
        "MAIL_AUTOCLOSE_DAYS": _env_int("MAIL_AUTOCLOSE_DAYS", 10),
        "MAIL_RESOLVED_CLOSE_DAYS": _env_int("MAIL_RESOLVED_CLOSE_DAYS", 15),
        #: Days after its resolution during which the requester may reopen a request.
        "REOPEN_DAYS": _env_int("REOPEN_DAYS", 14),
        #: Demo mode: notifications are caught by the application (/courriels), never sent.
        "MAIL_SANDBOX": _env_bool("MAIL_SANDBOX", False),
        "MAIL_WORKER_INTERVAL": _env_int("MAIL_WORKER_INTERVAL", 10),
        #: Seconds between two passes of the background worker over received mail and the outbox.
        "WORKER_INTERVAL": float(_env("WORKER_INTERVAL") or 2),
        #: Seconds without a pass after which the administration says the worker is down.
        "WORKER_STALE_SECONDS": _env_int("WORKER_STALE_SECONDS", 300),
        "IMAP_HOST": _env("IMAP_HOST"),
        "IMAP_PORT": _env_int("IMAP_PORT", 993),
        "IMAP_SECURITY": _env("IMAP_SECURITY") or "ssl",
        "IMAP_USER": _env("IMAP_USER"),
        "IMAP_PASSWORD": _env("IMAP_PASSWORD"),
        "IMAP_FOLDER": _env("IMAP_FOLDER") or "INBOX",
        "IMAP_PROCESSED_FOLDER": _env("IMAP_PROCESSED_FOLDER") or "Traités",
        "SESSION_COOKIE_SECURE": _env_bool("COOKIE_SECURE", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": _env_int("SESSION_HOURS", 10) * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "QUEUE_PAGE_SIZE": 25,
        "RETENTION_DAYS": {
            kind: _env_int(f"RETENTION_{kind.upper()}_DAYS", days)
            for kind, days in RETENTION_DEFAULTS.items()
        },
        #: Rows removed per transaction by a retention run.
        "RETENTION_BATCH_SIZE": _env_int("RETENTION_BATCH_SIZE", 500),
        #: How often the background worker applies the retention rules (0: never).
        "RETENTION_RUN_HOURS": float(_env("RETENTION_RUN_HOURS") or 24),
    }
    if overrides:
        config.update(overrides)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _secret_key(Path(config["INSTANCE_PATH"]))
    return config
