"""Diagnostic codes of the taxonomy, their severity, French labels and display order."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"
    INFO = "info"


SEVERITY_RANK = {Severity.BLOCKING: 0, Severity.WARNING: 1, Severity.INFO: 2}

SEVERITY_LABELS = {
    Severity.BLOCKING: "Bloquant",
    Severity.WARNING: "Avertissement",
    Severity.INFO: "Information",
}

#: Every code, in the taxonomy's order (the tie-break after severity), with its severity.
CODES: dict[str, Severity] = {
    "phone_missing": Severity.BLOCKING,
    "phone_mismatch": Severity.BLOCKING,
    "phone_not_mobile": Severity.BLOCKING,
    "phone_shared": Severity.WARNING,
    "birthdate_mismatch": Severity.BLOCKING,
    "duplicate_responsable": Severity.BLOCKING,
    "email_unverified": Severity.BLOCKING,
    "email_suspect": Severity.WARNING,
    "email_missing": Severity.INFO,
    "activation_expired": Severity.BLOCKING,
    "not_notified": Severity.BLOCKING,
    "pupil_not_eligible": Severity.BLOCKING,
    "maternelle_only": Severity.INFO,
    "sync_pending": Severity.INFO,
    "not_legal_guardian": Severity.BLOCKING,
    "account_ok": Severity.INFO,
    "person_not_found": Severity.BLOCKING,
    "person_ambiguous": Severity.BLOCKING,
}

CODE_LABELS: dict[str, str] = {
    "phone_missing": "Pas de numéro de mobile dans la base élèves",
    "phone_mismatch": "Le mobile indiqué diffère de celui de la base élèves",
    "phone_not_mobile": "Numéro fixe ou invalide à la place du mobile",
    "phone_shared": "Mobile partagé par plusieurs responsables",
    "birthdate_mismatch": "Date de naissance d'un enfant différente de la base élèves",
    "duplicate_responsable": "Responsable enregistré en double",
    "email_unverified": "Adresse électronique non confirmée",
    "email_suspect": "Adresse électronique probablement erronée",
    "email_missing": "Aucune adresse électronique",
    "activation_expired": "Mot de passe provisoire expiré",
    "not_notified": "Compte jamais notifié",
    "pupil_not_eligible": "Élève pas encore éligible à un compte",
    "maternelle_only": "Enfants en maternelle uniquement",
    "sync_pending": "Modification en attente de synchronisation",
    "not_legal_guardian": "Pas représentant légal de l'élève",
    "account_ok": "Compte sans anomalie",
    "person_not_found": "Personne introuvable dans la base",
    "person_ambiguous": "Plusieurs personnes possibles",
}

#: The blocking findings, in the order that picks the primary one (guided-fixes.md).
PRIMARY_ORDER = (
    "person_ambiguous",
    "person_not_found",
    "not_legal_guardian",
    "pupil_not_eligible",
    "duplicate_responsable",
    "phone_mismatch",
    "birthdate_mismatch",
    "activation_expired",
    "phone_missing",
    "phone_not_mobile",
    "not_notified",
    "email_unverified",
)
#: The codes that may warn, in the order of guided-fixes.md's table.
WARNING_ORDER = ("phone_shared", "email_suspect")

_ORDER = {code: index for index, code in enumerate(PRIMARY_ORDER)}
_ORDER.update({code: len(PRIMARY_ORDER) + i for i, code in enumerate(CODES) if code not in _ORDER})


def sort_key(code: str, severity: str) -> tuple[int, int]:
    """Severity first; among blocking findings, the order that picks the primary one."""
    return SEVERITY_RANK[Severity(severity)], _ORDER.get(code, len(_ORDER))
