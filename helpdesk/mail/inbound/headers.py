"""Read message headers leniently: text, addresses, dates and message ids."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.message import Message
from email.utils import getaddresses, parsedate_tz

from helpdesk.mail.inbound.charsets import clean_text, decode_bytes, repair_surrogates
from helpdesk.util.text import single_line

MAX_HEADER_CHARS = 20_000
MAX_MESSAGE_IDS = 100

_ENCODED_WORD_RE = re.compile(r"=\?([^?\s]{1,75})\?([bBqQ])\?([^?\s]*)\?=")
_FOLD_RE = re.compile(r"\r?\n[ \t]*")
_QP_ESCAPE_RE = re.compile(rb"=([0-9A-Fa-f]{2})")
_B64_JUNK_RE = re.compile(rb"[^A-Za-z0-9+/]")
_MESSAGE_ID_RE = re.compile(r"<([^<>\s]{1,900})>")
_BARE_ID_RE = re.compile(r"[^<>\s@]{1,450}@[^<>\s@]{1,450}")
_ANGLE_ADDR_RE = re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>")
_ADDRESS_RE = re.compile(r"^[^\s@<>(),;:\"\[\]\\]{1,64}@[^\s@<>(),;:\"\[\]\\]{1,255}$")


@dataclass(frozen=True, slots=True)
class MailAddress:
    """One mailbox: the address (domain lower-cased) and its decoded display name."""

    address: str
    name: str = ""

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


def raw_headers(msg: Message, name: str) -> list[str]:
    """Return the raw values of a header, untouched by any policy."""
    wanted = name.lower()
    return [str(value) for key, value in msg.raw_items() if key.lower() == wanted]


def raw_header(msg: Message, name: str) -> str | None:
    values = raw_headers(msg, name)
    return values[0] if values else None


def _lenient_b64(text: str) -> bytes:
    data = _B64_JUNK_RE.sub(b"", text.encode("ascii", "ignore"))
    if len(data) % 4 == 1:
        data = data[:-1]
    data += b"=" * (-len(data) % 4)
    try:
        return base64.b64decode(data)
    except (binascii.Error, ValueError):
        return b""


def _lenient_q(text: str) -> bytes:
    data = text.replace("_", " ").encode("utf-8", "surrogateescape")
    return _QP_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def decode_rfc2047(value: str) -> str:
    """Decode encoded words leniently: bad padding, unknown charsets, split characters."""
    value = _FOLD_RE.sub(" ", value[:MAX_HEADER_CHARS])
    pieces: list[str] = []
    pending: bytes = b""
    pending_charset: str | None = None
    pos = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending:
            pieces.append(decode_bytes(pending, pending_charset))
        pending, pending_charset = b"", None

    for match in _ENCODED_WORD_RE.finditer(value):
        between = value[pos : match.start()]
        pos = match.end()
        if between and not (pending and not between.strip()):
            flush()
            pieces.append(repair_surrogates(between))
        charset = match.group(1).split("*", 1)[0]
        encoding = match.group(2).lower()
        data = _lenient_b64(match.group(3)) if encoding == "b" else _lenient_q(match.group(3))
        if pending and charset.lower() != (pending_charset or "").lower():
            flush()
        pending += data
        pending_charset = charset
    flush()
    pieces.append(repair_surrogates(value[pos:]))
    return "".join(pieces)


def _single_line(text: str) -> str:
    return single_line(clean_text(text))


def header_text(msg: Message, name: str) -> str:
    """Return a decoded unstructured header (e.g. Subject) as one clean line."""
    raw = raw_header(msg, name)
    if raw is None:
        return ""
    text = ""
    if len(raw) <= MAX_HEADER_CHARS:
        try:
            value = msg[name]
            text = str(value) if value is not None else ""
        except Exception:  # the modern policy may raise on malformed input
            text = ""
    if not text or "\ufffd" in text or "=?" in text:
        text = decode_rfc2047(raw)
    return _single_line(text)[:MAX_HEADER_CHARS]


def _clean_address(address: str) -> str | None:
    address = repair_surrogates(address.strip().strip("<>").strip())
    if not _ADDRESS_RE.match(address):
        return None
    local, _, domain = address.rpartition("@")
    domain = domain.lower().rstrip(".")
    if not local or not domain:
        return None
    return f"{local}@{domain}"


def _modern_addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    try:
        header = msg[name]
    except Exception:  # the modern policy may raise on malformed input
        return []
    pairs: list[tuple[str, str]] = []
    for item in getattr(header, "addresses", ()) or ():
        address = f"{item.username}@{item.domain}" if item.domain else item.username
        pairs.append((str(item.display_name or ""), address))
    return pairs


def header_addresses(msg: Message, name: str) -> tuple[list[MailAddress], bool]:
    """Return the valid addresses of a header and whether its reading was ambiguous.

    The header is ambiguous when the modern parser and the lenient one disagree, which is
    how spoofing tricks such as ``"a@bank.example" <evil@example.org>`` show up.
    """
    raws = [value[:MAX_HEADER_CHARS] for value in raw_headers(msg, name)]
    if not raws:
        return [], False
    lenient = getaddresses([_FOLD_RE.sub(" ", raw) for raw in raws])
    modern = _modern_addresses(msg, name)
    lenient_set = {_clean_address(addr) for _, addr in lenient} - {None}
    modern_set = {_clean_address(addr) for _, addr in modern} - {None}
    ambiguous = bool(lenient_set or modern_set) and lenient_set != modern_set
    chosen = modern if modern_set else lenient
    if ambiguous and name.lower() in {"from", "sender", "reply-to"}:
        angle = {_clean_address(a) for raw in raws for a in _ANGLE_ADDR_RE.findall(raw)} - {None}
        if len(angle) == 1 and angle != modern_set:
            # "alice@example.com <bob@example.com>": the bracketed address is the mailbox.
            wanted = angle.pop()
            chosen = [(n, a) for n, a in lenient if _clean_address(a) == wanted] or chosen
    lenient_names = {_clean_address(addr): display for display, addr in lenient if display}
    result: list[MailAddress] = []
    seen: set[str] = set()
    for display, addr in chosen:
        address = _clean_address(addr)
        if address is None or address.lower() in seen:
            continue
        seen.add(address.lower())
        display = display or lenient_names.get(address, "")
        display_name = _single_line(decode_rfc2047(display)) if display else ""
        if display_name.strip("\"' ").lower() == address.lower():
            display_name = ""
        result.append(MailAddress(address=address, name=display_name.strip("\"' ")[:200]))
    return result, ambiguous


def header_date(msg: Message) -> datetime | None:
    """Return the Date header as an aware datetime (naive or -0000 taken as UTC)."""
    raw = raw_header(msg, "Date")
    if not raw:
        return None
    value: datetime | None = None
    try:
        header = msg["Date"]
        value = getattr(header, "datetime", None)
    except Exception:  # the modern policy may raise on malformed input
        value = None
    if value is None or value.tzinfo is None:
        # Comments such as "(CET)" hide the zone from the modern parser.
        value = _lenient_date(raw) or value
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _lenient_date(raw: str) -> datetime | None:
    cleaned = re.sub(r"\([^)]*\)", " ", _FOLD_RE.sub(" ", raw[:200]))
    try:
        parts = parsedate_tz(cleaned)
    except (ValueError, IndexError, TypeError, OverflowError):
        return None
    if parts is None:
        return None
    try:
        zone = None if parts[9] is None else timezone(timedelta(seconds=parts[9]))
        return datetime(*parts[:6], tzinfo=zone)
    except (ValueError, OverflowError, TypeError):
        return None


def message_ids(value: str | None) -> list[str]:
    """Extract message ids as ``<id>`` strings, in order, without duplicates."""
    if not value:
        return []
    value = _FOLD_RE.sub(" ", repair_surrogates(value[:MAX_HEADER_CHARS]))
    found = _MESSAGE_ID_RE.findall(value) or _BARE_ID_RE.findall(value)
    ids = [f"<{item}>" for item in found if item.isprintable()]
    return list(dict.fromkeys(ids))[-MAX_MESSAGE_IDS:]
