"""Look a person up in the account data before a ticket exists: a caller at the phone, a
visitor at the desk, or a name typed in the agents' search.

It is the diagnosis itself (the same matching, the same rules, the same masking): a person
is shown only when the matching retains one; when the details fit several people, the
candidates come masked with the question that tells them apart, and nobody is attached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from helpdesk.accounts.matching import ChildQuery
from helpdesk.diagnostics.masking import Masker
from helpdesk.diagnostics.panel import PanelView, panel_view
from helpdesk.diagnostics.services import DiagnoseRequest
from helpdesk.diagnostics.tickets import has_account_base, run_diagnosis
from helpdesk.util.phones import parse_phone

#: Codes of the findings about who the person is, shown beside the lookup.
PERSON_CODES = ("person_ambiguous", "person_not_found")
#: Shorter queries match too many people to be worth a look-up.
MIN_QUERY = 3
MAX_QUERY = 200
_LOGIN = re.compile(r"^[a-z][a-z-]*\.[a-z][a-z-]*\d*$", re.I)


@dataclass(frozen=True)
class CallerDetails:
    """What a caller or a visitor tells about themselves and the child concerned."""

    role: str = "parent"
    nom: str | None = None
    prenom: str | None = None
    telephone: str | None = None
    email: str | None = None
    login: str | None = None
    enfant_nom: str | None = None
    enfant_prenom: str | None = None
    enfant_naissance: str | None = None
    uai: str | None = None

    def describes_somebody(self) -> bool:
        return any(
            (
                self.nom,
                self.prenom,
                self.telephone,
                self.email,
                self.login,
                self.enfant_nom,
                self.enfant_prenom,
                self.enfant_naissance,
            )
        )

    def as_request(self, motif: str | None = None) -> DiagnoseRequest:
        children: tuple[ChildQuery, ...] = ()
        if self.enfant_nom or self.enfant_prenom or self.enfant_naissance:
            children = (
                ChildQuery(
                    nom=self.enfant_nom,
                    prenom=self.enfant_prenom,
                    date_naissance=self.enfant_naissance,
                ),
            )
        return DiagnoseRequest(
            id="recherche",
            nom=self.nom,
            prenom=self.prenom,
            email=self.email,
            telephone=self.telephone,
            role=self.role if self.role in ("parent", "eleve") else "parent",
            enfants=children,
            uai=self.uai,
            motif=motif,
            identifiant=self.login,
        )


@dataclass(frozen=True)
class Lookup:
    """What the account data says about the details given, masked."""

    view: PanelView
    #: The findings about who the person is (several possible, nobody), with their evidence.
    person_findings: list
    #: Record and account identifiers shown, for the access journal.
    shown_ids: tuple[str, ...]

    @property
    def found(self) -> bool:
        return bool(self.view.people) or self.view.pupil is not None

    @property
    def ambiguous(self) -> bool:
        return any(f.code == "person_ambiguous" for f in self.person_findings)


def look_up(session: Session, details: CallerDetails, motif: str | None = None) -> Lookup | None:
    """The person the details fit, masked; None when there is no account base or no detail."""
    if not details.describes_somebody() or not has_account_base(session):
        return None
    run = run_diagnosis(session, details.as_request(motif), mask=True)
    view = panel_view(run, Masker(True), set())
    person_findings = [f for f in view.findings if f.code in PERSON_CODES]
    matched = run.diagnosis.matched
    shown = tuple(sorted({i for ids in matched.values() for i in ids}))
    candidates = tuple(
        r.responsable_id for group in run.match.candidates for r in group.records
    ) + tuple(p.eleve_id for p in run.match.candidate_pupils)
    return Lookup(view, person_findings, shown + candidates)


def details_from_query(text: str) -> CallerDetails | None:
    """Read a search box query as a person: an address, a mobile, a login, or a name."""
    query = " ".join((text or "").split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return None
    if "@" in query and " " not in query:
        return CallerDetails(email=query)
    digits = re.sub(r"[\s.+()-]", "", query)
    if digits.isdigit() and len(digits) >= 9:
        phone = parse_phone(query)
        return CallerDetails(telephone=query) if phone is not None and phone.e164 else None
    if _LOGIN.match(query):
        return CallerDetails(login=query)
    if any(c.isdigit() for c in query):
        return None  # a reference or an identifier: the ticket search answers it
    return CallerDetails(nom=query)
