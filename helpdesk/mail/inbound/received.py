"""Handle the messages a mail server stored raw: the background worker's share of ingestion.

``helpdesk mail ingest`` and ``helpdesk mail lmtp`` only store the bytes (status
``received``). Here the worker takes a batch of them: on PostgreSQL the rows another worker's
transaction holds are skipped (``FOR UPDATE SKIP LOCKED``); SQLite has one writer, whose
transaction begins with ``BEGIN IMMEDIATE``, so a second worker waits and then finds the rows
handled. It parses each, recognises a copy of a message already received under the same
Message-ID, and hands the rest to the same handling as the IMAP relève: a reply joins its
ticket, a new request becomes a categorised, diagnosed ticket. Each message is handled in a
savepoint, the batch in one transaction: a worker that dies leaves its batch ``received`` for
the next pass.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.core.context import ServiceContext
from helpdesk.core.db import session_scope
from helpdesk.core.dialect import skip_locked
from helpdesk.mail.inbound.ingest import IngestResult, handle_parsed
from helpdesk.mail.inbound.parsing import ParseLimits, parse_message
from helpdesk.mail.models import InboundMessage

BATCH_SIZE = 25


@dataclass
class ReceivedReport:
    handled: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        counts = ", ".join(f"{k} : {v}" for k, v in sorted(self.statuses.items()))
        return f"Courriels reçus traités : {self.handled} ({counts or 'aucun'})."


def claim_received(session: Session, limit: int = BATCH_SIZE) -> list[InboundMessage]:
    """The oldest stored messages no other worker is handling, locked for this transaction."""
    stmt = (
        select(InboundMessage)
        .where(InboundMessage.status == "received")
        .order_by(InboundMessage.id)
        .limit(limit)
    )
    return list(session.scalars(skip_locked(session, stmt)))


def handle_received(session: Session, ctx: ServiceContext, record: InboundMessage) -> IngestResult:
    """Parse and handle one stored message; flushes, the caller commits."""
    mail = parse_message(record.raw, ParseLimits(max_attachment_bytes=ctx.max_attachment_bytes))
    header_id = mail.message_id if mail.message_id and len(mail.message_id) <= 300 else None
    original = None
    if header_id is not None:
        original = session.scalar(
            select(InboundMessage).where(
                InboundMessage.message_id == header_id, InboundMessage.id != record.id
            )
        )
        if original is None:
            try:
                with session.begin_nested():
                    record.message_id = header_id
                    session.flush()
            except IntegrityError:  # another worker took this Message-ID a moment ago
                record.message_id = None
                original = session.scalar(
                    select(InboundMessage).where(InboundMessage.message_id == header_id)
                )
    record.from_address = (mail.from_address or None) and mail.from_address[:254]
    record.subject = (mail.subject or None) and mail.subject[:300]
    if original is not None:
        record.status = "duplicate"
        record.ticket_id = original.ticket_id
        record.error = (
            f"Même Message-ID que le message reçu n° {original.id} : non traité de nouveau."
        )
        session.flush()
        return IngestResult("duplicate", record.id, ticket_id=original.ticket_id)
    return handle_parsed(session, ctx, mail, record)


def process_received(
    factory: sessionmaker[Session], ctx: ServiceContext, limit: int = BATCH_SIZE
) -> ReceivedReport:
    """Handle one batch of stored messages in one transaction."""
    report = ReceivedReport()
    with session_scope(factory) as session:
        for record in claim_received(session, limit):
            result = handle_received(session, ctx, record)
            report.handled += 1
            report.statuses[result.status] += 1
    return report
