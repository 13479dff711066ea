"""The plain, safe structure an inbound mail is read into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from helpdesk.mail.inbound.attachments import (
    Attachment,
    SkippedAttachment,
)
from helpdesk.mail.inbound.headers import (
    MailAddress,
)
from helpdesk.mail.inbound.quotes import split_reply


@dataclass(slots=True)
class ParsedMail:
    """Everything the helpdesk needs from one inbound message.

    Addresses are plain strings (domain lower-cased); message ids keep their angle brackets
    (``<id@host>``); ``date`` is aware (UTC when the message gave no zone) or None.
    ``text`` is the body as plain text (text/plain preferred, else rendered HTML), quoted
    history included: ``reply_parts()`` splits it. ``html_sanitised`` may reference inline
    attachments as ``cid:<content_id>``. Bounces usually count as automatic replies too:
    test ``is_bounce`` first. ``original_message_id`` is the id of the message a bounce
    returns, when the report carries it.
    """

    raw: bytes = field(repr=False)
    from_address: str = ""
    from_name: str = ""
    to: list[MailAddress] = field(default_factory=list)
    cc: list[MailAddress] = field(default_factory=list)
    reply_to: list[MailAddress] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    subject: str = ""
    date: datetime | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    is_auto_reply: bool = False
    is_bounce: bool = False
    bounced_recipients: list[str] = field(default_factory=list)
    original_message_id: str | None = None
    text: str = ""
    html_sanitised: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    skipped: list[SkippedAttachment] = field(default_factory=list)
    is_sender_ambiguous: bool = False
    is_unparseable: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def sender(self) -> MailAddress | None:
        if not self.from_address:
            return None
        return MailAddress(self.from_address, self.from_name)

    @property
    def reply_address(self) -> str:
        """Where an answer goes: the first Reply-To address, else the sender."""
        return self.reply_to[0].address if self.reply_to else self.from_address

    @property
    def recipient_addresses(self) -> list[str]:
        """To, Cc and envelope recipients, for finding plus-tagged reply addresses."""
        addresses = [item.address for item in self.to + self.cc] + self.delivered_to
        return list(dict.fromkeys(addresses))

    @property
    def thread_message_ids(self) -> list[str]:
        """Ids this message answers, the most recent first: In-Reply-To, then References."""
        ids = ([self.in_reply_to] if self.in_reply_to else []) + self.references[::-1]
        if self.original_message_id:
            ids.append(self.original_message_id)
        return list(dict.fromkeys(ids))

    def reply_parts(self) -> tuple[str, str, str]:
        """``(new_text, quoted_text, signature)`` of the body; see ``quotes.split_reply``."""
        return split_reply(self.text)
