"""Keep a received message, raw, for the background worker: what a mail server waits for.

A mail server hands each message to ``helpdesk mail ingest`` (one process per message) or to
``helpdesk mail lmtp``. Both only store the bytes in ``inbound_message`` with the status
``received`` and answer; the worker parses, threads, categorises and diagnoses later
(:func:`helpdesk.mail.inbound.ingest.handle_received`). Storing goes through the database
driver alone (:mod:`helpdesk.core.driver`): no app, no ORM, no categoriser, so that the mail
server's delivery costs a few milliseconds of CPU.

The same bytes delivered twice (a retry after a lost answer) are stored once. When the
database cannot be reached the message is refused with a temporary failure, and the mail
server keeps it and tries again: a message is never lost.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO, TextIO

from helpdesk.core.driver import DatabaseUnavailable, DriverConnection, connect

#: sysexits' EX_TEMPFAIL: the mail server keeps the message and tries again later.
EX_TEMPFAIL = 75

_INSERT = (
    "INSERT INTO inbound_message (sha256, raw, size, status, received_at) "
    "VALUES (:sha256, :raw, :size, 'received', :received_at) "
    "ON CONFLICT (sha256) DO NOTHING RETURNING id"
)
_FIND = "SELECT id FROM inbound_message WHERE sha256 = :sha256"


@dataclass(frozen=True)
class Stored:
    #: 'received' (stored now) or 'duplicate' (the same bytes were stored before).
    status: str
    inbound_id: int | None

    def line(self) -> str:
        return f"{self.status} {self.inbound_id}" if self.inbound_id else self.status


def store_raw(connection: DriverConnection, raw: bytes, now: datetime | None = None) -> Stored:
    """Store one message and commit; raises DatabaseUnavailable when it could not be."""
    raw = bytes(raw or b"")
    digest = hashlib.sha256(raw).hexdigest()
    received_at = connection.timestamp(now or datetime.now(UTC))
    rows = connection.execute(
        _INSERT, {"sha256": digest, "raw": raw, "size": len(raw), "received_at": received_at}
    )
    if rows:
        connection.commit()
        return Stored("received", rows[0][0])
    found = connection.execute(_FIND, {"sha256": digest})
    connection.rollback()
    return Stored("duplicate", found[0][0] if found else None)


def ingest_stream(
    url: str, stdin: BinaryIO, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr
) -> int:
    """``helpdesk mail ingest``: store the message read on stdin; the exit code for the MTA."""
    raw = stdin.read()
    try:
        connection = connect(url)
        try:
            stored = store_raw(connection, raw)
        finally:
            connection.close()
    except DatabaseUnavailable as exc:
        print(f"Message non enregistré, à présenter de nouveau : {exc}", file=stderr)
        return EX_TEMPFAIL
    print(stored.line(), file=stdout)
    return 0


def main() -> int:
    """Entry of the mail server's pipe, before any framework is imported."""
    from helpdesk.core.config import database_url

    return ingest_stream(database_url(), sys.stdin.buffer)
