"""Diagnose a request: find the person, gather their data once, run the rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.accounts.matching import ChildQuery, PersonMatch, PersonQuery, find_person
from helpdesk.accounts.models import Account, Extraction, Pupil, Responsable
from helpdesk.core.errors import DomainError
from helpdesk.diagnostics.context import (
    AccountRecord,
    CandidatePerson,
    ChildRecord,
    DiagnosisContext,
    GivenChild,
    GivenDetails,
    LinkRecord,
    PersonRecord,
    SchoolInfo,
)
from helpdesk.diagnostics.engine import run_rules
from helpdesk.diagnostics.findings import Diagnosis
from helpdesk.diagnostics.masking import Masker
from helpdesk.diagnostics.typos import KNOWN_PROVIDERS
from helpdesk.schools.models import School

_REQUESTER = ("nom", "prenom", "email", "telephone", "role", "identifiant")
_CHILD = ("nom", "prenom", "date_naissance")


class InvalidRequest(DomainError):
    """A diagnose request that cannot be read; the message is French."""


@dataclass(frozen=True)
class DiagnoseRequest:
    """Who a request is about, as the requester described it (data-contract.md)."""

    id: Any = None
    nom: str | None = None
    prenom: str | None = None
    email: str | None = None
    telephone: str | None = None
    role: str | None = None
    enfants: tuple[ChildQuery, ...] = ()
    uai: str | None = None
    motif: str | None = None
    #: The EduConnect login the requester gave (an extension of the contract's requester).
    identifiant: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> DiagnoseRequest:
        """Read one decoded JSON object; raise :class:`InvalidRequest` with a French reason."""
        if not isinstance(data, dict):
            raise InvalidRequest("chaque ligne doit être un objet JSON")
        if "id" not in data:
            raise InvalidRequest("le champ « id » est obligatoire")
        requester = data.get("requester") or {}
        if not isinstance(requester, dict):
            raise InvalidRequest("le champ « requester » doit être un objet")
        children = data.get("enfants") or []
        if not isinstance(children, list) or not all(isinstance(c, dict) for c in children):
            raise InvalidRequest("le champ « enfants » doit être une liste d'objets")
        values = {name: _text(requester.get(name), f"requester.{name}") for name in _REQUESTER}
        enfants = tuple(
            ChildQuery(**{name: _text(child.get(name), f"enfants.{name}") for name in _CHILD})
            for child in children
        )
        return cls(
            id=data["id"],
            enfants=enfants,
            uai=_text(data.get("uai"), "uai"),
            motif=_text(data.get("motif"), "motif"),
            **values,
        )

    def person_query(self) -> PersonQuery:
        return PersonQuery(
            nom=self.nom,
            prenom=self.prenom,
            email=self.email,
            telephone=self.telephone,
            role=self.role,
            uai=self.uai,
            children=self.enfants,
            login=self.identifiant,
        )


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidRequest(f"le champ « {field} » doit être un texte")
    text = str(value).strip()
    return text or None


def diagnose(
    session: Session,
    request: DiagnoseRequest,
    mask: bool = True,
    providers: tuple[str, ...] = KNOWN_PROVIDERS,
) -> Diagnosis:
    """Find who the request is about and report every finding, most severe first."""
    match = find_person(session, request.person_query())
    ctx = build_context(session, request, match, Masker(mask), providers)
    return diagnosis_of(match, ctx)


def diagnosis_of(match: PersonMatch, ctx: DiagnosisContext) -> Diagnosis:
    """The findings over a context, with who was matched (or the candidates)."""
    return Diagnosis(
        responsable_ids=[s.id for s in match.responsables],
        compte_ids=[s.id for s in match.accounts],
        eleve_ids=[s.id for s in match.pupils],
        findings=run_rules(ctx),
        candidates=sorted(r.responsable_id for c in match.candidates for r in c.records),
        candidate_pupils=sorted(p.eleve_id for p in match.candidate_pupils),
    )


def build_context(
    session: Session,
    request: DiagnoseRequest,
    match: PersonMatch,
    masker: Masker,
    providers: tuple[str, ...] = KNOWN_PROVIDERS,
) -> DiagnosisContext:
    """Copy what the rules need out of the matched rows (plus the schools and "now")."""
    children = {eleve_id: child_record(p) for eleve_id, p in match.children.items()}
    candidates = tuple(
        CandidatePerson(
            records=tuple(person_record(r) for r in group.records),
            children=tuple(
                child_record(link.pupil)
                for link in sorted(group.links, key=lambda link: link.eleve_id)
                if link.pupil is not None
            ),
            accounts=tuple(account_record(a) for a in group.accounts),
        )
        for group in match.candidates
    )
    candidate_pupils = tuple(child_record(p) for p in match.candidate_pupils)
    uais = {c.uai for c in children.values() if c.uai}
    uais |= {c.uai for person in candidates for c in person.children if c.uai}
    uais |= {p.uai for p in candidate_pupils if p.uai}
    if request.uai:
        uais.add(request.uai.upper())
    schools = {}
    if uais:
        for school in session.scalars(select(School).where(School.uai.in_(sorted(uais)))):
            schools[school.uai] = SchoolInfo(school.uai, school.name, school.type)
    identified = match.identified if len(match.identified) == len(request.enfants) else []
    given_children = []
    for index, child in enumerate(request.enfants):
        found = identified[index] if identified else None
        given_children.append(
            GivenChild(
                nom=child.nom,
                prenom=child.prenom,
                date_naissance_raw=child.date_naissance,
                date_naissance=found.date_naissance if found else None,
                eleve_id=found.eleve_id if found else None,
            )
        )
    given = GivenDetails(
        nom=request.nom,
        prenom=request.prenom,
        email=request.email,
        telephone=request.telephone,
        telephone_e164=match.phone_e164,
        role=request.role,
        uai=request.uai,
        motif=request.motif,
        children=tuple(given_children),
    )
    return DiagnosisContext(
        given=given,
        now=educonnect_now(session),
        records=tuple(person_record(r) for r in match.records),
        accounts=tuple(account_record(a) for a in match.account_rows),
        links=tuple(
            LinkRecord(link.eleve_id, link.responsable_id, link.lien, link.responsable_legal)
            for link in match.links
        ),
        children=children,
        schools=schools,
        mobile_holders=dict(match.mobile_holders),
        duplicate_evidence=match.duplicate_evidence,
        pupil=child_record(match.pupil) if match.pupil is not None else None,
        namesakes=match.namesakes,
        ambiguous=match.ambiguous,
        candidates=candidates,
        candidate_pupils=candidate_pupils,
        ask_detail=match.ask_detail,
        masker=masker,
        providers=providers,
    )


def educonnect_now(session: Session):
    """The EduConnect extraction date: "now" for every time-based check."""
    return session.scalar(
        select(Extraction.date_extraction).where(Extraction.source == "educonnect")
    )


def person_record(row: Responsable) -> PersonRecord:
    return PersonRecord(
        responsable_id=row.responsable_id,
        nom=row.nom,
        prenom=row.prenom,
        civilite=row.civilite,
        telephone_portable=row.telephone_portable,
        telephone_portable_e164=row.telephone_portable_e164,
        telephone_portable_is_mobile=bool(row.telephone_portable_is_mobile),
        telephone_fixe=row.telephone_fixe,
        telephone_fixe_e164=row.telephone_fixe_e164,
        email=row.email,
        date_modification=row.date_modification,
    )


def child_record(row: Pupil) -> ChildRecord:
    return ChildRecord(
        eleve_id=row.eleve_id,
        nom=row.nom,
        prenom=row.prenom,
        date_naissance=row.date_naissance,
        ine=row.ine,
        uai=row.uai,
        classe=row.classe,
        niveau=row.niveau,
        admission=row.admission,
        date_modification=row.date_modification,
    )


def account_record(row: Account) -> AccountRecord:
    return AccountRecord(
        compte_id=row.compte_id,
        profil=row.profil,
        personne_id=row.personne_id,
        etat=row.etat,
        identifiant=row.identifiant,
        origine=row.origine,
        email=row.email,
        email_verifie=row.email_verifie,
        telephone=row.telephone,
        telephone_e164=row.telephone_e164,
        enfants=tuple(row.enfant_ids),
        date_creation=row.date_creation,
        date_notification=row.date_notification,
        date_activation=row.date_activation,
        date_dernier_acces=row.date_dernier_acces,
        date_synchro=row.date_synchro,
    )
