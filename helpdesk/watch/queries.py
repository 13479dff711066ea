"""Accounts to watch in one school, before parents write: the diagnostics, school-wide.

Everything is read for one UAI through indexed look-ups (pupils by UAI, their links, the
responsables and accounts of those), so the cost follows the size of the school, never that of
the académie.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from helpdesk.diagnostics.masking import Masker
from helpdesk.diagnostics.rules.account import PROVISIONAL_PASSWORD_MONTHS, add_months
from helpdesk.diagnostics.services import educonnect_now
from helpdesk.watch.duplicates import duplicate_groups
from helpdesk.watch.items import (
    ADMISSION_LABELS,
    CATEGORIES,
    CATEGORY_ACTIONS,
    PROFILE_LABELS,
    SchoolWatch,
    WatchItem,
)
from helpdesk.watch.records import (
    SchoolRecords,
    children_text,
    full_name,
    load_school,
    name_key,
)

__all__ = ["CATEGORIES", "CATEGORY_ACTIONS", "SchoolWatch", "WatchItem", "school_watch"]


def school_watch(session: Session, uai: str, masker: Masker | None = None) -> SchoolWatch:
    """What to watch in the school ``uai``; contact data written by ``masker`` (masked)."""
    masker = masker or Masker(True)
    school = load_school(session, uai)
    now = educonnect_now(session)
    watch = SchoolWatch(uai=uai, now=now)
    watch.items["sans_mobile"] = _without_mobile(school, masker)
    watch.items["doublons"] = duplicate_groups(session, school)
    expired, unconfirmed = _account_items(school, now, masker)
    watch.items["notification_expiree"] = expired
    watch.items["courriel_non_confirme"] = unconfirmed
    watch.items["eleve_non_eligible"] = _ineligible_pupils(school)
    for items in watch.items.values():
        items.sort(key=lambda item: item.sort_key)
    return watch


def _without_mobile(school: SchoolRecords, masker: Masker) -> list[WatchItem]:
    items = []
    for row in school.responsables.values():
        if row.telephone_portable_is_mobile:
            continue
        written = (row.telephone_portable or "").strip()
        if written:
            detail = (
                "Numéro enregistré comme mobile qui n'en est pas un : "
                f"{masker.phone(row.telephone_portable_e164 or written)}"
            )
        elif row.telephone_fixe:
            detail = f"Aucun mobile ; un fixe est enregistré ({masker.phone(row.telephone_fixe)})"
        else:
            detail = "Aucun numéro de téléphone"
        items.append(
            WatchItem(
                "sans_mobile",
                row.responsable_id,
                full_name(row),
                "Responsable",
                children_text(school, row.responsable_id),
                detail,
                sort_key=name_key(row),
            )
        )
    return items


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ineligible_pupils(school: SchoolRecords) -> list[WatchItem]:
    items = []
    for pupil in school.pupils.values():
        reasons = []
        if not (pupil.ine or "").strip():
            reasons.append("sans INE")
        if not (pupil.classe or "").strip():
            reasons.append("sans classe")
        if pupil.admission != "definitive":
            reasons.append(ADMISSION_LABELS.get(pupil.admission or "", "admission non renseignée"))
        if reasons:
            items.append(
                WatchItem(
                    "eleve_non_eligible",
                    pupil.eleve_id,
                    full_name(pupil),
                    "Élève",
                    pupil.classe or pupil.niveau or "",
                    _sentence(", ".join(reasons)),
                    sort_key=name_key(pupil),
                )
            )
    return items


def _account_items(
    school: SchoolRecords, now: datetime | None, masker: Masker
) -> tuple[list[WatchItem], list[WatchItem]]:
    expired, unconfirmed = [], []
    for account in school.accounts:
        if account.profil == "eleve":
            person = school.pupils.get(account.personne_id)
            children = ""
        else:
            person = school.responsables.get(account.personne_id)
            children = children_text(school, account.personne_id)
        if person is None:
            continue
        profile = PROFILE_LABELS.get(account.profil, account.profil)
        if (
            account.etat == "notifie_non_active"
            and now is not None
            and account.date_notification is not None
            and now > add_months(account.date_notification, PROVISIONAL_PASSWORD_MONTHS)
        ):
            expired.append(
                WatchItem(
                    "notification_expiree",
                    account.compte_id,
                    full_name(person),
                    profile,
                    children,
                    "Mot de passe provisoire expiré",
                    account.date_notification,
                    sort_key=(account.date_notification, *name_key(person)),
                )
            )
        elif account.etat == "en_cours_activation":
            address = masker.email(account.email) if account.email else "adresse non renseignée"
            unconfirmed.append(
                WatchItem(
                    "courriel_non_confirme",
                    account.compte_id,
                    full_name(person),
                    profile,
                    children,
                    f"En attente de confirmation ({address})",
                    account.date_creation,
                    sort_key=name_key(person),
                )
            )
    return expired, unconfirmed
