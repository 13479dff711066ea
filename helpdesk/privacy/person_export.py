"""Everything found about one person as one JSON-ready object (the right of access)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from helpdesk.core import shared
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.privacy.person import PersonData
from helpdesk.tickets.models import Attachment, Ticket


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export_person(session: Session, data: PersonData) -> dict[str, Any]:
    """One JSON-ready object with everything found, attachments included (base64)."""
    own_ids = {t.id for t in data.own_tickets}
    references = {t.id: t.reference for t in data.own_tickets + data.mentioning_tickets}

    def ticket(t: Ticket, own: bool) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "reference": t.reference,
            "role": "demandeur" if own else "mentionné",
            "subject": t.subject,
            "channel": t.channel,
            "status": t.status,
            "motif": t.motif,
            "created_at": _when(t.created_at),
            "closed_at": _when(t.closed_at),
        }
        if own:
            entry |= {
                "requester_name": t.requester_name,
                "requester_email": t.requester_email,
                "requester_phone": t.requester_phone,
                "requester_kind": t.requester_kind,
                "child_name": t.child_name,
                "concerned_person": t.concerned_person,
            }
        return entry

    def attachment(a: Attachment) -> dict[str, Any]:
        content = shared.read(session, a.sha256)
        return {
            "ticket": references.get(a.ticket_id),
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
            "content_base64": base64.b64encode(content).decode() if content is not None else None,
        }

    return {
        "identifiant": {"type": data.identity.kind, "valeur": data.identity.value},
        "noms": data.names,
        "demandes": [ticket(t, True) for t in data.own_tickets]
        + [ticket(t, False) for t in data.mentioning_tickets],
        "messages": [
            {
                "ticket": references.get(m.ticket_id),
                "author_kind": m.author_kind,
                "author_name": m.author_name,
                "is_internal": m.is_internal,
                "body": m.body,
                "created_at": _when(m.created_at),
            }
            for m in data.messages
        ],
        "pieces_jointes": [attachment(a) for a in data.attachments],
        "courriels_recus": [
            {
                "ticket": references.get(m.ticket_id),
                "from_address": m.from_address,
                "subject": m.subject,
                "received_at": _when(m.received_at),
                "raw": m.raw.decode("utf-8", "replace"),
            }
            for m in data.inbound
        ],
        "courriels_envoyes": [
            {
                "ticket": references.get(m.ticket_id),
                "to_address": m.to_address,
                "subject": m.subject,
                "body_text": m.body_text,
                "status": m.status,
                "created_at": _when(m.created_at),
            }
            for m in data.outbox
        ],
        "journal_des_acces": [
            {
                "ticket": references.get(e.ticket_id),
                "user": e.user_label,
                "action": e.action,
                "subject": e.subject,
                "object_ref": e.object_ref,
                "detail": e.detail,
                "created_at": _when(e.created_at),
            }
            for e in data.audit
        ],
        "diagnostics": [
            {
                "ticket": references.get(d.ticket_id),
                "request": d.request,
                "result": d.result,
                "summary": d.summary,
                "created_at": _when(d.created_at),
            }
            for d in data.diagnoses
            if d.ticket_id in own_ids or _mentions(d, data.variants)
        ],
        "demandes_rgpd": [
            {
                "ticket": references.get(r.ticket_id),
                "right": r.right,
                "received_at": _when(r.received_at),
                "due_at": _when(r.due_at),
                "identity_state": r.identity_state,
                "answered_at": _when(r.answered_at),
                "answer": r.answer,
            }
            for r in data.rgpd_requests
        ],
        "recherches_saisies": [
            {"query": e.query, "created_at": _when(e.created_at)} for e in data.deflection
        ],
        "annuaire_educonnect": {
            "responsables": [
                {
                    "responsable_id": r.responsable_id,
                    "nom": r.nom,
                    "prenom": r.prenom,
                    "email": r.email,
                    "telephone_portable": r.telephone_portable,
                }
                for r in data.directory_responsables
            ],
            "comptes": [
                {
                    "compte_id": a.compte_id,
                    "identifiant": a.identifiant,
                    "etat": a.etat,
                    "email": a.email,
                    "telephone": a.telephone,
                }
                for a in data.directory_accounts
            ],
        },
    }


def _mentions(diagnosis: TicketDiagnosis, variants: tuple[str, ...]) -> bool:
    import json

    text = json.dumps([diagnosis.request, diagnosis.result], ensure_ascii=False).lower()
    return any(v.lower() in text for v in variants)
