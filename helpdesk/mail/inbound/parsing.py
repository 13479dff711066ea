"""Parse raw inbound e-mail into a plain, safe structure; never raise."""

from __future__ import annotations

import email
import email.utils
import re
from collections.abc import Iterator
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
    header_addresses,
    header_date,
    header_text,
    message_ids,
    raw_header,
    raw_headers,
)
from helpdesk.mail.inbound.html import html_to_text, sanitise_html
from helpdesk.mail.inbound.mime import (
    OLE_MAGIC,
    PartHeaders,
    load_message,
    looks_binary,
    payload_bytes,
    read_headers,
    serialise,
    unflow,
)
from helpdesk.mail.inbound.parsed import ParsedMail
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
        if raw.startswith(OLE_MAGIC):
            return _unparseable(
                raw,
                "Le fichier est un message Outlook (.msg) et non un message électronique "
                "au format standard (.eml).",
            )
        if looks_binary(raw):
            return _unparseable(
                raw, "Le contenu n'est pas un message électronique (données binaires)."
            )
        try:
            msg = load_message(raw)
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

        top = read_headers(msg)
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
    def _leaves(self, msg: Message) -> Iterator[tuple[Message, PartHeaders]]:
        stack: list[tuple[Message, int]] = [(msg, 0)]
        seen = 0
        while stack:
            part, depth = stack.pop()
            seen += 1
            if seen > self.limits.max_parts:
                self._warn("Le message contient trop de parties : les dernières sont ignorées.")
                return
            headers = read_headers(part)
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
                self._attachment(part, headers, ctype, headers.filename, payload_bytes(part))

    def _body(self, part: Message, ctype: str, headers: PartHeaders) -> None:
        data = payload_bytes(part)
        charset = headers.params.get("charset") or None
        if ctype == "text/html" and not normalise_charset(charset):
            meta = _META_CHARSET_RE.search(data[:4096])
            charset = meta.group(1).decode("ascii") if meta else charset
        text = clean_text(decode_bytes(data, charset))
        if ctype == "text/html":
            self.html.append(text)
            return
        if headers.params.get("format", "").lower() == "flowed":
            text = unflow(text, headers.params.get("delsp", "").lower() == "yes")
        self.plain.append(text)

    def _attachment(
        self,
        part: Message,
        headers: PartHeaders,
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

    def _embedded_message(self, part: Message, headers: PartHeaders) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message):
            data = serialise(inner)
            ids = message_ids(raw_header(inner, "Message-ID"))
            subject = header_text(inner, "Subject")
        else:
            data, ids, subject = payload_bytes(part), [], ""
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
                text = decode_bytes(payload_bytes(part))
                self.status_blocks += classify.delivery_status_blocks(text)
                self.report_texts.append(text)
            return
        if ctype.endswith("headers"):
            inner = blocks[0] if blocks and isinstance(blocks[0], Message) else None
            if inner is None:
                inner = email.message_from_bytes(payload_bytes(part), policy=policy.compat32)
            ids = message_ids(raw_header(inner, "Message-ID"))
            if ids and self.original_message_id is None:
                self.original_message_id = ids[0]

    def _text(self) -> str:
        plain = "\n\n".join(body.strip("\n") for body in self.plain if body.strip())
        if plain.strip():
            return plain
        rendered = [html_to_text(body) for body in self.html if body.strip()]
        return "\n\n".join(text for text in rendered if text.strip())
