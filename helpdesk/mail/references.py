"""Ticket references carried by mail: the ``[2026-000123]`` subject tag and plus-addresses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpdesk.mail.inbound.parsing import ParsedMail

REFERENCE_PATTERN = r"\d{4}-\d{6}"
_REFERENCE_RE = re.compile(rf"^{REFERENCE_PATTERN}$")
_SUBJECT_TAG_RE = re.compile(rf"\[\s*#?\s*({REFERENCE_PATTERN})\s*\]")
_PLUS_TAG_RE = re.compile(rf"\+({REFERENCE_PATTERN})@", re.IGNORECASE)
_REPLY_PREFIX_RE = re.compile(
    r"^\s*((re|r[ée]f|tr|fwd?|aw|wg|sv|vs|rif|antw)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE
)


def is_reference(value: str) -> bool:
    return bool(_REFERENCE_RE.match(value or ""))


def make_subject_tag(reference: str) -> str:
    """Return the subject tag for a reference: ``2026-000123`` gives ``[2026-000123]``."""
    if not is_reference(reference):
        raise ValueError(f"not a ticket reference: {reference!r}")
    return f"[{reference}]"


def tag_subject(subject: str, reference: str) -> str:
    """Prefix a subject with the ticket tag unless it already carries it."""
    tag = make_subject_tag(reference)
    subject = (subject or "").strip()
    if tag in subject:
        return subject
    return f"{tag} {subject}" if subject else tag


def make_reply_address(mailbox: str, reference: str) -> str:
    """Plus-address a mailbox: ``support@x.fr`` gives ``support+2026-000123@x.fr``."""
    if not is_reference(reference):
        raise ValueError(f"not a ticket reference: {reference!r}")
    local, at, domain = mailbox.strip().rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not a mailbox: {mailbox!r}")
    local = local.split("+", 1)[0]
    return f"{local}+{reference}@{domain}"


def strip_reply_prefixes(subject: str) -> str:
    """Remove "Re:", "RE :", "TR:", "Fwd:"… prefixes (French and English clients)."""
    return _REPLY_PREFIX_RE.sub("", subject or "").strip()


def reference_in_subject(subject: str) -> str | None:
    match = _SUBJECT_TAG_RE.search(subject or "")
    return match.group(1) if match else None


def strip_subject_tags(subject: str) -> str:
    """The subject without any ticket tag (a new ticket gets its own)."""
    return _SUBJECT_TAG_RE.sub(" ", subject or "")


def reference_in_address(address: str) -> str | None:
    match = _PLUS_TAG_RE.search(address or "")
    return match.group(1) if match else None


def find_reference(subject: str = "", body: str = "", addresses: Iterable[str] = ()) -> str | None:
    """Find the ticket a mail belongs to.

    The plus-tag of a recipient address wins (the helpdesk wrote it), then the subject tag,
    then a tag or plus-address quoted in the body (a reply whose subject was rewritten).
    """
    for address in addresses:
        found = reference_in_address(address)
        if found:
            return found
    found = reference_in_subject(subject)
    if found:
        return found
    body = (body or "")[:200_000]
    tag = _SUBJECT_TAG_RE.search(body)
    plus = _PLUS_TAG_RE.search(body)
    candidates = [match for match in (tag, plus) if match]
    if not candidates:
        return None
    return min(candidates, key=lambda match: match.start()).group(1)


def reference_of(mail: ParsedMail) -> str | None:
    """Find the ticket reference of a parsed mail (recipients, subject, then body)."""
    return find_reference(mail.subject, mail.text, mail.recipient_addresses)
