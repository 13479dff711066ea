"""French labels of every code shown to people."""

from __future__ import annotations

from helpdesk.auth.models import ROLES
from helpdesk.schools.models import SCHOOL_TYPES
from helpdesk.tickets.models import CHANNELS, PRIORITIES, REQUESTER_KINDS, STATUSES
from helpdesk.tickets.taxonomy import MOTIFS, NATURES, TYPES

LABELS: dict[str, dict[str, str]] = {
    "status": STATUSES,
    "priority": PRIORITIES,
    "channel": CHANNELS,
    "requester_kind": REQUESTER_KINDS,
    "role": ROLES,
    "school_type": SCHOOL_TYPES,
    "type": TYPES,
    "nature": NATURES,
    "motif": MOTIFS,
}


def label_for(kind: str, code: str | None, overrides: dict | None = None) -> str:
    """French label of a code; `overrides` maps (kind, code) to labels set by an admin."""
    if code is None:
        return ""
    if overrides and (kind, code) in overrides:
        return overrides[(kind, code)]
    return LABELS.get(kind, {}).get(code, code)
