"""Typing slips: misspelt e-mail domains, mistyped phone numbers and birth dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import OSA, Levenshtein

#: Mail providers whose near-misses are taken for slips (taxonomy.md); any other domain is real.
KNOWN_PROVIDERS: tuple[str, ...] = (
    "gmail.com",
    "orange.fr",
    "hotmail.fr",
    "yahoo.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "outlook.fr",
    "live.fr",
    "icloud.com",
    "hotmail.com",
    "neuf.fr",
    "outlook.com",
    "yahoo.com",
    "aol.com",
    "msn.com",
    "bbox.fr",
)

#: At most this many slips (an edit, or a swap of two neighbours) from a known provider.
MAX_DOMAIN_SLIPS = 2


@dataclass(frozen=True)
class EmailProblem:
    reason: str
    likely_domain: str | None = None


def check_email(address: str, providers: tuple[str, ...] = KNOWN_PROVIDERS) -> EmailProblem | None:
    """Why an address is probably wrong, or ``None`` when it looks fine."""
    address = address.strip()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return EmailProblem("adresse invalide (syntaxe)")
    domain = address.rpartition("@")[2].lower()
    likely = likely_provider(domain, providers)
    if likely is not None:
        return EmailProblem(f"domaine « {domain} » proche de « {likely} »", likely)
    return None


def likely_provider(domain: str, providers: tuple[str, ...] = KNOWN_PROVIDERS) -> str | None:
    """The known provider a domain is a slip of, or ``None`` (known, or too far from any)."""
    domain = domain.lower().strip()
    if domain in providers:
        return None
    best: tuple[int, str] | None = None
    for provider in providers:
        distance = OSA.distance(domain, provider, score_cutoff=MAX_DOMAIN_SLIPS)
        if distance <= MAX_DOMAIN_SLIPS and (best is None or distance < best[0]):
            best = (distance, provider)
    return best[1] if best else None


# --- phone numbers --------------------------------------------------------------------------

PHONE_SWAPPED = "deux chiffres inversés"
PHONE_ONE_DIGIT = "un chiffre différent"
PHONE_MISSING_DIGIT = "un chiffre manquant"
PHONE_EXTRA_DIGIT = "un chiffre en trop"
PHONE_OLD_NUMBER = "ancien numéro (encore sur le compte EduConnect)"
PHONE_LANDLINE = "numéro du téléphone fixe de la fiche"
PHONE_OTHER = "numéro différent (ancien numéro ou numéro d'un proche)"


def national_digits(value: str | None) -> str:
    """Digits of a number in French national writing ("0612345678"), however it was written."""
    if not value:
        return ""
    text = value.strip()
    if text.startswith("+"):
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and number.country_code in _FRENCH_CODES:
            return "0" + str(number.national_number)
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0033"):
        digits = "0" + digits[4:].removeprefix("0")
    elif digits.startswith("33") and len(digits) in (11, 12):
        digits = "0" + digits[2:].removeprefix("0")
    elif len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    return digits


_FRENCH_CODES = {33, 262, 508, 590, 594, 596, 269, 687, 689}


def swapped_positions(given: str, expected: str) -> tuple[int, int] | None:
    """Positions of the one pair of digits exchanged between two strings, if that is all."""
    if len(given) != len(expected):
        return None
    diff = [i for i, (a, b) in enumerate(zip(given, expected, strict=True)) if a != b]
    if len(diff) == 2:
        i, j = diff
        if given[i] == expected[j] and given[j] == expected[i]:
            return i, j
    return None


def phone_difference(given: str, expected: str) -> str:
    """How a mistyped number differs from the expected one, in French."""
    a, b = national_digits(given), national_digits(expected)
    if a == b:
        return ""
    if swapped_positions(a, b):
        return PHONE_SWAPPED
    if len(a) == len(b) and Levenshtein.distance(a, b) == 1:
        return PHONE_ONE_DIGIT
    if len(a) + 1 == len(b) and Levenshtein.distance(a, b) == 1:
        return PHONE_MISSING_DIGIT
    if len(a) == len(b) + 1 and Levenshtein.distance(a, b) == 1:
        return PHONE_EXTRA_DIGIT
    return ""


def phone_closeness(given: str, expected: str) -> int:
    """Edit distance between two numbers' national digits (a swap counts one)."""
    return OSA.distance(national_digits(given), national_digits(expected))


# --- dates ----------------------------------------------------------------------------------

DATE_DAY_MONTH = "jour et mois inversés"
DATE_YEAR = "année différente"
DATE_ONE_DIGIT = "un chiffre différent"
DATE_SWAPPED = "deux chiffres inversés"
DATE_OTHER = "date différente"


def date_difference(given: date, expected: date) -> str:
    """How a given birth date differs from the recorded one, in French."""
    if given == expected:
        return ""
    if (given.day, given.month, given.year) == (expected.month, expected.day, expected.year):
        return DATE_DAY_MONTH
    if (given.day, given.month) == (expected.day, expected.month):
        return DATE_YEAR
    a, b = given.strftime("%d%m%Y"), expected.strftime("%d%m%Y")
    if swapped_positions(a, b):
        return DATE_SWAPPED
    if Levenshtein.distance(a, b) == 1:
        return DATE_ONE_DIGIT
    return DATE_OTHER
