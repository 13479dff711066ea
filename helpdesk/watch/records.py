"""The rows of one school, read once for the watch page through indexed look-ups."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from helpdesk.accounts.models import Account, Pupil, PupilLink, Responsable

#: The account states the page lists (the others are read from the index only).
WATCHED_STATES = ("notifie_non_active", "en_cours_activation")
PARENTS = {"mere", "pere"}


def pupil_ids(uai: str) -> Select:
    return select(Pupil.eleve_id).where(Pupil.uai == uai)


def responsable_ids(uai: str) -> Select:
    return (
        select(PupilLink.responsable_id)
        .join(Pupil, Pupil.eleve_id == PupilLink.eleve_id)
        .where(Pupil.uai == uai)
    )


RESPONSABLE_COLUMNS = (
    Responsable.responsable_id,
    Responsable.civilite,
    Responsable.nom,
    Responsable.prenom,
    Responsable.telephone_portable,
    Responsable.telephone_portable_e164,
    Responsable.telephone_portable_is_mobile,
    Responsable.telephone_fixe,
    Responsable.email,
    Responsable.email_key,
)
PUPIL_COLUMNS = (
    Pupil.eleve_id,
    Pupil.nom,
    Pupil.prenom,
    Pupil.ine,
    Pupil.classe,
    Pupil.niveau,
    Pupil.admission,
)
ACCOUNT_COLUMNS = (
    Account.compte_id,
    Account.profil,
    Account.personne_id,
    Account.etat,
    Account.email,
    Account.date_creation,
    Account.date_notification,
)


@dataclass(slots=True)
class PersonRow:
    responsable_id: str
    civilite: str | None
    nom: str
    prenom: str | None
    telephone_portable: str | None
    telephone_portable_e164: str | None
    telephone_portable_is_mobile: bool
    telephone_fixe: str | None
    email: str | None
    email_key: str | None


@dataclass(slots=True)
class PupilRow:
    eleve_id: str
    nom: str
    prenom: str | None
    ine: str | None
    classe: str | None
    niveau: str | None
    admission: str | None


@dataclass(slots=True)
class LinkRow:
    eleve_id: str
    responsable_id: str
    lien: str | None
    responsable_legal: bool | None = None
    uai: str | None = None


@dataclass
class SchoolRecords:
    """The rows of one school, read once."""

    uai: str
    pupils: dict[str, PupilRow] = field(default_factory=dict)
    links: list[LinkRow] = field(default_factory=list)
    responsables: dict[str, PersonRow] = field(default_factory=dict)
    accounts: list = field(default_factory=list)
    links_of: dict[str, list[LinkRow]] = field(default_factory=dict)


def load_school(session: Session, uai: str) -> SchoolRecords:
    """The school's pupils, their links and responsables in one pass, then the accounts."""
    conn = session.connection()
    school = SchoolRecords(uai)
    pupil_width = len(PUPIL_COLUMNS)
    rows = conn.execute(
        select(
            *PUPIL_COLUMNS,
            PupilLink.lien,
            PupilLink.responsable_legal,
            *RESPONSABLE_COLUMNS,
        )
        .select_from(Pupil)
        .outerjoin(PupilLink, PupilLink.eleve_id == Pupil.eleve_id)
        .outerjoin(Responsable, Responsable.responsable_id == PupilLink.responsable_id)
        .where(Pupil.uai == uai)
    )
    for row in rows:
        eleve_id = row[0]
        if eleve_id not in school.pupils:
            school.pupils[eleve_id] = PupilRow(*row[:pupil_width])
        responsable_id = row[pupil_width + 2]
        if responsable_id is None:
            continue
        link = LinkRow(eleve_id, responsable_id, row[pupil_width], row[pupil_width + 1], uai)
        school.links.append(link)
        school.links_of.setdefault(responsable_id, []).append(link)
        if responsable_id not in school.responsables:
            school.responsables[responsable_id] = PersonRow(*row[pupil_width + 2 :])
    for profile, people in (("responsable", responsable_ids(uai)), ("eleve", pupil_ids(uai))):
        school.accounts += conn.execute(
            select(*ACCOUNT_COLUMNS).where(
                Account.personne_id.in_(people),
                Account.profil == profile,
                Account.etat.in_(WATCHED_STATES),
            )
        ).all()
    return school


def full_name(row) -> str:
    return " ".join(p for p in (row.prenom, row.nom) if p)


def name_key(row) -> tuple:
    return ((row.nom or "").lower(), (row.prenom or "").lower())


def children_text(school: SchoolRecords, responsable_id: str) -> str:
    names = []
    for link in school.links_of.get(responsable_id, []):
        pupil = school.pupils.get(link.eleve_id)
        if pupil is not None:
            names.append(pupil_label(pupil))
    return ", ".join(sorted(names))


def pupil_label(pupil) -> str:
    where = pupil.classe or pupil.niveau
    return f"{pupil.prenom or pupil.nom}" + (f" ({where})" if where else "")
