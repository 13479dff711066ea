"""Dates written the French way, in Europe/Paris: « 1er mars 2026 », « lundi 2 mars 2026 »."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
SHORT_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    return value


def long_date(value: date | datetime) -> str:
    """« 1er mars 2026 »."""
    day = _day(value)
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def weekday_date(value: date | datetime) -> str:
    """« lundi 21 septembre 2026 »."""
    day = _day(value)
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(value: date | datetime) -> str:
    """« 30 nov. 2026 »."""
    day = _day(value)
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"
