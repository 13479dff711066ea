"""The data a diagnosis runs over, gathered once: plain values, no database access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from helpdesk.diagnostics.masking import Masker
from helpdesk.diagnostics.typos import KNOWN_PROVIDERS

FIRST_DEGREE = frozenset({"maternelle", "elementaire", "primaire"})
SECOND_DEGREE = frozenset({"college", "lycee"})
MATERNELLE_LEVELS = frozenset({"TPS", "PS", "MS", "GS"})


@dataclass(frozen=True)
class PersonRecord:
    """One responsable record of the school base."""

    responsable_id: str
    nom: str
    prenom: str | None = None
    civilite: str | None = None
    telephone_portable: str | None = None
    telephone_portable_e164: str | None = None
    telephone_portable_is_mobile: bool = False
    telephone_fixe: str | None = None
    telephone_fixe_e164: str | None = None
    email: str | None = None
    date_modification: datetime | None = None

    @property
    def mobile(self) -> str | None:
        """The valid mobile of the record, in E.164."""
        return self.telephone_portable_e164 if self.telephone_portable_is_mobile else None


@dataclass(frozen=True)
class ChildRecord:
    """A pupil of the school base."""

    eleve_id: str
    nom: str
    prenom: str | None = None
    date_naissance: date | None = None
    ine: str | None = None
    uai: str | None = None
    classe: str | None = None
    niveau: str | None = None
    admission: str | None = None
    date_modification: datetime | None = None

    @property
    def is_maternelle(self) -> bool:
        return (self.niveau or "").upper() in MATERNELLE_LEVELS


@dataclass(frozen=True)
class LinkRecord:
    eleve_id: str
    responsable_id: str
    lien: str | None = None
    responsable_legal: bool | None = None


@dataclass(frozen=True)
class AccountRecord:
    """An EduConnect account."""

    compte_id: str
    profil: str
    personne_id: str
    etat: str | None = None
    identifiant: str | None = None
    origine: str | None = None
    email: str | None = None
    email_verifie: bool | None = None
    telephone: str | None = None
    telephone_e164: str | None = None
    enfants: tuple[str, ...] = ()
    date_creation: datetime | None = None
    date_notification: datetime | None = None
    date_activation: datetime | None = None
    date_dernier_acces: datetime | None = None
    date_synchro: datetime | None = None


@dataclass(frozen=True)
class SchoolInfo:
    uai: str
    nom: str = ""
    type: str = ""


@dataclass(frozen=True)
class GivenChild:
    """A child as the requester described them, and the pupil it was identified as."""

    nom: str | None = None
    prenom: str | None = None
    date_naissance_raw: str | None = None
    date_naissance: date | None = None
    eleve_id: str | None = None


@dataclass(frozen=True)
class GivenDetails:
    """What the requester wrote about themselves."""

    nom: str | None = None
    prenom: str | None = None
    email: str | None = None
    telephone: str | None = None
    telephone_e164: str | None = None
    role: str | None = None
    uai: str | None = None
    motif: str | None = None
    children: tuple[GivenChild, ...] = ()


@dataclass(frozen=True)
class CandidatePerson:
    """One of the people a request may be about: their records, children and accounts."""

    records: tuple[PersonRecord, ...]
    children: tuple[ChildRecord, ...] = ()
    accounts: tuple[AccountRecord, ...] = ()


@dataclass(frozen=True)
class DiagnosisContext:
    """A person (all their responsable records) and everything the rules look at.

    ``now`` is the EduConnect extraction date, never the clock. ``pupil`` is set, and
    ``records`` empty, for a request about a pupil's own account.
    """

    given: GivenDetails = field(default_factory=GivenDetails)
    now: datetime | None = None
    records: tuple[PersonRecord, ...] = ()
    accounts: tuple[AccountRecord, ...] = ()
    links: tuple[LinkRecord, ...] = ()
    children: dict[str, ChildRecord] = field(default_factory=dict)
    schools: dict[str, SchoolInfo] = field(default_factory=dict)
    #: For each of the person's valid mobiles, the other responsables holding it.
    mobile_holders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: What the person's records have in common ("telephone", "email", "enfant").
    duplicate_evidence: tuple[str, ...] = ()
    pupil: ChildRecord | None = None
    #: Namesakes set aside by the matching, reported when nobody matched.
    namesakes: int = 0
    ambiguous: int = 0
    #: The people the request fits when it fits several (then ``records`` is empty).
    candidates: tuple[CandidatePerson, ...] = ()
    #: The pupils a pupil's request fits when it fits several.
    candidate_pupils: tuple[ChildRecord, ...] = ()
    #: What to ask to tell the candidates apart (a key of ``guidance.ASK_DETAILS``).
    ask_detail: str = ""
    masker: Masker = field(default_factory=Masker)
    providers: tuple[str, ...] = KNOWN_PROVIDERS

    @property
    def responsable_ids(self) -> tuple[str, ...]:
        return tuple(r.responsable_id for r in self.records)

    @property
    def responsable_accounts(self) -> tuple[AccountRecord, ...]:
        return tuple(a for a in self.accounts if a.profil == "responsable")

    @property
    def valid_mobiles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for record in self.records:
            if record.mobile:
                seen.setdefault(record.mobile)
        return tuple(seen)

    def legal_children(self) -> list[ChildRecord]:
        """Children of whom one of the person's records is legal guardian."""
        ids = {link.eleve_id for link in self.links if link.responsable_legal}
        return [self.children[i] for i in sorted(ids) if i in self.children]

    def all_children(self) -> list[ChildRecord]:
        return [self.children[i] for i in sorted(self.children)]

    def school_types(self) -> set[str]:
        types = set()
        for child in self.children.values():
            school = self.schools.get(child.uai or "")
            if school and school.type:
                types.add(school.type)
        if self.pupil is not None:
            school = self.schools.get(self.pupil.uai or "")
            if school and school.type:
                types.add(school.type)
        return types
