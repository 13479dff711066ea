"""Diagnose a ticket: who it is about, what is wrong, which fix steps were done."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.accounts.matching import ChildQuery, PersonMatch, find_person
from helpdesk.accounts.models import Responsable
from helpdesk.accounts.names import parse_loose_date
from helpdesk.auth.models import User
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.core.signals import ticket_opened
from helpdesk.diagnostics.codes import CODE_LABELS
from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Diagnosis, Finding
from helpdesk.diagnostics.masking import Masker
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.diagnostics.services import DiagnoseRequest, build_context, diagnosis_of
from helpdesk.tickets.intake import TicketIntake, intake_of
from helpdesk.tickets.models import Message, Ticket
from helpdesk.tickets.services import record_event
from helpdesk.util.phones import mobile_in_text

log = logging.getLogger(__name__)

#: Natures whose requests are about an EduConnect account.
DIAGNOSED_NATURES = frozenset({"EDUCONNECT", "TELESERVICES"})
#: Motifs that ask how to do something rather than report a problem with someone's account.
UNDIAGNOSED_MOTIFS = frozenset({"notification_directeur"})

_CIVILITY = re.compile(r"^\s*(?:mme|mlle|m|mr|monsieur|madame|mademoiselle)\b\.?\s*", re.I)
_PARENTHESES = re.compile(r"\([^)]*\)")
_DATE_IN_TEXT = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b")


class NothingToDiagnose(DomainError):
    """The ticket describes nobody, or no account base has been imported."""


@dataclass(frozen=True)
class TicketRun:
    """One diagnosis of a ticket: the request, the people found and the findings."""

    request: DiagnoseRequest
    match: PersonMatch
    context: DiagnosisContext
    diagnosis: Diagnosis

    @property
    def findings(self) -> list[Finding]:
        return self.diagnosis.findings


# --------------------------------------------------------------------------- the request


def request_from_ticket(
    ticket: Ticket, body: str | None = None, intake: TicketIntake | None = None
) -> DiagnoseRequest | None:
    """Who the ticket is about, from what its requester gave; None when nobody is described.

    A director writes about somebody else (``concerned_person``); a parent or a pupil about
    themselves. The intake answers (child's surname and birth date) describe the child; a
    mobile number or a birth date written in the message fills what the form left empty.
    """
    body = body or ""
    uai = ticket.school.uai if ticket.school is not None else None
    if ticket.requester_kind == "directeur":
        nom = _clean_name(ticket.concerned_person)
        email = telephone = None
    else:
        nom = _clean_name(ticket.requester_name)
        email = ticket.requester_email
        telephone = ticket.requester_phone or mobile_in_text(body)
    children: tuple[ChildQuery, ...] = ()
    child_nom = intake.child_last_name if intake is not None else None
    born = intake.child_birth_date if intake is not None else None
    if ticket.child_name or child_nom or born:
        children = (
            ChildQuery(
                nom=child_nom,
                prenom=ticket.child_name,
                date_naissance=born.isoformat() if born else birth_date_in_text(body),
            ),
        )
    login = (intake.login or "").strip() or None if intake is not None else None
    if not (nom or email or telephone or children or login):
        return None
    role = {"eleve": "eleve", "parent": "parent", "directeur": "directeur"}.get(
        ticket.requester_kind
    )
    return DiagnoseRequest(
        id=ticket.reference,
        nom=nom,
        email=email,
        telephone=telephone,
        role=role,
        enfants=children,
        uai=uai,
        motif=ticket.motif,
        identifiant=login,
    )


def _clean_name(text: str | None) -> str | None:
    cleaned = _CIVILITY.sub("", _PARENTHESES.sub(" ", text or ""))
    cleaned = " ".join(cleaned.replace(",", " ").split())
    return cleaned or None


def birth_date_in_text(text: str) -> str | None:
    """The first date of a message that could be a child's birth date."""
    for match in _DATE_IN_TEXT.finditer(text[:5000]):
        born = parse_loose_date(match.group(0))
        if born is not None and born.year <= utcnow().year - 2:
            return match.group(0)
    return None


def request_to_json(request: DiagnoseRequest) -> dict[str, Any]:
    """The request in the shape ``helpdesk diagnose`` reads."""
    return {
        "id": request.id,
        "requester": {
            "nom": request.nom,
            "prenom": request.prenom,
            "email": request.email,
            "telephone": request.telephone,
            "role": request.role,
            "identifiant": request.identifiant,
        },
        "enfants": [
            {"nom": c.nom, "prenom": c.prenom, "date_naissance": c.date_naissance}
            for c in request.enfants
        ],
        "uai": request.uai,
        "motif": request.motif,
    }


def current_request(session: Session, ticket: Ticket) -> DiagnoseRequest | None:
    """The request of the ticket's last diagnosis, or the one its requester's details give."""
    stored = stored_diagnosis(session, ticket)
    if stored is not None:
        return DiagnoseRequest.from_json(stored.request)
    first = session.scalar(
        select(Message.body)
        .where(Message.ticket_id == ticket.id)
        .order_by(Message.created_at, Message.id)
        .limit(1)
    )
    return request_from_ticket(ticket, first, intake_of(session, ticket.id))


# --------------------------------------------------------------------------- running


def has_account_base(session: Session) -> bool:
    return session.scalar(select(Responsable.responsable_id).limit(1)) is not None


def run_diagnosis(session: Session, request: DiagnoseRequest, mask: bool = True) -> TicketRun:
    """Find the person and run every rule (evidence masked when ``mask``)."""
    match = find_person(session, request.person_query())
    context = build_context(session, request, match, Masker(mask))
    return TicketRun(request, match, context, diagnosis_of(match, context))


def summary_of(diagnosis: Diagnosis) -> str | None:
    """The most severe finding in a few French words, for the queue."""
    if not diagnosis.findings:
        return None
    first = diagnosis.findings[0]
    text = CODE_LABELS.get(first.code, first.code)
    others = len(diagnosis.findings) - 1
    if others:
        text += f" (+ {others} autre{'s' if others > 1 else ''})"
    return text[:200]


def stored_diagnosis(session: Session, ticket: Ticket) -> TicketDiagnosis | None:
    return session.scalar(select(TicketDiagnosis).where(TicketDiagnosis.ticket_id == ticket.id))


def diagnose_ticket(
    session: Session,
    ticket: Ticket,
    actor: User | None,
    request: DiagnoseRequest | None = None,
) -> TicketRun:
    """Diagnose the ticket, keep the result with it and show its summary in the queue.

    ``request`` replaces what the ticket gave (an agent's corrections). Each run is a line of
    the ticket's history. Raises :class:`NothingToDiagnose` without an account base or when
    the ticket describes nobody.
    """
    if not has_account_base(session):
        raise NothingToDiagnose("La base des comptes n'a pas encore été importée.")
    request = request or current_request(session, ticket)
    if request is None or not _describes_somebody(request):
        raise NothingToDiagnose("La demande ne décrit personne : complétez les informations.")
    request = replace(request, id=ticket.reference)
    run = run_diagnosis(session, request, mask=True)
    summary = summary_of(run.diagnosis)
    stored = stored_diagnosis(session, ticket)
    now = utcnow()
    if stored is None:
        stored = TicketDiagnosis(ticket_id=ticket.id, checked_steps=[], created_at=now)
        session.add(stored)
    codes = set(run.diagnosis.codes)
    stored.checked_steps = [k for k in stored.checked_steps or [] if k.split(":")[0] in codes]
    stored.request = request_to_json(request)
    stored.result = {
        "matched": run.diagnosis.matched,
        "findings": [f.as_json() for f in run.findings],
    }
    old_summary = ticket.diagnosis_summary
    stored.summary = summary
    stored.run_by_id = actor.id if actor is not None else None
    stored.updated_at = now
    ticket.diagnosis_summary = summary
    ticket.diagnosis_due_at = None
    record_event(
        session,
        ticket,
        actor,
        "diagnosis",
        old=old_summary if old_summary != summary else None,
        new=summary,
    )
    session.flush()
    return run


def _describes_somebody(request: DiagnoseRequest) -> bool:
    return any(
        (
            request.nom,
            request.prenom,
            request.email,
            request.telephone,
            request.enfants,
            request.identifiant,
        )
    )


def subscribe() -> None:
    """Diagnose every new ticket as it opens (called once the application is set up)."""
    ticket_opened.connect(_on_ticket_opened)


def _on_ticket_opened(
    ticket: Ticket, session: Session, ctx: ServiceContext | None = None, **_: object
) -> None:
    if not is_diagnosed(ticket):
        return
    if ctx is not None and ctx.diagnose_in_background:
        # The requester's answer waits for nothing: the diagnosis follows (`diagnose_due`).
        ticket.diagnosis_due_at = utcnow()
        return
    diagnose_on_arrival(session, ticket)


def is_diagnosed(ticket: Ticket) -> bool:
    """Whether a new request of this kind is diagnosed on arrival (it is about an account)."""
    return ticket.nature in DIAGNOSED_NATURES and ticket.motif not in UNDIAGNOSED_MOTIFS


def diagnose_on_arrival(session: Session, ticket: Ticket) -> TicketRun | None:
    """Diagnose a new request about an account; never stands in the way of its creation."""
    ticket.diagnosis_due_at = None
    if not is_diagnosed(ticket):
        return None
    try:
        with session.begin_nested():
            return diagnose_ticket(session, ticket, None)
    except NothingToDiagnose:
        return None
    except Exception:
        log.exception("diagnosis of ticket %s failed", ticket.reference)
        return None


def diagnose_due(session: Session, limit: int = 50) -> int:
    """Diagnose the oldest tickets left waiting for their diagnosis; return how many were.

    Rows are locked as they are taken and locked ones skipped (PostgreSQL), so several
    background workers share the waiting tickets without diagnosing one twice. The caller
    commits.
    """
    tickets = session.scalars(
        select(Ticket)
        .where(Ticket.diagnosis_due_at.is_not(None))
        .order_by(Ticket.diagnosis_due_at, Ticket.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for ticket in tickets:
        diagnose_on_arrival(session, ticket)
    session.flush()
    return len(tickets)


# --------------------------------------------------------------------------- fix steps


def step_key(code: str, index: int) -> str:
    return f"{code}:{index}"


def set_step(
    session: Session, ticket: Ticket, actor: User, code: str, index: int, done: bool
) -> tuple[Finding, str]:
    """Tick (or untick) a fix step of a finding; the change is a line of the history.

    Returns the finding and the step's text; raises :class:`DomainError` when the current
    diagnosis has no such step.
    """
    request = current_request(session, ticket)
    if request is None or not has_account_base(session):
        raise DomainError("Aucun diagnostic pour cette demande.")
    run = run_diagnosis(session, replace(request, id=ticket.reference), mask=True)
    finding = run.diagnosis.finding(code)
    if finding is None or not 0 <= index < len(finding.steps):
        raise DomainError("Cette étape ne fait plus partie du diagnostic.")
    stored = stored_diagnosis(session, ticket)
    if stored is None:
        diagnose_ticket(session, ticket, actor, request)
        stored = stored_diagnosis(session, ticket)
    key = step_key(code, index)
    checked = list(stored.checked_steps or [])
    if done == (key in checked):
        return finding, finding.steps[index]
    checked = [*checked, key] if done else [k for k in checked if k != key]
    stored.checked_steps = checked
    stored.updated_at = utcnow()
    text = f"{CODE_LABELS.get(code, code)} — {finding.steps[index]}"
    record_event(session, ticket, actor, "fix_step" if done else "fix_step_undone", new=text)
    session.flush()
    return finding, finding.steps[index]
