"""``helpdesk mail lmtp``: an LMTP listener a mail server delivers to (RFC 2033).

Postfix, Exim or any MTA with an LMTP client hands its messages over a connection it keeps
open, instead of starting a process per message. Each message is stored raw, as
``helpdesk mail ingest`` does (:mod:`helpdesk.mail.inbound.store`), and the background worker
makes it a ticket. LMTP answers once per recipient after the data: every recipient gets
``250`` once the message is stored, or ``451`` (try again later) when the database cannot be
reached, so the mail server keeps the message and nothing is lost.

Each envelope recipient is recorded as a ``Delivered-To`` header, as a local delivery agent
does, so that a reply to ``assistance+2026-000123@…`` finds its ticket.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import Envelope, Session

from helpdesk.core.driver import DatabaseUnavailable, DriverConnection, connect
from helpdesk.mail.inbound.store import Stored, store_raw

logger = logging.getLogger(__name__)

#: Replies are ASCII: the listener does not announce SMTPUTF8.
STORED = "250 2.0.0 <{rcpt}> message stored ({detail})"
TEMPORARY_FAILURE = "451 4.3.0 <{rcpt}> database unavailable, try again later"


class StoreHandler:
    """aiosmtpd handler: store each message through one connection, in a thread of its own."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lmtp-store")
        self._connection: DriverConnection | None = None

    def _store(self, raw: bytes) -> Stored:
        """Store on the kept connection; a broken one is replaced once before giving up."""
        for attempt in (1, 2):
            try:
                if self._connection is None:
                    self._connection = connect(self.url)
                return store_raw(self._connection, raw)
            except DatabaseUnavailable:
                if self._connection is not None:
                    self._connection.close()
                    self._connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def handle_DATA(self, server: LMTP, session: Session, envelope: Envelope) -> str:
        recipients = list(envelope.rcpt_tos)
        raw = envelope.original_content or b""
        delivered = b"".join(f"Delivered-To: {rcpt}\r\n".encode() for rcpt in recipients)
        loop = asyncio.get_running_loop()
        try:
            stored = await loop.run_in_executor(self._executor, self._store, delivered + raw)
        except DatabaseUnavailable as exc:
            logger.error("LMTP delivery refused for now: %s", type(exc.__cause__).__name__)
            return "\r\n".join(TEMPORARY_FAILURE.format(rcpt=rcpt) for rcpt in recipients)
        return "\r\n".join(STORED.format(rcpt=rcpt, detail=stored.line()) for rcpt in recipients)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        if self._connection is not None:
            self._connection.close()


async def listen(
    url: str, host: str, port: int, max_size: int, stop: asyncio.Event, ready=None
) -> None:
    """Serve until ``stop`` is set; ``ready(port)`` is called once the socket listens."""
    handler = StoreHandler(url)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: LMTP(handler, data_size_limit=max_size, ident="helpdesk LMTP"), host, port
    )
    if ready is not None:
        ready(server.sockets[0].getsockname()[1])
    try:
        await stop.wait()
    finally:
        server.close()
        await server.wait_closed()
        handler.close()


def serve(url: str, host: str, port: int, max_size: int) -> None:
    """Run the listener until SIGTERM or SIGINT."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)

        def ready(bound: int) -> None:
            print(f"LMTP : à l'écoute sur {host}:{bound}", flush=True)

        await listen(url, host, port, max_size, stop, ready)

    asyncio.run(main())
