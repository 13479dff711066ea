"""Rows of the imported school base, inserted directly with sensible defaults (synthetic)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from helpdesk.accounts.models import (
    Account,
    AccountChild,
    Extraction,
    Pupil,
    PupilLink,
    Responsable,
)
from helpdesk.accounts.normalize import email_key, name_key, phonetic_key
from helpdesk.schools.models import School
from helpdesk.util.phones import parse_phone
from helpdesk.util.text import search_key

PARIS = ZoneInfo("Europe/Paris")
_numbers = itertools.count(1)


def paris(*args: int) -> datetime:
    """An aware datetime given in Europe/Paris wall-clock time."""
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def uai_for(number: int) -> str:
    digits = f"{number:07d}"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


def ine_for(number: int) -> str:
    digits = f"{number:010d}"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


class AccountData:
    """Builds a small school base in a session: schools, pupils, responsables, accounts."""

    def __init__(self, session: Session, now: datetime | None = None) -> None:
        self.session = session
        self.default_school: str | None = None
        self.set_now(now or paris(2026, 3, 16, 5, 0))

    def set_now(self, when: datetime) -> None:
        row = self.session.get(Extraction, "educonnect")
        if row is None:
            self.session.add(Extraction(source="educonnect", date_extraction=when))
        else:
            row.date_extraction = when
        self.session.flush()

    def school(self, type: str = "elementaire", uai: str | None = None, nom: str = "") -> str:
        n = next(_numbers)
        uai = uai or uai_for(3100000 + n)
        nom = nom or f"École Test {n}"
        self.session.add(
            School(
                uai=uai,
                name=nom,
                type=type,
                commune="Dijon",
                search_key=search_key(nom, "Dijon", uai),
            )
        )
        self.session.flush()
        return uai

    def _school(self) -> str:
        if self.default_school is None:
            self.default_school = self.school()
        return self.default_school

    def responsable(
        self,
        nom: str = "Dupont",
        prenom: str | None = "Céline",
        telephone_portable: str | None = "06 12 34 56 78",
        email: str | None = None,
        **values,
    ) -> Responsable:
        n = next(_numbers)
        mobile = parse_phone(telephone_portable)
        landline = parse_phone(values.get("telephone_fixe"))
        if email is None:
            email = f"{name_key(prenom or 'x').replace(' ', '')}.{n}@example.fr"
        row = Responsable(
            responsable_id=values.pop("responsable_id", f"R{n}"),
            civilite=values.pop("civilite", "Mme"),
            nom=nom,
            prenom=prenom,
            nom_key=name_key(nom),
            prenom_key=name_key(prenom),
            nom_phonetic=phonetic_key(nom),
            telephone_portable=telephone_portable or None,
            telephone_portable_e164=mobile.e164 if mobile else None,
            telephone_portable_is_mobile=bool(mobile and mobile.is_mobile),
            telephone_fixe=values.pop("telephone_fixe", None),
            telephone_fixe_e164=landline.e164 if landline else None,
            email=email or None,
            email_key=email_key(email),
            date_modification=values.pop("date_modification", paris(2025, 9, 1, 10, 0)),
        )
        if values:
            raise TypeError(f"unknown values: {sorted(values)}")
        self.session.add(row)
        self.session.flush()
        return row

    def pupil(
        self,
        prenom: str | None = "Léa",
        nom: str = "Dupont",
        date_naissance: date | None = date(2015, 3, 2),
        **values,
    ) -> Pupil:
        n = next(_numbers)
        row = Pupil(
            eleve_id=values.pop("eleve_id", f"E{n}"),
            ine=values.pop("ine", ine_for(1000000000 + n)),
            nom=nom,
            prenom=prenom,
            nom_key=name_key(nom),
            prenom_key=name_key(prenom),
            nom_phonetic=phonetic_key(nom),
            date_naissance=date_naissance,
            uai=values.pop("uai", None) or self._school(),
            classe=values.pop("classe", "CM1 A"),
            niveau=values.pop("niveau", "CM1"),
            admission=values.pop("admission", "definitive"),
            date_modification=values.pop("date_modification", paris(2025, 9, 1, 10, 0)),
        )
        if values:
            raise TypeError(f"unknown values: {sorted(values)}")
        self.session.add(row)
        self.session.flush()
        return row

    def link(
        self, pupil: Pupil, responsable: Responsable, lien: str = "mere", legal: bool | None = True
    ) -> PupilLink:
        row = PupilLink(
            eleve_id=pupil.eleve_id,
            responsable_id=responsable.responsable_id,
            lien=lien,
            responsable_legal=legal,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def account(
        self,
        person: Responsable | Pupil,
        enfants: tuple[Pupil, ...] | list[Pupil] = (),
        etat: str = "active",
        **values,
    ) -> Account:
        n = next(_numbers)
        is_pupil = isinstance(person, Pupil)
        telephone = values.pop("telephone", None)
        phone = parse_phone(telephone)
        email = values.pop("email", None)
        row = Account(
            compte_id=values.pop("compte_id", f"C{n}"),
            identifiant=values.pop("identifiant", f"x.test{n}"),
            identifiant_key=None,
            profil="eleve" if is_pupil else "responsable",
            personne_id=person.eleve_id if is_pupil else person.responsable_id,
            etat=etat,
            origine=values.pop("origine", "responsable"),
            email=email,
            email_key=email_key(email),
            email_verifie=values.pop("email_verifie", etat == "active"),
            telephone=telephone,
            telephone_e164=phone.e164 if phone else None,
            date_creation=values.pop("date_creation", paris(2024, 10, 1, 9, 0)),
            date_notification=values.pop("date_notification", paris(2024, 10, 1, 9, 0)),
            date_activation=values.pop("date_activation", None),
            date_dernier_acces=values.pop("date_dernier_acces", None),
            date_synchro=values.pop("date_synchro", paris(2026, 3, 15, 6, 30)),
        )
        if values:
            raise TypeError(f"unknown values: {sorted(values)}")
        row.identifiant_key = row.identifiant.lower()
        row.children = [
            AccountChild(eleve_id=child.eleve_id, position=i) for i, child in enumerate(enfants)
        ]
        self.session.add(row)
        self.session.flush()
        return row

    def family(
        self,
        nom: str = "Dupont",
        prenom: str = "Céline",
        children: tuple[tuple[str, date], ...] = (("Léa", date(2015, 3, 2)),),
        etat: str = "active",
        lien: str = "mere",
        **responsable_values,
    ) -> tuple[Responsable, list[Pupil], Account]:
        """A responsable, their children (legal guardian) and their account."""
        parent = self.responsable(nom=nom, prenom=prenom, **responsable_values)
        kids = [self.pupil(prenom=first, nom=nom, date_naissance=born) for first, born in children]
        for kid in kids:
            self.link(kid, parent, lien=lien)
        account = self.account(parent, kids, etat=etat, email=parent.email)
        return parent, kids, account
