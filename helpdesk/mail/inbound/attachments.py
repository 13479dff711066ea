"""Attachments of inbound mail as the parser sees them: its limits and what it keeps or skips.

Which files are accepted is the tickets' attachment policy, shared with the web forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpdesk.tickets.attachments import (
    ALLOWED_TYPES,
    BLOCKED_EXTENSIONS,
    MB,
    _megabytes,
)
from helpdesk.tickets.attachments import (
    refusal_reason as _policy_refusal,
)


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Limits applied while parsing; ``allowed_types`` entries may end with ``/*`` or ``.*``."""

    max_attachment_bytes: int = 10 * MB
    max_total_bytes: int = 25 * MB
    allowed_types: frozenset[str] = ALLOWED_TYPES
    blocked_extensions: frozenset[str] = BLOCKED_EXTENSIONS
    max_depth: int = 30
    max_parts: int = 500


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    is_inline: bool = False
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class SkippedAttachment:
    """An attachment left out of the parsed mail, with the reason shown to agents."""

    filename: str
    content_type: str
    size: int
    reason: str


def refusal_reason(
    filename: str, content_type: str, size: int, total_so_far: int, limits: ParseLimits
) -> str | None:
    """Return why an attachment is refused (French, shown to agents), or None."""
    reason = _policy_refusal(
        filename,
        content_type,
        size,
        max_bytes=limits.max_attachment_bytes,
        allowed_types=limits.allowed_types,
        blocked_extensions=limits.blocked_extensions,
    )
    if reason is None and total_so_far + size > limits.max_total_bytes:
        return (
            "Taille totale des pièces jointes dépassée "
            f"(maximum {_megabytes(limits.max_total_bytes)})."
        )
    return reason
