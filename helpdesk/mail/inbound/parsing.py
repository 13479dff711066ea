"""Parse raw inbound e-mail into a plain, safe structure; never raise."""

from __future__ import annotations

import email
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import Message

from helpdesk.mail.inbound import autoreplies as classify
from helpdesk.mail.inbound.attachments import (
    Attachment,
    ParseLimits,
    SkippedAttachment,
    refusal_reason,
)
from helpdesk.mail.inbound.charsets import clean_text, decode_bytes, normalise_charset
from helpdesk.mail.inbound.headers import (
    MailAddress,
    decode_rfc2047,
    header_addresses,
    header_date,
    header_text,
    message_ids,
    raw_header,
    raw_headers,
)
from helpdesk.mail.inbound.html import html_to_text, sanitise_html
from helpdesk.mail.inbound.quotes import split_reply
from helpdesk.tickets.attachments import effective_type, sanitise_filename

__all__ = [
    "Attachment",
    "MailAddress",
    "ParseLimits",
    "ParsedMail",
    "SkippedAttachment",
    "parse_message",
]

_KNOWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "received",
        "return-path",
        "delivered-to",
        "reply-to",
        "sender",
        "in-reply-to",
        "references",
        "x-mailer",
        "user-agent",
        "x-original-to",
        "envelope-to",
        "dkim-signature",
        "auto-submitted",
    }
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_PROBE = 4096
MAX_SUBJECT_CHARS = 1000
_REPORT_TYPES = frozenset(
    {
        "message/delivery-status",
        "message/global-delivery-status",
        "message/disposition-notification",
        "message/global-disposition-notification",
        "text/rfc822-headers",
        "message/rfc822-headers",
        "message/global-headers",
        "message/feedback-report",
    }
)
_EMBEDDED_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
_IGNORED_BODY_TYPES = frozenset({"text/x-amp-html", "text/watch-html"})
_META_CHARSET_RE = re.compile(
    rb"<meta[^>]{0,200}charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]{1,40})", re.I
)
_CONTENT_ID_RE = re.compile(r"[^\x21-\x7e]")


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


def parse_message(raw: bytes, limits: ParseLimits | None = None) -> ParsedMail:
    """Parse raw RFC 5322 bytes. Never raises: unusable input gives ``is_unparseable``."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    elif not isinstance(raw, bytes):
        try:
            raw = bytes(raw)
        except (TypeError, ValueError):
            return _unparseable(b"", "Le message est vide ou illisible.")
    try:
        return _Parser(raw, limits or ParseLimits()).parse()
    except Exception as exc:  # last line of defence: parsing must never break ingestion
        return _unparseable(raw, f"Le message n'a pas pu être analysé ({type(exc).__name__}).")


def _unparseable(raw: bytes, reason: str, text: str = "") -> ParsedMail:
    return ParsedMail(raw=raw, is_unparseable=True, error=reason, text=text)


def _looks_binary(raw: bytes) -> bool:
    """A header section holding NUL bytes or many control bytes is no mail."""
    probe = raw[:_BINARY_PROBE]
    end = min((i for i in (probe.find(b"\n\n"), probe.find(b"\r\n\r\n")) if i >= 0), default=-1)
    if end >= 0:
        probe = probe[:end]
    if b"\x00" in probe:
        return True
    controls = sum(1 for byte in probe if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(probe) // 20


def _load(raw: bytes) -> Message:
    try:
        return email.message_from_bytes(raw, policy=policy.default)
    except Exception:  # the modern policy may raise on malformed structure: try the old one
        return email.message_from_bytes(raw, policy=policy.compat32)


@dataclass(frozen=True, slots=True)
class _PartHeaders:
    """Content-Type and Content-Disposition of one part, each parsed once."""

    content_type: str
    params: dict[str, str]
    disposition: str
    disposition_params: dict[str, str]

    @property
    def filename(self) -> str | None:
        name = self.disposition_params.get("filename") or self.params.get("name")
        if not name:
            return None
        if "=?" in name:
            name = decode_rfc2047(name)
        return clean_text(name).strip() or None


def _header_object(part: Message, name: str) -> object | None:
    try:
        return part.get(name)
    except Exception:  # the modern policy may raise on malformed input
        return raw_header(part, name)


def _params_of(part: Message, header: object | None, name: str) -> dict[str, str]:
    params = getattr(header, "params", None)
    if params is not None:
        try:
            return {str(key).lower(): str(value) for key, value in params.items()}
        except Exception:  # the modern policy may raise on malformed input
            pass
    try:
        pairs = part.get_params(header=name, failobj=[]) or []
    except Exception:  # unreadable parameters: none
        return {}
    result: dict[str, str] = {}
    for key, value in pairs[1:]:
        if isinstance(value, tuple):
            value = email.utils.collapse_rfc2231_value(value)
        result.setdefault(str(key).lower(), str(value or "").strip().strip('"'))
    return result


def _read_headers(part: Message) -> _PartHeaders:
    header = _header_object(part, "Content-Type")
    ctype = str(getattr(header, "content_type", "") or "").lower()
    if not ctype:
        value = str(header or "").split(";", 1)[0].strip().lower()
        ctype = value if value.count("/") == 1 and " " not in value else ""
    if not ctype:
        try:
            ctype = part.get_default_type().lower()
        except Exception:  # a default of the structure itself
            ctype = "text/plain"
    disposition_header = _header_object(part, "Content-Disposition")
    disposition = str(getattr(disposition_header, "content_disposition", "") or "")
    if not disposition and disposition_header is not None:
        disposition = str(disposition_header).split(";", 1)[0]
    return _PartHeaders(
        content_type=ctype,
        params=_params_of(part, header, "content-type"),
        disposition=disposition.strip().lower(),
        disposition_params=_params_of(part, disposition_header, "content-disposition"),
    )


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: keep the bytes as they came
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", "surrogateescape")
    return b""


def _serialise(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=policy.compat32)
    except Exception:  # a message that cannot be written back out: keep its text form
        try:
            return message.as_string(policy=policy.compat32).encode("utf-8", "surrogateescape")
        except Exception:  # nothing better to keep
            return b""


def _unflow(text: str, delsp: bool) -> str:
    """Join format=flowed soft line breaks (RFC 3676)."""
    out: list[str] = []
    buffer = ""
    for line in text.split("\n"):
        if line == "-- ":
            if buffer:
                out.append(buffer)
                buffer = ""
            out.append(line)
            continue
        body = line[1:] if line.startswith(" ") else line
        if body.endswith(" ") and not body.startswith(">"):
            buffer += body[:-1] if delsp else body
        else:
            out.append(buffer + body)
            buffer = ""
    if buffer:
        out.append(buffer)
    return "\n".join(out)


class _Parser:
    def __init__(self, raw: bytes, limits: ParseLimits) -> None:
        self.raw = raw
        self.limits = limits
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments: list[Attachment] = []
        self.skipped: list[SkippedAttachment] = []
        self.warnings: list[str] = []
        self.total_bytes = 0
        self.status_blocks: list[dict[str, str]] = []
        self.report_texts: list[str] = []
        self.original_message_id: str | None = None

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def parse(self) -> ParsedMail:
        raw = self.raw
        if not raw.strip():
            return _unparseable(raw, "Le message est vide.")
        if raw.startswith(_OLE_MAGIC):
            return _unparseable(
                raw,
                "Le fichier est un message Outlook (.msg) et non un message électronique "
                "au format standard (.eml).",
            )
        if _looks_binary(raw):
            return _unparseable(
                raw, "Le contenu n'est pas un message électronique (données binaires)."
            )
        try:
            msg = _load(raw)
        except RecursionError:
            return _unparseable(raw, "La structure du message est trop profondément imbriquée.")
        except Exception as exc:  # neither policy could read it
            return _unparseable(raw, f"Le message n'a pas pu être analysé ({type(exc).__name__}).")
        names = {name.lower() for name, _ in msg.raw_items()}
        if not names & _KNOWN_HEADERS:
            return _unparseable(
                raw,
                "Aucun en-tête de message électronique n'a été trouvé.",
                text=clean_text(decode_bytes(raw[: 2 * 1024 * 1024])).strip(),
            )
        return self._build(msg)

    def _build(self, msg: Message) -> ParsedMail:
        senders, ambiguous = header_addresses(msg, "From")
        if not senders:
            senders, _ = header_addresses(msg, "Sender")
        if ambiguous:
            self._warn("L'adresse de l'expéditeur est ambiguë (en-tête From mal formé).")
        to, _ = header_addresses(msg, "To")
        cc, _ = header_addresses(msg, "Cc")
        reply_to, _ = header_addresses(msg, "Reply-To")
        delivered: list[str] = []
        for name in ("Delivered-To", "X-Original-To", "Envelope-To"):
            found, _ = header_addresses(msg, name)
            delivered += [item.address for item in found]
        subject = header_text(msg, "Subject")[:MAX_SUBJECT_CHARS]
        in_reply_to = message_ids(raw_header(msg, "In-Reply-To"))
        references = message_ids(" ".join(raw_headers(msg, "References")))
        own_ids = message_ids(raw_header(msg, "Message-ID"))

        self._walk(msg)
        text = self._text()
        html = "\n".join(sanitise_html(body).strip() for body in self.html if body.strip())

        top = _read_headers(msg)
        report_type = ""
        if top.content_type == "multipart/report":
            report_type = top.params.get("report-type", "").lower()
        headers = {name.lower(): str(value) for name, value in msg.raw_items()}
        sender = senders[0] if senders else MailAddress("")
        failed, everyone = classify.parse_delivery_status(self.status_blocks)
        for value in raw_headers(msg, "X-Failed-Recipients"):
            failed += classify.addresses_in(value)
        is_bounce = classify.is_bounce(
            from_address=sender.address,
            from_name=sender.name,
            subject=subject,
            report_type=report_type,
            status_recipients=len(everyone),
            failed_recipients=len(failed),
        )
        bounced: list[str] = []
        if is_bounce:
            own = [sender.address] + [item.address for item in to]
            bounced = failed or classify.recipients_from_text(
                "\n".join([text, *self.report_texts]), exclude=own
            )
            bounced = list(dict.fromkeys(address.lower() for address in bounced))
        return ParsedMail(
            raw=self.raw,
            from_address=sender.address,
            from_name=sender.name,
            to=to,
            cc=cc,
            reply_to=reply_to,
            delivered_to=list(dict.fromkeys(delivered)),
            subject=subject,
            date=header_date(msg),
            message_id=own_ids[0] if own_ids else None,
            in_reply_to=in_reply_to[0] if in_reply_to else None,
            references=references,
            is_auto_reply=classify.is_auto_reply(headers, subject, report_type),
            is_bounce=is_bounce,
            bounced_recipients=bounced,
            original_message_id=self.original_message_id if is_bounce else None,
            text=text,
            html_sanitised=html,
            attachments=self.attachments,
            skipped=self.skipped,
            is_sender_ambiguous=ambiguous,
            warnings=self.warnings,
        )

    # -- structure ------------------------------------------------------------------
    def _leaves(self, msg: Message) -> Iterator[tuple[Message, _PartHeaders]]:
        stack: list[tuple[Message, int]] = [(msg, 0)]
        seen = 0
        while stack:
            part, depth = stack.pop()
            seen += 1
            if seen > self.limits.max_parts:
                self._warn("Le message contient trop de parties : les dernières sont ignorées.")
                return
            headers = _read_headers(part)
            payload = part.get_payload()
            if headers.content_type.startswith("multipart/") and isinstance(payload, list):
                if depth >= self.limits.max_depth:
                    self._warn(
                        "La structure du message est trop imbriquée : "
                        "les parties les plus profondes sont ignorées."
                    )
                    continue
                children = [child for child in payload if isinstance(child, Message)]
                stack.extend((child, depth + 1) for child in reversed(children))
                continue
            yield part, headers

    def _walk(self, msg: Message) -> None:
        for part, headers in self._leaves(msg):
            ctype = headers.content_type
            if ctype in _EMBEDDED_MESSAGE_TYPES:
                self._embedded_message(part, headers)
            elif ctype in _REPORT_TYPES:
                self._report(part, ctype)
            elif ctype.startswith("multipart/"):
                # A multipart without a usable boundary: its body is plain text.
                self._body(part, "text/plain", headers)
            elif ctype in _IGNORED_BODY_TYPES:
                continue
            elif (
                ctype in {"text/plain", "text/html"}
                and headers.disposition != "attachment"
                and not headers.filename
            ):
                self._body(part, ctype, headers)
            else:
                self._attachment(part, headers, ctype, headers.filename, _payload_bytes(part))

    def _body(self, part: Message, ctype: str, headers: _PartHeaders) -> None:
        data = _payload_bytes(part)
        charset = headers.params.get("charset") or None
        if ctype == "text/html" and not normalise_charset(charset):
            meta = _META_CHARSET_RE.search(data[:4096])
            charset = meta.group(1).decode("ascii") if meta else charset
        text = clean_text(decode_bytes(data, charset))
        if ctype == "text/html":
            self.html.append(text)
            return
        if headers.params.get("format", "").lower() == "flowed":
            text = _unflow(text, headers.params.get("delsp", "").lower() == "yes")
        self.plain.append(text)

    def _attachment(
        self,
        part: Message,
        headers: _PartHeaders,
        ctype: str,
        filename: str | None,
        data: bytes,
    ) -> None:
        name = sanitise_filename(filename, ctype)
        reason = refusal_reason(name, ctype, len(data), self.total_bytes, self.limits)
        if reason:
            self.skipped.append(SkippedAttachment(name, ctype, len(data), reason))
            return
        content_id = raw_header(part, "Content-ID")
        if content_id is not None:
            content_id = _CONTENT_ID_RE.sub("", content_id).strip("<>")[:250] or None
        disposition = headers.disposition
        is_inline = disposition != "attachment" and (
            disposition == "inline" or content_id is not None
        )
        self.total_bytes += len(data)
        self.attachments.append(
            Attachment(
                filename=name,
                content_type=effective_type(ctype, name),
                data=data,
                is_inline=is_inline,
                content_id=content_id,
            )
        )

    def _embedded_message(self, part: Message, headers: _PartHeaders) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message):
            data = _serialise(inner)
            ids = message_ids(raw_header(inner, "Message-ID"))
            subject = header_text(inner, "Subject")
        else:
            data, ids, subject = _payload_bytes(part), [], ""
        if ids and self.original_message_id is None:
            self.original_message_id = ids[0]
        filename = headers.filename or f"{subject[:80] or 'message'}.eml"
        self._attachment(part, headers, "message/rfc822", filename, data)

    def _report(self, part: Message, ctype: str) -> None:
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        if ctype.endswith("delivery-status"):
            if blocks:
                for block in blocks:
                    if isinstance(block, Message):
                        fields = {name.lower(): str(value) for name, value in block.raw_items()}
                        self.status_blocks.append(fields)
            else:
                text = decode_bytes(_payload_bytes(part))
                self.status_blocks += classify.delivery_status_blocks(text)
                self.report_texts.append(text)
            return
        if ctype.endswith("headers"):
            inner = blocks[0] if blocks and isinstance(blocks[0], Message) else None
            if inner is None:
                inner = email.message_from_bytes(_payload_bytes(part), policy=policy.compat32)
            ids = message_ids(raw_header(inner, "Message-ID"))
            if ids and self.original_message_id is None:
                self.original_message_id = ids[0]

    def _text(self) -> str:
        plain = "\n\n".join(body.strip("\n") for body in self.plain if body.strip())
        if plain.strip():
            return plain
        rendered = [html_to_text(body) for body in self.html if body.strip()]
        return "\n\n".join(text for text in rendered if text.strip())
