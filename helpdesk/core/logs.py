"""Log records without secrets or personal data, whichever logger or handler writes them.

Tracking links are bearer tokens: whoever reads an access log line holding ``/suivi/<token>``
can read the parent's request. E-mail addresses are personal data. Both are masked in every
record of the process: werkzeug's and gunicorn's access lines, the application's own messages,
exception texts. SQL parameters never reach the logs because the engine hides them
(``hide_parameters`` in :func:`helpdesk.core.db.make_engine`).

The masking happens when a record is created (a record factory), so it holds for handlers
added later too (gunicorn's, a test's capture); :class:`ScrubFilter` gives the same for a
``logging.config.dictConfig`` set-up of its own.
"""

from __future__ import annotations

import logging
import re

MASK = "***"

_TRACKING_RE = re.compile(r"(/suivi/)[A-Za-z0-9_.\-]{8,}")
_TOKEN_PARAM_RE = re.compile(r"((?:token|jeton|code|password|mot_de_passe)=)[^&\s\"']+", re.I)
# Also as percent-encoded in a query string (``%40``).
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+(@|%40)([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)", re.I)


def scrub(text: str) -> str:
    """Mask tracking tokens, secret query parameters and the local part of e-mail addresses."""
    if "/suivi/" in text:
        text = _TRACKING_RE.sub(rf"\1{MASK}", text)
    if "=" in text:
        text = _TOKEN_PARAM_RE.sub(rf"\1{MASK}", text)
    if "@" in text or "%40" in text:
        text = _EMAIL_RE.sub(rf"{MASK}\1\2", text)
    return text


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's message by its scrubbed text (arguments folded in)."""
    if getattr(record, "scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: let logging report it as it would
        return record
    cleaned = scrub(message)
    if cleaned != message or record.args:
        record.msg, record.args = cleaned, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = scrub(record.exc_text)
    record.scrubbed = True
    return record


class ScrubFilter(logging.Filter):
    """The same masking as a filter, for handlers configured by ``dictConfig``."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


def install() -> None:
    """Scrub every record this process creates from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "helpdesk_scrubbing", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        return scrub_record(current(*args, **kwargs))

    factory.helpdesk_scrubbing = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
