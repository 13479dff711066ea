"""Recognise automatic replies and delivery failures (bounces) among inbound mail."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_ADDRESS = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}"
_ADDRESS_RE = re.compile(_ADDRESS)

AUTO_REPLY_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply", "list"})
_AUTO_REPLY_SUBJECT_RE = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?:"
    r"r[ée]ponse\s+automatique|automatic\s+reply|auto(?:matic)?[\s-]?(?:reply|response)|"
    r"autoreply|out\s+of\s+(?:the\s+)?office|\[?absence\]?\s*[:\-]|absen(?:ce|t|te)\s+du\s+bureau|"
    r"absence\s+prolong[ée]e|message\s+d['’]absence|r[ée]pondeur\s+automatique|"
    r"accus[ée]\s+de\s+lecture|read\s*:|lu\s*:|abwesenheitsnotiz|automatische\s+antwort"
    r")",
    re.IGNORECASE,
)
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "maildelivery"})
_BOUNCE_SUBJECT_RE = re.compile(
    r"^\s*(?:"
    r"undeliver(?:ed|able)|undelivered\s+mail|returned\s+mail|mail\s+delivery\s+fail|"
    r"delivery\s+(?:status\s+notification\s*\((?:failure|echec|échec)\)|failure|failed|has\s+failed)|"
    r"failure\s+notice|message\s+not\s+delivered|could\s+not\s+send\s+message|"
    r"non\s+remis|non\s+distribuable|[ée]chec\s+(?:de\s+(?:la\s+)?)?(?:remise|distribution)|"
    r"message\s+non\s+(?:remis|d[ée]livr[ée]|distribu[ée])|rapport\s+de\s+non[\s-]remise|"
    r"impossible\s+de\s+remettre|notification\s+d['’][ée]tat\s+de\s+(?:la\s+)?distribution"
    r")",
    re.IGNORECASE,
)
_BOUNCE_DISPLAY_RE = re.compile(r"mail\s+delivery\s+(system|subsystem|service)", re.IGNORECASE)
_FAILED_ACTIONS = frozenset({"failed"})
_DSN_FIELD_RE = re.compile(
    r"^(final-recipient|original-recipient|action)\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE
)
_BODY_RECIPIENT_RES = [
    re.compile(rf"^\s*<({_ADDRESS})>\s*(?::|\.\.\.)", re.MULTILINE),
    re.compile(rf"\(was\s+addressed\s+to\s+<?({_ADDRESS})>?\)", re.IGNORECASE),
    re.compile(rf"RCPT\s+TO\s*:\s*<({_ADDRESS})>", re.IGNORECASE),
    re.compile(
        r"(?:delivery\s+to|could\s+not\s+be\s+delivered\s+to|couldn'?t\s+be\s+delivered\s+to|"
        r"failed\s+to\s+deliver\s+to|n'a\s+pas\s+pu\s+[êe]tre\s+(?:remis|distribu[ée])\s+[àa]|"
        r"non\s+remis\s+[àa]|destinataire\s*:|recipient\s*:|address(?:es)?\s+failed\s*:)"
        rf"[\s:]*<?({_ADDRESS})>?",
        re.IGNORECASE,
    ),
]
_LONE_ADDRESS_RE = re.compile(rf"^[ \t]*<?({_ADDRESS})>?[ \t]*$", re.MULTILINE)
_ORIGINAL_MESSAGE_RE = re.compile(
    r"^\s*(-+\s*(original\s+message|this\s+is\s+a\s+copy|message\s+d['’]origine).*|"
    r"-+\s*the\s+header\s+of\s+the\s+original.*|return-path:.*|received:.*)$",
    re.IGNORECASE | re.MULTILINE,
)


def addresses_in(value: str) -> list[str]:
    return _unique(_ADDRESS_RE.findall(value or ""))


def _first_token(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().strip("\"'").lower()


def is_auto_reply(headers: Mapping[str, str], subject: str, report_type: str = "") -> bool:
    """Tell whether a mail was sent by a machine on someone's behalf (RFC 3834 and habits).

    ``headers`` maps lower-case header names to raw values.
    """
    auto_submitted = _first_token(headers.get("auto-submitted"))
    if auto_submitted and auto_submitted != "no":
        return True
    if any(name in headers for name in ("x-autoreply", "x-autorespond", "x-autoresponder")):
        return True
    if _first_token(headers.get("precedence")) in AUTO_REPLY_PRECEDENCE:
        return True
    if report_type == "disposition-notification":
        return True
    return bool(_AUTO_REPLY_SUBJECT_RE.match(subject or ""))


def is_bounce_sender(address: str, name: str = "") -> bool:
    local = address.rpartition("@")[0].lower() if "@" in address else address.lower()
    return local in _BOUNCE_SENDERS or bool(_BOUNCE_DISPLAY_RE.search(name or ""))


def parse_delivery_status(blocks: Iterable[Mapping[str, str]]) -> tuple[list[str], list[str]]:
    """Return (failed recipients, all recipients) from message/delivery-status field blocks."""
    failed: list[str] = []
    everyone: list[str] = []
    for block in blocks:
        recipient = block.get("final-recipient") or block.get("original-recipient")
        if not recipient:
            continue
        match = _ADDRESS_RE.search(recipient.rpartition(";")[2] or recipient)
        if not match:
            continue
        address = match.group(0)
        everyone.append(address)
        action = _first_token(block.get("action"))
        if not action or action in _FAILED_ACTIONS:
            failed.append(address)
    return _unique(failed), _unique(everyone)


def delivery_status_blocks(text: str) -> list[dict[str, str]]:
    """Split the text of a delivery-status part into field blocks (lower-case names)."""
    blocks: list[dict[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        fields = {name.lower(): value.strip() for name, value in _DSN_FIELD_RE.findall(chunk)}
        if fields:
            blocks.append(fields)
    return blocks


def recipients_from_text(text: str, exclude: Iterable[str] = ()) -> list[str]:
    """Find bounced addresses in a human-readable delivery failure notice."""
    excluded = {address.lower() for address in exclude}
    cut = _ORIGINAL_MESSAGE_RE.search(text)
    notice = text[: cut.start()] if cut else text
    notice = notice[:50_000]
    blocks = delivery_status_blocks(notice)
    found, _ = parse_delivery_status(blocks)
    for pattern in _BODY_RECIPIENT_RES:
        found += pattern.findall(notice)
    if not found:
        found = _LONE_ADDRESS_RE.findall(notice)
    return [a for a in _unique(found) if a.lower() not in excluded and not is_bounce_sender(a)]


def is_bounce(
    *,
    from_address: str,
    from_name: str,
    subject: str,
    report_type: str,
    status_recipients: int,
    failed_recipients: int,
) -> bool:
    """Tell whether a mail reports a failed delivery.

    A delivery-status report that names its recipients decides alone (a delay or success
    notice is no bounce); otherwise the report type, the sender and the subject decide.
    """
    if status_recipients:
        return failed_recipients > 0
    if report_type == "delivery-status" or is_bounce_sender(from_address, from_name):
        return True
    return bool(_BOUNCE_SUBJECT_RE.match(subject or ""))


def _unique(addresses: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for address in addresses:
        address = address.strip().strip("<>.")
        seen.setdefault(address.lower(), address)
    return list(seen.values())
