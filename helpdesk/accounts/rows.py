"""Reading one row of each snapshot file into the values stored (or a French reason why not)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from helpdesk.accounts.models import (
    ADMISSIONS,
    ETATS,
    LIENS,
    NIVEAUX,
    ORIGINES,
    PROFILS,
    SOURCES,
)
from helpdesk.accounts.normalize import (
    DateError,
    code_key,
    email_key,
    is_uai_shaped,
    name_key,
    normalize_ine,
    normalize_uai,
    parse_date,
    parse_datetime,
    phonetic_key,
)
from helpdesk.schools.models import SCHOOL_TYPES
from helpdesk.util.phones import DEFAULT_REGIONS, parse_phone
from helpdesk.util.text import search_key


class RowError(ValueError):
    """The row cannot be read faithfully; the message is the French reason."""


def _required(value: str, what: str) -> str:
    if not value:
        raise RowError(f"{what} manquant")
    return value


def _code(value: str, allowed, column: str, upper: bool = False) -> str | None:
    if not value:
        return None
    key = code_key(value)
    if upper:
        key = key.upper()
    if key not in allowed:
        raise RowError(f"valeur inconnue pour {column} : « {value} »")
    return key


def _flag(value: str, column: str) -> bool | None:
    if not value:
        return None
    if value in ("1", "0"):
        return value == "1"
    raise RowError(f"valeur inconnue pour {column} : « {value} » (1 ou 0 attendu)")


def _date(value: str, column: str) -> date | None:
    try:
        return parse_date(value)
    except DateError as exc:
        raise RowError(f"{column} : {exc}") from None


def _datetime(value: str, column: str) -> datetime | None:
    try:
        return parse_datetime(value)
    except DateError as exc:
        raise RowError(f"{column} : {exc}") from None


def _text(value: str) -> str | None:
    return value or None


SCHOOL_COLUMNS = ("uai", "nom", "type", "commune")
SCHOOL_FIELDS = ("uai", "name", "type", "commune", "search_key")


def read_school(cells: list[str]) -> tuple[Any, ...]:
    raw_uai, nom, type_, commune = cells
    uai = normalize_uai(_required(raw_uai, "UAI"))
    if not is_uai_shaped(uai):
        raise RowError(f"UAI mal formé : « {raw_uai} » (7 chiffres et une lettre attendus)")
    type_code = _code(type_, SCHOOL_TYPES, "type") or ""
    return uai, nom, type_code, commune, search_key(nom, commune, uai)


PUPIL_COLUMNS = (
    "eleve_id",
    "ine",
    "nom",
    "prenom",
    "date_naissance",
    "uai",
    "classe",
    "niveau",
    "admission",
    "date_modification",
)
PUPIL_FIELDS = (
    "eleve_id",
    "ine",
    "nom",
    "prenom",
    "nom_key",
    "prenom_key",
    "nom_phonetic",
    "date_naissance",
    "uai",
    "classe",
    "niveau",
    "admission",
    "date_modification",
)


def read_pupil(cells: list[str]) -> tuple[Any, ...]:
    eleve_id, ine, nom, prenom, naissance, uai, classe, niveau, admission, modification = cells
    return (
        _required(eleve_id, "identifiant d'élève (eleve_id)"),
        normalize_ine(ine) or None,
        nom,
        _text(prenom),
        name_key(nom),
        name_key(prenom),
        phonetic_key(nom),
        _date(naissance, "date_naissance"),
        normalize_uai(_required(uai, "UAI de l'établissement")),
        _text(classe),
        _code(niveau, NIVEAUX, "niveau", upper=True),
        _code(admission, ADMISSIONS, "admission"),
        _datetime(modification, "date_modification"),
    )


RESPONSABLE_COLUMNS = (
    "responsable_id",
    "civilite",
    "nom",
    "prenom",
    "telephone_portable",
    "telephone_fixe",
    "email",
    "date_modification",
)
RESPONSABLE_FIELDS = (
    "responsable_id",
    "civilite",
    "nom",
    "prenom",
    "nom_key",
    "prenom_key",
    "nom_phonetic",
    "telephone_portable",
    "telephone_portable_e164",
    "telephone_portable_is_mobile",
    "telephone_fixe",
    "telephone_fixe_e164",
    "email",
    "email_key",
    "date_modification",
)


def make_read_responsable(
    regions: tuple[str, ...] = DEFAULT_REGIONS,
) -> Callable[[list[str]], tuple[Any, ...]]:
    def read_responsable(cells: list[str]) -> tuple[Any, ...]:
        responsable_id, civilite, nom, prenom, portable, fixe, email, modification = cells
        mobile = parse_phone(portable, regions)
        landline = parse_phone(fixe, regions)
        return (
            _required(responsable_id, "identifiant de responsable (responsable_id)"),
            _text(civilite),
            nom,
            _text(prenom),
            name_key(nom),
            name_key(prenom),
            phonetic_key(nom),
            _text(portable),
            mobile.e164 if mobile else None,
            bool(mobile and mobile.is_mobile),
            _text(fixe),
            landline.e164 if landline else None,
            _text(email),
            email_key(email),
            _datetime(modification, "date_modification"),
        )

    return read_responsable


LINK_COLUMNS = ("eleve_id", "responsable_id", "lien", "responsable_legal")
LINK_FIELDS = LINK_COLUMNS


def read_link(cells: list[str]) -> tuple[Any, ...]:
    eleve_id, responsable_id, lien, legal = cells
    return (
        _required(eleve_id, "identifiant d'élève (eleve_id)"),
        _required(responsable_id, "identifiant de responsable (responsable_id)"),
        _code(lien, LIENS, "lien"),
        _flag(legal, "responsable_legal"),
    )


ACCOUNT_COLUMNS = (
    "compte_id",
    "identifiant",
    "profil",
    "personne_id",
    "etat",
    "origine",
    "email",
    "email_verifie",
    "telephone",
    "enfants",
    "date_creation",
    "date_notification",
    "date_activation",
    "date_dernier_acces",
    "date_synchro",
)
ACCOUNT_FIELDS = (
    "compte_id",
    "identifiant",
    "identifiant_key",
    "profil",
    "personne_id",
    "etat",
    "origine",
    "email",
    "email_key",
    "email_verifie",
    "telephone",
    "telephone_e164",
    "date_creation",
    "date_notification",
    "date_activation",
    "date_dernier_acces",
    "date_synchro",
)


def make_read_account(
    regions: tuple[str, ...] = DEFAULT_REGIONS,
) -> Callable[[list[str]], tuple[tuple[Any, ...], list[str]]]:
    """Read a ``comptes.csv`` row into the account values and its list of children."""

    def read_account(cells: list[str]) -> tuple[tuple[Any, ...], list[str]]:
        (
            compte_id,
            identifiant,
            profil,
            personne_id,
            etat,
            origine,
            email,
            verifie,
            telephone,
            enfants,
            creation,
            notification,
            activation,
            dernier_acces,
            synchro,
        ) = cells
        compte_id = _required(compte_id, "identifiant de compte (compte_id)")
        profil_code = _code(_required(profil, "profil"), PROFILS, "profil")
        phone = parse_phone(telephone, regions)
        children: list[str] = []
        for child in enfants.split("|"):
            child = child.strip()
            if child and child not in children:
                children.append(child)
        values = (
            compte_id,
            _text(identifiant),
            identifiant.lower() or None,
            profil_code,
            _required(personne_id, "identifiant de la personne (personne_id)"),
            _code(etat, ETATS, "etat"),
            _code(origine, ORIGINES, "origine"),
            _text(email),
            email_key(email),
            _flag(verifie, "email_verifie"),
            _text(telephone),
            phone.e164 if phone else None,
            _datetime(creation, "date_creation"),
            _datetime(notification, "date_notification"),
            _datetime(activation, "date_activation"),
            _datetime(dernier_acces, "date_dernier_acces"),
            _datetime(synchro, "date_synchro"),
        )
        return values, children

    return read_account


EXTRACTION_COLUMNS = ("source", "date_extraction")
EXTRACTION_FIELDS = EXTRACTION_COLUMNS


def read_extraction(cells: list[str]) -> tuple[Any, ...]:
    source, moment = cells
    return (
        _code(_required(source, "source"), SOURCES, "source"),
        _datetime(moment, "date_extraction"),
    )
