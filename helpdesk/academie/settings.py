"""The académie's details as the pages, articles and replies show them.

They are read from the database on every use (never kept in a worker's memory) so that a
change on the admin page shows at once on every worker. Values missing from the database
fall back to the defaults below, which describe the demo académie.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.academie.models import AcademieSetting
from helpdesk.core.errors import DomainError


@dataclass(frozen=True)
class AcademieSettings:
    nom: str = "Académie de Démo"
    adresse_postale: str = "Rectorat de l'académie de Démo, 2 rue de l'Exemple, 21000 Démo"
    courriel_assistance: str = "assistance@ac-demo.fr"
    site_web: str = "https://www.ac-demo.fr"
    telephone_assistance: str = "01 23 45 67 89"
    horaires_assistance: str = "du lundi au vendredi, de 8 h à 12 h 30 et de 13 h 30 à 17 h 30"
    dpd_nom: str = "Délégué à la protection des données de l'académie de Démo"
    dpd_courriel: str = "dpd@ac-demo.fr"
    dpd_adresse: str = "DPD, Rectorat de l'académie de Démo, 2 rue de l'Exemple, 21000 Démo"

    @property
    def contact_dpd(self) -> str:
        """How to reach the DPD, in one line."""
        return f"{self.dpd_nom}, {self.dpd_courriel}"

    @property
    def telephone_uri(self) -> str:
        """The phone number as a `tel:` link target."""
        digits = re.sub(r"[^\d+]", "", self.telephone_assistance)
        return f"tel:{digits}"

    def placeholders(self) -> dict[str, str]:
        """The values of the `{name}` placeholders of replies and articles."""
        return {
            "academie": self.nom,
            "adresse_academie": self.adresse_postale,
            "courriel_assistance": self.courriel_assistance,
            "telephone_assistance": self.telephone_assistance,
            "horaires_assistance": self.horaires_assistance,
            "contact_dpd": self.contact_dpd,
        }


#: Placeholder name -> what it stands for, shown to the people who write replies.
PLACEHOLDER_LABELS = {
    "academie": "nom de l'académie",
    "adresse_academie": "adresse postale de l'académie",
    "courriel_assistance": "adresse électronique de l'assistance",
    "telephone_assistance": "téléphone de l'assistance",
    "horaires_assistance": "horaires de l'assistance téléphonique",
    "contact_dpd": "contact du délégué à la protection des données",
}
FIELDS = tuple(f.name for f in fields(AcademieSettings))
MAX_LENGTH = 300
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def load(session: Session) -> AcademieSettings:
    """The stored values over the defaults."""
    stored = {
        row.key: row.value
        for row in session.scalars(select(AcademieSetting))
        if row.key in FIELDS and row.value.strip()
    }
    return AcademieSettings(**stored)


def save(session: Session, values: dict[str, str]) -> AcademieSettings:
    """Store the admin page's values; raise DomainError (French) on an unknown or bad value."""
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        if name not in FIELDS:
            raise DomainError(f"Réglage inconnu : {name}.")
        text = " ".join(str(value or "").split())
        if not text:
            raise DomainError("Tous les champs sont obligatoires.")
        if len(text) > MAX_LENGTH:
            raise DomainError(f"{MAX_LENGTH} caractères au plus par champ.")
        cleaned[name] = text
    for name, text in cleaned.items():
        row = session.get(AcademieSetting, name)
        if row is None:
            session.add(AcademieSetting(key=name, value=text))
        else:
            row.value = text
    session.flush()
    return load(session)


def fill(text: str, settings: AcademieSettings) -> str:
    """Replace the académie placeholders of a text; other braces stay as written."""
    values = settings.placeholders()

    def replace(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return _PLACEHOLDER.sub(replace, text)


def describe(text: str) -> str:
    """The text with each académie placeholder named in words, for the search index (the
    index is shared by every worker and does not follow later changes of the values)."""

    def replace(match: re.Match[str]) -> str:
        return PLACEHOLDER_LABELS.get(match.group(1), match.group(0))

    return _PLACEHOLDER.sub(replace, text)


def as_dict(settings: AcademieSettings) -> dict[str, str]:
    return asdict(settings)
