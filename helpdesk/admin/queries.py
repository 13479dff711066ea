"""Reading the access journal: filters by who, what, which object and when."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from helpdesk.audit.models import AuditEntry
from helpdesk.tickets.models import Ticket
from helpdesk.util.frenchdates import PARIS
from helpdesk.util.params import clean_text, parse_date, parse_id

ACTIONS = {
    "view": "Consultation",
    "export": "Export",
    "download": "Téléchargement",
    "login": "Connexion",
    "login_failed": "Échec de connexion",
    "erase": "Effacement",
}
SUBJECTS = {
    "ticket": "Demande",
    "requester": "Demandeur",
    "diagnostic": "Diagnostic",
    "comptes_a_surveiller": "Comptes à surveiller",
    "attachment": "Pièce jointe",
    "inbound_mail": "Courriel reçu",
    "outbox_mail": "Courriel envoyé",
    "session": "Session",
    "personne": "Données d’une personne",
    "registre_rgpd": "Registre des demandes RGPD",
    "journal": "Journal des accès",
    "rapport_satisfaction": "Commentaires de satisfaction",
}


@dataclass(frozen=True)
class AuditFilters:
    user_id: int | None = None
    subject: str = ""
    action: str = ""
    #: A ticket reference, a UAI or any other object the entry names.
    ref: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args) -> AuditFilters:
        return cls(
            user_id=parse_id(args.get("utilisateur"), "utilisateur"),
            subject=args.get("sujet", "") if args.get("sujet", "") in SUBJECTS else "",
            action=args.get("action", "") if args.get("action", "") in ACTIONS else "",
            ref=clean_text(args.get("objet"), "objet", 100),
            since=parse_date(args.get("du"), "du"),
            until=parse_date(args.get("au"), "au"),
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (empty ones left out)."""
        names = {
            "user_id": "utilisateur",
            "subject": "sujet",
            "action": "action",
            "ref": "objet",
            "since": "du",
            "until": "au",
        }
        return {names[k]: str(v) for k, v in asdict(self).items() if v not in (None, "")}

    def apply(self, stmt: Select) -> Select:
        if self.user_id is not None:
            stmt = stmt.where(AuditEntry.user_id == self.user_id)
        if self.subject:
            stmt = stmt.where(AuditEntry.subject == self.subject)
        if self.action:
            stmt = stmt.where(AuditEntry.action == self.action)
        if self.ref:
            # A ticket's reference also finds its attachments, e-mails and diagnoses.
            ticket_id = select(Ticket.id).where(Ticket.reference == self.ref).scalar_subquery()
            stmt = stmt.where(
                or_(AuditEntry.object_ref == self.ref, AuditEntry.ticket_id == ticket_id)
            )
        if self.since:
            stmt = stmt.where(AuditEntry.created_at >= _start_of(self.since))
        if self.until:
            stmt = stmt.where(AuditEntry.created_at < _start_of(self.until + timedelta(days=1)))
        return stmt


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=PARIS)


def audit_page(
    session: Session, filters: AuditFilters, page: int, size: int = 50
) -> list[AuditEntry]:
    """One page of entries, most recent first."""
    stmt = filters.apply(select(AuditEntry))
    return list(
        session.scalars(
            stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(size)
            .offset((max(1, page) - 1) * size)
        )
    )
