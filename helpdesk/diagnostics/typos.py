"""Typing slips: misspelt e-mail domains, mistyped phone numbers and birth dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import OSA, Levenshtein

from helpdesk.util.phones import national_digits

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


def join_places(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " et " + items[-1] if len(items) > 1 else "".join(items)


def ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


@dataclass(frozen=True)
class Gap:
    """How a given value differs from the recorded one, and whether it is one typing slip."""

    text: str
    is_slip: bool


def phone_gap(given: str, expected: str) -> Gap:
    """Which digits differ and where, in French ("les 5e et 6e chiffres sont inversés").

    A slip is two neighbouring digits swapped, one digit different, or one digit missing or
    extra; anything else is another number.
    """
    a, b = national_digits(given), national_digits(expected)
    if a == b:
        return Gap("", False)
    swapped = swapped_positions(a, b)
    if swapped:
        i, j = swapped
        if j == i + 1:
            return Gap(f"les {ordinal(i + 1)} et {ordinal(j + 1)} chiffres sont inversés", True)
        return Gap(f"les {ordinal(i + 1)} et {ordinal(j + 1)} chiffres sont échangés", False)
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return Gap(f"le {ordinal(diff[0] + 1)} chiffre diffère", True)
        if len(diff) <= 3:
            places = join_places([ordinal(i + 1) for i in diff])
            return Gap(f"les {places} chiffres diffèrent", False)
        return Gap("numéro différent", False)
    if abs(len(a) - len(b)) == 1 and Levenshtein.distance(a, b) == 1:
        shorter, longer = (a, b) if len(a) < len(b) else (b, a)
        at = next((i for i in range(len(shorter)) if shorter[i] != longer[i]), len(shorter))
        if len(a) < len(b):
            return Gap(f"il manque un chiffre (le {ordinal(at + 1)})", True)
        return Gap(f"un chiffre en trop (le {ordinal(at + 1)})", True)
    return Gap("numéro différent", False)


def date_gap(given: date, expected: date) -> Gap:
    """How a given birth date differs from the recorded one; a slip is day and month
    swapped, two neighbouring digits swapped, or one digit different."""
    text = date_difference(given, expected)
    if not text:
        return Gap("", False)
    if text == DATE_DAY_MONTH:
        return Gap(text, True)
    a, b = given.strftime("%d%m%Y"), expected.strftime("%d%m%Y")
    swapped = swapped_positions(a, b)
    if swapped and swapped[1] == swapped[0] + 1:
        return Gap(DATE_SWAPPED, True)
    if text == DATE_ONE_DIGIT or (len(a) == len(b) and Levenshtein.distance(a, b) == 1):
        return Gap(DATE_ONE_DIGIT if text == DATE_OTHER else text, True)
    if swapped:
        return Gap("deux chiffres échangés", False)
    return Gap(text, False)


def phone_closeness(given: str, expected: str) -> int:
    """Edit distance between two numbers' national digits (a swap counts one)."""
    return OSA.distance(national_digits(given), national_digits(expected))


# --- dates ----------------------------------------------------------------------------------

DATE_DAY_MONTH = "jour et mois inversés"
DATE_YEAR = "année différente"
DATE_ONE_DIGIT = "un chiffre différent"
DATE_SWAPPED = "deux chiffres voisins inversés"
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
