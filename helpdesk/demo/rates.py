"""What a synthetic académie looks like: providers, levels, school sizes, and how often each
anomaly the helpdesk meets is injected."""

from __future__ import annotations

from helpdesk.diagnostics.typos import KNOWN_PROVIDERS

#: The most common of the known providers.
PROVIDERS = KNOWN_PROVIDERS[:12]
MISSPELT_PROVIDERS = ("gmial.com", "hotmial.fr", "orange.rf", "yahou.fr", "gmail.cmo", "wanado.fr")

#: (niveau, age at the rentrée, school types that teach it)
LEVELS = [
    ("PS", 3, ("maternelle", "primaire")),
    ("MS", 4, ("maternelle", "primaire")),
    ("GS", 5, ("maternelle", "primaire")),
    ("CP", 6, ("elementaire", "primaire")),
    ("CE1", 7, ("elementaire", "primaire")),
    ("CE2", 8, ("elementaire", "primaire")),
    ("CM1", 9, ("elementaire", "primaire")),
    ("CM2", 10, ("elementaire", "primaire")),
    ("6E", 11, ("college",)),
    ("5E", 12, ("college",)),
    ("4E", 13, ("college",)),
    ("3E", 14, ("college",)),
    ("2NDE", 15, ("lycee",)),
    ("1ERE", 16, ("lycee",)),
    ("TLE", 17, ("lycee",)),
]
SECONDARY = {"college", "lycee"}
#: Pupils per school, by type (rough national averages).
SCHOOL_SIZES = {"maternelle": 90, "elementaire": 150, "primaire": 120, "college": 500, "lycee": 900}

#: Injection rates (share of the records concerned).
RATES = {
    "phone_missing": 0.06,
    "phone_landline": 0.02,
    "phone_invalid": 0.005,
    "phone_transposed": 0.015,
    "phone_shared": 0.02,
    "duplicate_responsable": 0.015,
    "email_missing": 0.04,
    "email_misspelt": 0.01,
    "not_legal_guardian": 0.05,
    "pupil_no_ine": 0.03,
    "pupil_no_class": 0.01,
    "admission_provisoire": 0.015,
    "admission_radiee": 0.005,
    "sync_pending": 0.02,
    "account_missing": 0.04,
    "etat_non_notifie": 0.08,
    "etat_notifie_recent": 0.04,
    "etat_notifie_expired": 0.05,
    "etat_en_cours_activation": 0.03,
}
