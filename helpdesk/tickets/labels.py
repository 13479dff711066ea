"""French labels of every code shown to people, and the lines of a ticket's history."""

from __future__ import annotations

from collections.abc import Callable

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


EVENT_LABELS = {
    "created": "a créé la demande",
    "reply": "a répondu",
    "note": "a ajouté une note interne",
    "status": "a changé le statut",
    "assignee": "a changé l'attribution",
    "priority": "a changé la priorité",
    "type": "a changé le type de demande",
    "nature": "a changé la nature",
    "motif": "a changé le motif",
    "labels_confirmed": "a confirmé les catégories",
    "nature_requested": "avait choisi une nature que le texte ne confirme pas",
    "merged_into": "a fusionné cette demande dans",
    "merged_from": "a fusionné ici la demande",
    "merge_undone": "a annulé la fusion avec la demande",
    "diagnosis": "a lancé le diagnostic",
    "fix_step": "a coché une étape de résolution",
    "fix_step_undone": "a décoché une étape de résolution",
    "satisfaction": "a donné son avis",
    "reopened": "a rouvert la demande",
    "requester_confirmed": "a confirmé que le problème est réglé",
    "close_reason": "a clos la demande en indiquant au demandeur la raison",
    "sla_paused": "a suspendu le délai (attente du demandeur)",
    "sla_resumed": "a relancé le délai ; temps suspendu",
}


#: History kinds whose values are codes, shown through their (possibly renamed) labels.
CODED_KINDS = ("type", "nature", "motif", "status", "priority")


def event_line(event, label_of: Callable[[str, str | None], str]) -> str:
    """One line of the history; `label_of(kind, code)` names the codes it holds."""
    text = EVENT_LABELS.get(event.kind, event.kind)
    kind = event.kind if event.kind in CODED_KINDS else None
    if event.kind == "nature_requested":
        kind = "nature"
    old = label_of(kind, event.old_value) if kind else event.old_value
    new = label_of(kind, event.new_value) if kind else event.new_value
    if event.kind == "merge_undone":
        return f"{text} {old}"
    if event.kind in ("created", "labels_confirmed"):
        return text + (f" ({new})" if event.kind == "created" and new else "")
    if old and new:
        return f"{text} : {old} → {new}"
    if new:
        return (
            f"{text} : {new}"
            if event.kind not in ("merged_into", "merged_from")
            else f"{text} {new}"
        )
    return text
