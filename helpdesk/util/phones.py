"""Phone numbers in any usual writing: read once, here, for imports, forms and diagnostics.

French numbers come first (metropolitan, then the overseas départements); E.164 is the form
that is stored and compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

#: Regions tried in turn: metropolitan France first, then the overseas départements.
DEFAULT_REGIONS: tuple[str, ...] = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")
FRENCH_COUNTRY_CODES = frozenset({33, 262, 508, 590, 594, 596})
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]+")
_FR_NATIONAL = re.compile(r"(?:0|\+33|0033)([1-9][0-9]{8})")


def _french_pattern(kind: str) -> re.Pattern[str]:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    assert metadata is not None
    pattern = getattr(metadata, kind).national_number_pattern
    return re.compile(pattern)


_FR_MOBILE = _french_pattern("mobile")
_FR_FIXED = _french_pattern("fixed_line")


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number as written, with its E.164 form when it could be read."""

    raw: str
    #: ``+33612345678``; ``None`` when the writing is not a possible phone number.
    e164: str | None
    #: phonenumbers holds it valid (allocated) for its region.
    is_valid: bool
    #: A valid French mobile (metropolitan or overseas): SMS self-enrolment can use it.
    is_mobile: bool


def parse_phone(raw: str | None, regions: tuple[str, ...] = DEFAULT_REGIONS) -> Phone | None:
    """Read a French phone number written in any usual way; ``None`` for an empty cell.

    Each region of ``regions`` is tried in turn and the first that holds the number valid wins
    (``0694 12 34 56`` is a Guyane mobile); a number valid in none of them keeps the E.164 form
    the first region gives when that is at least a possible number.
    """
    text = (raw or "").strip()
    if not text:
        return None
    e164, is_valid, is_mobile = _parse_compact(_SEPARATORS.sub("", text), regions)
    return Phone(text, e164, is_valid, is_mobile)


@lru_cache(maxsize=65536)
def _parse_compact(compact: str, regions: tuple[str, ...]) -> tuple[str | None, bool, bool]:
    if regions and regions[0] == "FR":
        match = _FR_NATIONAL.fullmatch(compact)
        # The usual metropolitan writings, without the cost of a full parse.
        if match:
            national = match.group(1)
            if _FR_MOBILE.fullmatch(national):
                return "+33" + national, True, True
            if _FR_FIXED.fullmatch(national):
                return "+33" + national, True, False
    if compact.startswith("00") and not compact.startswith("000"):
        compact = "+" + compact[2:]
    fallback: str | None = None
    for region in regions:
        try:
            number = phonenumbers.parse(compact, region)
        except phonenumbers.NumberParseException:
            if compact.startswith("+"):
                break
            continue
        if phonenumbers.is_valid_number(number):
            mobile = (
                number.country_code in FRENCH_COUNTRY_CODES
                and phonenumbers.number_type(number) in _MOBILE_TYPES
            )
            return _e164(number), True, mobile
        if fallback is None and phonenumbers.is_possible_number(number):
            fallback = _e164(number)
        if compact.startswith("+"):
            break
    return fallback, False, False


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_french_phone(text: str | None, regions: tuple[str, ...] = DEFAULT_REGIONS) -> str | None:
    """E.164 form of a French (or other) number, None when it cannot be read."""
    phone = parse_phone(text, regions)
    return phone.e164 if phone else None


def read_number(text: str | None) -> phonenumbers.PhoneNumber | None:
    """The number as phonenumbers reads it: international when written with "+", else
    French; None when unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return phonenumbers.parse(text, None if text.startswith("+") else "FR")
    except phonenumbers.NumberParseException:
        return None


def national_format(value: str | None) -> str:
    """National writing of a stored E.164 number ("06 12 34 56 78"), or the value as is."""
    if not value:
        return ""
    if value.startswith("+"):
        number = read_number(value)
        if number is None:
            return value
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return value


#: Country codes written with a national "0" in France (overseas collectivities included).
_NATIONAL_CODES = {33, 262, 508, 590, 594, 596, 269, 687, 689}


def national_digits(value: str | None) -> str:
    """Digits of a number in French national writing ("0612345678"), however it was written."""
    if not value:
        return ""
    text = value.strip()
    if text.startswith("+"):
        number = read_number(text)
        if number is not None and number.country_code in _NATIONAL_CODES:
            return "0" + str(number.national_number)
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0033"):
        digits = "0" + digits[4:].removeprefix("0")
    elif digits.startswith("33") and len(digits) in (11, 12):
        digits = "0" + digits[2:].removeprefix("0")
    elif len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    return digits


def mobile_in_text(text: str) -> str | None:
    """The first French mobile number written in a message, as written."""
    for found in phonenumbers.PhoneNumberMatcher(text[:5000], "FR"):
        if phonenumbers.number_type(found.number) == PhoneNumberType.MOBILE:
            return found.raw_string
    return None


def written_forms(e164: str) -> tuple[str, ...]:
    """The usual French writings of a number: +33…, 0…, in pairs with spaces, dots or dashes."""
    variants = {e164}
    if e164.startswith("+33") and len(e164) == 12:
        national = "0" + e164[3:]
        pairs = [national[i : i + 2] for i in range(0, 10, 2)]
        variants.update(
            {
                national,
                " ".join(pairs),
                ".".join(pairs),
                "-".join(pairs),
                "+33 " + national[1] + " " + " ".join(pairs[1:]),
                "+33" + national[1:],
                "0033" + national[1:],
            }
        )
    return tuple(sorted(variants, key=len, reverse=True))
