"""How close two written names are: typos, accents, compounds, particles, married names.

Levels: 3 the same name written differently, 2 a likely typo or a partial compound name,
1 a possible typo (two slips on a long name), 0 another name, ``None`` when one side is empty.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from helpdesk.accounts.normalize import DateError, compact_key, name_key, parse_date

SAME, CLOSE, FAR, OTHER = 3, 2, 1, 0

PARTICLES = frozenset(
    {
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "del",
        "della",
        "dos",
        "das",
        "ben",
        "el",
        "al",
        "ter",
        "st",
        "saint",
        "sainte",
    }
)
#: Words joining a usage name and a birth name ("Dupont épouse Martin", "Martin née Dupont").
MARRIAGE_WORDS = frozenset({"epouse", "epse", "ep", "nee", "ne", "veuve", "vve", "dite", "dit"})
#: Endings that turn a masculine first name into a feminine one (Louis/Louise, Jean/Jeanne).
_FEMININE_ENDINGS = ("e", "ne", "le", "te", "tte")


@lru_cache(maxsize=65536)
def surname_alternatives(text: str | None) -> tuple[str, ...]:
    """Name keys a surname may stand for: the whole, and each side of "épouse"/"née"."""
    key = name_key(text)
    if not key:
        return ()
    words = key.split()
    sides: list[list[str]] = [[]]
    for word in words:
        if word in MARRIAGE_WORDS:
            sides.append([])
        else:
            sides[-1].append(word)
    alternatives = [" ".join(side) for side in sides if side]
    whole = " ".join(w for w in words if w not in MARRIAGE_WORDS)
    return tuple(dict.fromkeys([whole, *alternatives]))


def core(key: str) -> str:
    """A name key without particles, compacted: "de la fontaine" -> "fontaine"."""
    return "".join(w for w in key.split() if w not in PARTICLES)


def _typo_level(a: str, b: str) -> int:
    distance = OSA.distance(a, b, score_cutoff=2)
    shortest = min(len(a), len(b))
    if distance == 1 and shortest >= 4:
        return CLOSE
    if (distance == 1 and shortest == 3) or (distance == 2 and shortest >= 6):
        return FAR
    return OTHER


@lru_cache(maxsize=65536)
def surname_level(given: str | None, recorded: str | None) -> int | None:
    givens, records = surname_alternatives(given), surname_alternatives(recorded)
    if not givens or not records:
        return None
    best = OTHER
    for a in givens:
        for b in records:
            best = max(best, _surname_pair(a, b))
            if best == SAME:
                return SAME
    return best


def glued_forms(key: str) -> set[str]:
    """Compact forms with leading particles dropped one by one: "de la fontaine" ->
    {"delafontaine", "lafontaine", "fontaine"}."""
    words = key.split()
    forms = {"".join(words)}
    while len(words) > 1 and words[0] in PARTICLES:
        words = words[1:]
        forms.add("".join(words))
    return forms


def _surname_pair(a: str, b: str) -> int:
    ca, cb = a.replace(" ", ""), b.replace(" ", "")
    if ca == cb or (core(a) and core(a) == core(b)) or glued_forms(a) & glued_forms(b):
        return SAME
    level = _typo_level(ca, cb)
    parts_a = {w for w in a.split() if w not in PARTICLES and len(w) >= 3}
    parts_b = {w for w in b.split() if w not in PARTICLES and len(w) >= 3}
    if parts_a and parts_b and (parts_a <= parts_b or parts_b <= parts_a):
        level = max(level, CLOSE)
    elif len(parts_a) > 1 or len(parts_b) > 1:
        for pa in parts_a:
            for pb in parts_b:
                level = max(level, min(_typo_level(pa, pb), FAR))
    return level


def is_gender_variant(a: str, b: str) -> bool:
    """Louis/Louise, Jean/Jeanne, Daniel/Danielle: two first names, not a typo."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 3 or short.endswith("e") or not long_.startswith(short):
        return False
    return long_[len(short) :] in _FEMININE_ENDINGS


@lru_cache(maxsize=65536)
def first_name_level(given: str | None, recorded: str | None) -> int | None:
    a, b = name_key(given), name_key(recorded)
    if not a or not b:
        return None
    ca, cb = a.replace(" ", ""), b.replace(" ", "")
    if ca == cb:
        return SAME
    if is_gender_variant(ca, cb):
        return OTHER
    wa, wb = a.split(), b.split()
    shorter, longer = sorted((wa, wb), key=len)
    if len(shorter) < len(longer) and longer[: len(shorter)] == shorter:
        return CLOSE
    return _typo_level(ca, cb)


@lru_cache(maxsize=65536)
def similarity(given: str | None, recorded: str | None) -> float:
    """A 0-1 similarity of two names' compact keys."""
    a, b = compact_key(given), compact_key(recorded)
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100


def civility_gender(civilite: str | None) -> str | None:
    key = name_key(civilite).replace(" ", "")
    if key in {"m", "mr", "monsieur"}:
        return "M"
    if key in {"mme", "mlle", "melle", "madame", "mademoiselle", "mmes"}:
        return "F"
    return None


_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_NUMERIC_DATE = re.compile(r"(\d{1,2})[\s./-]+(\d{1,2})[\s./-]+(\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})[\s./-]+(\d{1,2})[\s./-]+(\d{1,2})")
_WORD_DATE = re.compile(r"(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})")


def parse_loose_date(text: str | None, today_year: int | None = None) -> date | None:
    """A date as people write it: 02/03/2015, 2-3-2015, 02.03.15, 2015-03-02, 2 mars 2015."""
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        found = parse_date(raw)
        if found:
            return found
    except DateError:
        pass
    day = month = year = None
    if match := _ISO_DATE.fullmatch(raw):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC_DATE.fullmatch(raw):
        day, month = int(match.group(1)), int(match.group(2))
        year = _full_year(match.group(3), today_year)
    elif raw.isdigit() and len(raw) == 8:
        day, month, year = int(raw[:2]), int(raw[2:4]), int(raw[4:])
    else:
        match = _WORD_DATE.fullmatch(name_key(raw))
        if match and match.group(2) in _MONTHS:
            day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    if day is None or month is None or year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dates_close(a: date, b: date) -> bool:
    """The same date but for one slip: day and month swapped, one digit wrong, two swapped."""
    if a == b or (a.day, a.month, a.year) == (b.month, b.day, b.year):
        return True
    return OSA.distance(a.strftime("%d%m%Y"), b.strftime("%d%m%Y"), score_cutoff=1) <= 1


def _full_year(text: str, today_year: int | None) -> int:
    if len(text) == 4:
        return int(text)
    pivot = (today_year or 2030) % 100
    two = int(text)
    return 2000 + two if two <= pivot else 1900 + two
