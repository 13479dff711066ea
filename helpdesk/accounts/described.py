"""What a requester wrote about themselves and their children, read once.

The surname/first-name readings (as written, inverted, or split from one field), the phone in
E.164 with its one-slip variants, the children's birth dates in any usual writing; and how well
a described child fits a pupil.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from helpdesk.accounts.names import (
    CLOSE,
    OTHER,
    SAME,
    dates_close,
    first_name_level,
    parse_loose_date,
)
from helpdesk.accounts.normalize import email_key
from helpdesk.util.phones import parse_phone


@dataclass(frozen=True)
class ChildQuery:
    nom: str | None = None
    prenom: str | None = None
    date_naissance: str | None = None


@dataclass(frozen=True)
class PersonQuery:
    """What a requester wrote about themselves and their children; anything may be missing."""

    nom: str | None = None
    prenom: str | None = None
    email: str | None = None
    telephone: str | None = None
    role: str | None = None
    uai: str | None = None
    children: tuple[ChildQuery, ...] = ()
    #: The EduConnect login the requester gave, if any.
    login: str | None = None

    @property
    def describes_requester(self) -> bool:
        return any((self.nom, self.prenom, self.email, self.telephone, self.login))


@dataclass
class Described:
    """The request, normalised once."""

    orientations: list[tuple[str, str]]  # (nom, prenom) readings, raw text
    email: str | None
    phone: str | None
    phone_variants: list[str]
    children: list[tuple[ChildQuery, date | None]]
    uai: str | None
    login: str | None = None


def readings(nom: str | None, prenom: str | None) -> list[tuple[str, str]]:
    """Possible (surname, first name) readings: as written, inverted, or split from one field."""
    nom, prenom = (nom or "").strip(), (prenom or "").strip()
    readings: list[tuple[str, str]] = []
    if nom and prenom:
        readings += [(nom, prenom), (prenom, nom)]
    elif nom or prenom:
        text = nom or prenom
        words = text.split()
        if len(words) >= 2:
            readings += [
                (" ".join(words[1:]), words[0]),
                (" ".join(words[:-1]), words[-1]),
            ]
        readings.append((nom, prenom))
    return readings


def phone_variants(e164: str | None) -> list[str]:
    """The number with one slip undone: two neighbouring digits swapped, or one digit changed."""
    if not e164 or not e164.startswith("+33") or len(e164) != 12:
        return []
    digits = e164[3:]
    variants: set[str] = set()
    for i in range(len(digits) - 1):
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        variants.add(swapped)
    for i in range(1, len(digits)):
        for d in "0123456789":
            variants.add(digits[:i] + d + digits[i + 1 :])
    variants.discard(digits)
    return sorted("+33" + v for v in variants)


def describe(query: PersonQuery) -> Described:
    phone = parse_phone(query.telephone) if query.telephone else None
    e164 = phone.e164 if phone else None
    orientations = readings(query.nom, query.prenom)
    children = [(child, parse_loose_date(child.date_naissance)) for child in query.children]
    return Described(
        orientations=orientations,
        email=email_key(query.email),
        phone=e164,
        phone_variants=phone_variants(e164),
        children=children,
        uai=(query.uai or "").strip().upper() or None,
        login=(query.login or "").strip().lower() or None,
    )


def child_fits_any(given: Described, pupil) -> bool:
    return any(child_fit(child, born, pupil) > 0 for child, born in given.children)


def child_fit(child: ChildQuery, born: date | None, pupil) -> float:
    """How well a described child fits a pupil, 0 (not them) to 1, to recognise the child
    among a person's children: a named child with another birth date still fits (the birth
    date check reports it)."""
    level = first_name_level(child.prenom, pupil.prenom)
    if level == OTHER:
        return 0.0
    same_date = born is not None and pupil.date_naissance == born
    if level is None:
        return 0.8 if same_date else 0.0
    if same_date:
        return 1.0 if level >= CLOSE else 0.8
    if level >= CLOSE:
        return 0.6 if level == SAME else 0.45
    return 0.0


def child_support(child: ChildQuery, born: date | None, pupil) -> float:
    """How much a described child tells that a record is the requester: the child's name
    with the same birth date (or one typing slip away), or with no date given."""
    fit = child_fit(child, born, pupil)
    if fit == 0 or born is None or pupil.date_naissance is None:
        return fit if born is None else 0.0
    if pupil.date_naissance == born:
        return fit
    return 0.4 if dates_close(born, pupil.date_naissance) else 0.0
