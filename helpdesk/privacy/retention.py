"""Retention rules: how long each kind of data is kept, and the pass that removes what is due.

Each rule finds the ids that are due at a given moment (an injected clock: ``--now``) and
removes them in batches, one transaction each, so that a first run on a large base neither
holds a lock for minutes nor loses its progress on an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.accounts.models import Account, AccountChild, Pupil, PupilLink, Responsable
from helpdesk.audit.models import AuditEntry
from helpdesk.auth.models import User, user_school
from helpdesk.deflection.models import DeflectionEvent
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.privacy.anonymise import anonymise_tickets, remove_unused_files
from helpdesk.privacy.models import RetentionRun
from helpdesk.privacy.storage import rebuild_ticket_index
from helpdesk.schools.models import School
from helpdesk.tickets.models import Message, Ticket, TicketEvent

STAFF_ROLES = ("agent", "admin", "dpd")
LEFT_STAFF_DOMAIN = "compte-supprime.invalid"


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    #: What is kept, as the admin screen and the privacy page name it.
    label: str
    #: From when the period counts.
    counted_from: str
    #: What happens at the end ("supprimés", "anonymisées").
    outcome: str
    days: int

    @property
    def is_active(self) -> bool:
        return self.days > 0

    def cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.days)


_DESCRIPTIONS = {
    "tickets": (
        "Demandes closes, avec leurs messages, pièces jointes et diagnostics",
        "après la clôture de la demande",
        "anonymisées (seuls des chiffres restent pour les statistiques)",
    ),
    "inbound_mail": ("Courriels reçus, dans leur forme brute", "après leur réception", "supprimés"),
    "outbox": ("Courriels envoyés (copies)", "après leur envoi", "supprimés"),
    "audit": ("Journal des consultations de données", "après la consultation", "supprimé"),
    "deflection": (
        "Recherches saisies dans les formulaires (articles proposés)",
        "après la saisie",
        "supprimées",
    ),
    "classifier_texts": (
        "Textes de demandes retenus pour l’apprentissage du classement automatique",
        "après la confirmation du classement par un agent",
        "retirés du modèle",
    ),
    "staff_accounts": (
        "Comptes des agents et directeurs désactivés",
        "après leur dernière connexion",
        "anonymisés",
    ),
    "school_accounts": (
        "Élèves, responsables et comptes EduConnect d’une école absente des extractions",
        "après la dernière extraction qui la mentionnait",
        "supprimés",
    ),
}


def rules_from_config(config: Mapping) -> list[RetentionRule]:
    days = config["RETENTION_DAYS"]
    return [
        RetentionRule(kind, label, counted_from, outcome, int(days.get(kind, 0)))
        for kind, (label, counted_from, outcome) in _DESCRIPTIONS.items()
    ]


@dataclass
class RetentionReport:
    as_of: datetime
    dry_run: bool
    #: Rule kind → rows removed (or due, for a dry run).
    counts: dict[str, int] = field(default_factory=dict)
    files_removed: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- what is due -------------------------------------------------------------------------


def _due_tickets(cutoff: datetime) -> Select:
    return (
        select(Ticket.id)
        .where(Ticket.status == "clos", Ticket.closed_at <= cutoff, Ticket.anonymised_at.is_(None))
        .order_by(Ticket.id)
    )


def _due_inbound(cutoff: datetime) -> Select:
    return select(InboundMessage.id).where(InboundMessage.received_at <= cutoff)


def _due_outbox(cutoff: datetime) -> Select:
    return select(OutboxMessage.id).where(
        OutboxMessage.created_at <= cutoff, OutboxMessage.status != "pending"
    )


def _due_audit(cutoff: datetime) -> Select:
    return select(AuditEntry.id).where(AuditEntry.created_at <= cutoff)


def _due_deflection(cutoff: datetime) -> Select:
    return select(DeflectionEvent.id).where(DeflectionEvent.created_at <= cutoff)


def _due_staff(cutoff: datetime) -> Select:
    return select(User.id).where(
        User.is_active_account.is_(False),
        func.coalesce(User.last_login_at, User.created_at) <= cutoff,
        ~User.email.endswith(f"@{LEFT_STAFF_DOMAIN}"),
    )


def _due_schools(cutoff: datetime) -> Select:
    has_pupils = select(Pupil.eleve_id).where(Pupil.uai == School.uai).exists()
    return select(School.id).where(School.last_seen_at <= cutoff, has_pupils)


_DUE: dict[str, Callable[[datetime], Select]] = {
    "tickets": _due_tickets,
    "inbound_mail": _due_inbound,
    "outbox": _due_outbox,
    "audit": _due_audit,
    "deflection": _due_deflection,
    "staff_accounts": _due_staff,
    "school_accounts": _due_schools,
}


def due_counts(
    session: Session, rules: list[RetentionRule], now: datetime, classifier_dir: Path | None
) -> dict[str, int]:
    """How many rows each active rule would remove at `now`."""
    counts: dict[str, int] = {}
    for rule in rules:
        if not rule.is_active:
            continue
        if rule.kind == "classifier_texts":
            counts[rule.kind] = len(_stale_corrections(session, rule.cutoff(now), classifier_dir))
            continue
        if rule.kind == "school_accounts":
            absent = _due_schools(rule.cutoff(now)).with_only_columns(School.uai)
            counts[rule.kind] = (
                session.scalar(select(func.count()).where(Pupil.uai.in_(absent))) or 0
            )
            continue
        due = _DUE[rule.kind](rule.cutoff(now)).order_by(None).subquery()
        counts[rule.kind] = session.scalar(select(func.count()).select_from(due)) or 0
    return counts


# --- removal -----------------------------------------------------------------------------


def _remove_tickets(session: Session, ids: list[int], digests: set[str]) -> None:
    digests.update(anonymise_tickets(session, ids))


def _remove_rows(model) -> Callable[[Session, list[int], set[str]], None]:
    def remove(session: Session, ids: list[int], digests: set[str]) -> None:
        session.execute(delete(model).where(model.id.in_(ids)))

    return remove


def _anonymise_staff(session: Session, ids: list[int], digests: set[str]) -> None:
    """Keep the rows (tickets point to them) but not the person: name, address, schools."""
    for user_id in ids:
        label = f"Ancien compte n° {user_id}"
        former = session.scalar(select(User.display_name).where(User.id == user_id))
        for column in (TicketEvent.old_value, TicketEvent.new_value):
            session.execute(
                update(TicketEvent)
                .where(TicketEvent.kind == "assignee", column == former)
                .values({column.key: label})
            )
        session.execute(
            update(User)
            .where(User.id == user_id)
            .values(
                email=f"ancien-{user_id}@{LEFT_STAFF_DOMAIN}",
                display_name=label,
                password_hash="!",
                session_version=User.session_version + 1,
            )
        )
        session.execute(
            update(Message).where(Message.author_id == user_id).values(author_name=label)
        )
        session.execute(
            update(TicketEvent).where(TicketEvent.actor_id == user_id).values(actor_name=label)
        )
        session.execute(
            update(AuditEntry).where(AuditEntry.user_id == user_id).values(user_label=label)
        )
        session.execute(delete(user_school).where(user_school.c.user_id == user_id))
    session.expire_all()


def _remove_school_data(session: Session, ids: list[int], digests: set[str]) -> int:
    """Delete the pupils, their responsables and the accounts of schools no longer extracted."""
    removed = 0
    for uai in session.scalars(select(School.uai).where(School.id.in_(ids))):
        pupils = select(Pupil.eleve_id).where(Pupil.uai == uai)
        responsables = list(
            session.scalars(
                select(PupilLink.responsable_id).where(PupilLink.eleve_id.in_(pupils)).distinct()
            )
        )
        pupil_ids = list(session.scalars(pupils))
        session.execute(delete(AccountChild).where(AccountChild.eleve_id.in_(pupil_ids)))
        session.execute(delete(PupilLink).where(PupilLink.eleve_id.in_(pupil_ids)))
        orphans = list(
            session.scalars(
                select(Responsable.responsable_id).where(
                    Responsable.responsable_id.in_(responsables),
                    ~select(PupilLink.eleve_id)
                    .where(PupilLink.responsable_id == Responsable.responsable_id)
                    .exists(),
                )
            )
        )
        accounts = list(
            session.scalars(
                select(Account.compte_id).where(
                    or_(
                        (Account.profil == "eleve") & Account.personne_id.in_(pupil_ids),
                        (Account.profil == "responsable") & Account.personne_id.in_(orphans),
                    )
                )
            )
        )
        session.execute(delete(AccountChild).where(AccountChild.compte_id.in_(accounts)))
        session.execute(delete(Account).where(Account.compte_id.in_(accounts)))
        session.execute(delete(Responsable).where(Responsable.responsable_id.in_(orphans)))
        session.execute(delete(Pupil).where(Pupil.eleve_id.in_(pupil_ids)))
        removed += len(pupil_ids)
    return removed


_REMOVE = {
    "tickets": _remove_tickets,
    "inbound_mail": _remove_rows(InboundMessage),
    "outbox": _remove_rows(OutboxMessage),
    "audit": _remove_rows(AuditEntry),
    "deflection": _remove_rows(DeflectionEvent),
    "staff_accounts": _anonymise_staff,
}


def _stale_corrections(session: Session, cutoff: datetime, classifier_dir: Path | None) -> set:
    """Training texts the cached categoriser holds that retention no longer allows."""
    if classifier_dir is None:
        return set()
    from helpdesk.classify.feedback import corrections_from_tickets
    from helpdesk.classify.services import cached_corrections, pull_model

    pull_model(session, classifier_dir)
    allowed = set(corrections_from_tickets(session, confirmed_since=cutoff))
    return {tuple(c) for c in cached_corrections(classifier_dir)} - allowed


def retrain_without_stale(
    session: Session, cutoff: datetime | None, classifier_dir: Path | None
) -> None:
    """Rebuild the categoriser's cache from the training texts still allowed."""
    if classifier_dir is None:
        return
    from helpdesk.classify.feedback import corrections_from_tickets
    from helpdesk.classify.services import load_classifier, publish_model, pull_model

    pull_model(session, classifier_dir)
    load_classifier(classifier_dir, corrections_from_tickets(session, confirmed_since=cutoff))
    # Every node drops the texts too: the model they use is the published one.
    publish_model(session, classifier_dir)
    session.commit()


def run_retention(
    factory: sessionmaker[Session],
    rules: list[RetentionRule],
    now: datetime,
    *,
    dry_run: bool = False,
    batch_size: int = 500,
    classifier_dir: Path | None = None,
    started_by: str = "commande",
) -> RetentionReport:
    """Apply every active rule at `now`, one committed batch at a time, and journal the run."""
    report = RetentionReport(as_of=now, dry_run=dry_run)
    if dry_run:
        with factory() as session:
            report.counts = due_counts(session, rules, now, classifier_dir)
        return report
    digests: set[str] = set()
    for rule in rules:
        if not rule.is_active:
            continue
        cutoff = rule.cutoff(now)
        if rule.kind == "classifier_texts":
            with factory() as session:
                stale = _stale_corrections(session, cutoff, classifier_dir)
                if stale:
                    retrain_without_stale(session, cutoff, classifier_dir)
            report.counts[rule.kind] = len(stale)
            continue
        report.counts[rule.kind] = _run_batches(factory, rule, cutoff, batch_size, digests)
    with factory() as session:
        if report.counts.get("tickets"):
            rebuild_ticket_index(session)
        session.add(RetentionRun(as_of=now, started_by=started_by, counts=dict(report.counts)))
        session.commit()
        report.files_removed = remove_unused_files(session, digests)
    return report


def _run_batches(
    factory: sessionmaker[Session],
    rule: RetentionRule,
    cutoff: datetime,
    batch_size: int,
    digests: set[str],
) -> int:
    done = 0
    while True:
        with factory() as session:
            ids = list(session.scalars(_DUE[rule.kind](cutoff).limit(batch_size)))
            if not ids:
                return done
            if rule.kind == "school_accounts":
                done += _remove_school_data(session, ids, digests)
            else:
                _REMOVE[rule.kind](session, ids, digests)
                done += len(ids)
            session.commit()


def recent_runs(session: Session, limit: int = 20) -> list[RetentionRun]:
    return list(session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc()).limit(limit)))
