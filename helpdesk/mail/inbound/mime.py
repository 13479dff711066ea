"""MIME parts read defensively: a part's headers and parameters, its payload, flowed text,
and the probes that tell a mail from a binary file."""

from __future__ import annotations

import email
import email.utils
from dataclasses import dataclass
from email import policy
from email.message import Message

from helpdesk.mail.inbound.charsets import clean_text
from helpdesk.mail.inbound.headers import (
    decode_rfc2047,
    raw_header,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_PROBE = 4096


def looks_binary(raw: bytes) -> bool:
    """A header section holding NUL bytes or many control bytes is no mail."""
    probe = raw[:_BINARY_PROBE]
    end = min((i for i in (probe.find(b"\n\n"), probe.find(b"\r\n\r\n")) if i >= 0), default=-1)
    if end >= 0:
        probe = probe[:end]
    if b"\x00" in probe:
        return True
    controls = sum(1 for byte in probe if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(probe) // 20


def load_message(raw: bytes) -> Message:
    try:
        return email.message_from_bytes(raw, policy=policy.default)
    except Exception:  # the modern policy may raise on malformed structure: try the old one
        return email.message_from_bytes(raw, policy=policy.compat32)


@dataclass(frozen=True, slots=True)
class PartHeaders:
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


def read_headers(part: Message) -> PartHeaders:
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
    return PartHeaders(
        content_type=ctype,
        params=_params_of(part, header, "content-type"),
        disposition=disposition.strip().lower(),
        disposition_params=_params_of(part, disposition_header, "content-disposition"),
    )


def payload_bytes(part: Message) -> bytes:
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


def serialise(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=policy.compat32)
    except Exception:  # a message that cannot be written back out: keep its text form
        try:
            return message.as_string(policy=policy.compat32).encode("utf-8", "surrogateescape")
        except Exception:  # nothing better to keep
            return b""


def unflow(text: str, delsp: bool) -> str:
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
