"""Normalisation of the values found in school-base extractions and in what people write.

Phones are read by :mod:`helpdesk.util.phones`.

Shared by the importer (to fill the indexed ``*_key`` / ``*_e164`` columns) and by the matching
of people (to normalise what a requester typed the same way).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from helpdesk.util.frenchdates import PARIS
from helpdesk.util.text import fold

# --------------------------------------------------------------------------- identifiers

CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI = re.compile(r"[0-9]{7}[A-Z]")
_INE_BEA = re.compile(r"[0-9]{10}[A-Z]")
_INE_RNIE = re.compile(r"[0-9]{9}[A-Z]{2}")


def check_letter(digits: str) -> str:
    """The check letter of a UAI (7 digits) or of an INE-BEA (10 digits)."""
    return CHECK_LETTERS[int(digits) % 23]


def normalize_uai(text: str | None) -> str:
    return (text or "").strip().upper()


def is_uai_shaped(text: str | None) -> bool:
    """Seven digits and a letter, whatever the letter."""
    return bool(_UAI.fullmatch(normalize_uai(text)))


def is_valid_uai(text: str | None) -> bool:
    uai = normalize_uai(text)
    return bool(_UAI.fullmatch(uai)) and uai[7] == check_letter(uai[:7])


def normalize_ine(text: str | None) -> str:
    return "".join((text or "").split()).upper()


def is_valid_ine(text: str | None) -> bool:
    """An INE-BEA with its check letter, or an INE-RNIE (format only: its key is not public)."""
    ine = normalize_ine(text)
    if _INE_RNIE.fullmatch(ine):
        return True
    if not _INE_BEA.fullmatch(ine) or len(set(ine[:10])) == 1:
        return False
    return ine[10] == check_letter(ine[:10])


# --------------------------------------------------------------------------- names

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(text: str | None) -> str:
    """Accent-free lower-case words, one space apart: "Le Goff-N'Diaye " -> "le goff n diaye"."""
    return _name_key(text or "")


@lru_cache(maxsize=65536)
def _name_key(text: str) -> str:
    folded = text.lower() if text.isascii() else fold(text.lower())
    return " ".join(_NON_ALNUM.sub(" ", folded).split())


def name_parts(text: str | None) -> list[str]:
    """The words of a compound name: "Martin-Dupont" -> ["martin", "dupont"]."""
    return name_key(text).split()


def compact_key(text: str | None) -> str:
    """The name key without spaces: "Le Goff" and "Legoff" give "legoff"."""
    return name_key(text).replace(" ", "")


_PHONETIC_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"[^a-z]", ""),
        (r"ph", "f"),
        (r"sch", "ch"),
        (r"gu(?=[eiy])", "g"),
        (r"g(?=[eiy])", "j"),
        (r"qu|ck|q", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c(?!h)", "k"),
        (r"gn", "ni"),
        (r"z", "s"),
        (r"w", "v"),
        (r"(?<=[aeiouy])s(?=[aeiouy])", "z"),
        (r"(?<!^)h|^h(?=[aeiouy])", ""),
        (r"(?<=.)[aeiouy]+", ""),
        (r"(.)\1+", r"\1"),
        (r"(?<=..)[tdsxz]+$", ""),
    )
]


def phonetic_key(text: str | None) -> str:
    """A rough French phonetic key of a name, for spelling variants.

    The first letter is kept; later vowels, silent ``h`` and final ``t d s x z`` are dropped;
    sound-alike spellings are merged: "Dupont", "Dupond", "Dupon" -> "dpn";
    "Philippe", "Filipe" -> "flp".
    """
    return _phonetic_key(compact_key(text))


@lru_cache(maxsize=65536)
def _phonetic_key(key: str) -> str:
    for pattern, repl in _PHONETIC_RULES:
        key = pattern.sub(repl, key)
    return key


# --------------------------------------------------------------------------- e-mail


def email_key(text: str | None) -> str | None:
    """The stripped, lower-cased address, or ``None`` when empty."""
    key = (text or "").strip().lower()
    return key or None


# --------------------------------------------------------------------------- dates

_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?")
_DATETIME_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)


@lru_cache(maxsize=16384)
def _utc_offset(year: int, month: int, day: int, hour: int, tz: ZoneInfo) -> timedelta:
    """The offset of ``tz`` during that hour (changes of time happen on the hour)."""
    return datetime(year, month, day, hour, tzinfo=tz).utcoffset() or timedelta(0)


class DateError(ValueError):
    """A date that cannot be read or does not exist; the message is French."""


def parse_date(text: str | None) -> date | None:
    """``JJ/MM/AAAA`` or ``AAAA-MM-JJ``; ``None`` for an empty cell."""
    value = (text or "").strip()
    if not value:
        return None
    return _parse_date(value)


@lru_cache(maxsize=65536)
def _parse_date(value: str) -> date:
    if match := _DATE_FR.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _DATE_ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise DateError(f"date illisible : « {value} »")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"date inexistante : « {value} »") from None


def parse_datetime(text: str | None, tz: ZoneInfo = PARIS) -> datetime | None:
    """``JJ/MM/AAAA[ HH:MM[:SS]]`` or ISO, in ``tz`` unless an offset is given; aware UTC."""
    value = (text or "").strip()
    if not value:
        return None
    return _parse_datetime(value, tz)


@lru_cache(maxsize=65536)
def _parse_datetime(value: str, tz: ZoneInfo) -> datetime:
    if len(value) == 16 and value[2] == "/" and value[5] == "/" and value[10] == " ":
        # The common JJ/MM/AAAA HH:MM, without regular expressions nor a zone look-up per row.
        try:
            year, month, day = int(value[6:10]), int(value[3:5]), int(value[:2])
            hour, minute = int(value[11:13]), int(value[14:16])
            moment = datetime(year, month, day, hour, minute, tzinfo=UTC)
        except ValueError:
            pass
        else:
            if value[13] == ":":
                return moment - _utc_offset(year, month, day, hour, tz)
    offset = None
    if match := _DATETIME_FR.fullmatch(value):
        day, month, year = (int(g) for g in match.groups()[:3])
        hour, minute, second = (int(g or 0) for g in match.groups()[3:])
        micro = 0
    elif match := _DATETIME_ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups()[:3])
        hour, minute, second = (int(g or 0) for g in match.groups()[3:6])
        micro = int((match.group(7) or "0").ljust(6, "0"))
        offset = match.group(8)
    else:
        raise DateError(f"date illisible : « {value} »")
    try:
        moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    except ValueError:
        raise DateError(f"date inexistante : « {value} »") from None
    if offset:
        if offset == "Z":
            moment = moment.replace(tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(
                moment.replace(tzinfo=None).isoformat() + offset[:3] + ":" + offset[-2:]
            )
    return moment.astimezone(UTC)


# --------------------------------------------------------------------------- headers, codes


def header_key(text: str | None) -> str:
    """A CSV header name as compared: " Date Naissance " -> "date_naissance"."""
    return "_".join(_NON_ALNUM.sub(" ", fold((text or "").lstrip("\ufeff"))).split())


def code_key(text: str | None) -> str:
    """A code value as compared: " Définitive " -> "definitive", "1ère" -> "1ere"."""
    return _code_key(text or "")


@lru_cache(maxsize=4096)
def _code_key(text: str) -> str:
    return "_".join(fold(text).replace("'", " ").replace("-", " ").split())
