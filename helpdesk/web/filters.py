"""Template filters: dates in Europe/Paris, durations, languages."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from helpdesk.util.frenchdates import PARIS, short_date
from helpdesk.util.language import language_name, with_language_notice


def local_datetime(value: datetime | None, with_time: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(PARIS)
    text = short_date(local)
    return f"{text} à {local:%H:%M}" if with_time else text


def compact_datetime(value: datetime | None) -> str:
    """Day, month and time in few characters ("07/12 14:03"), for dense tables."""
    return value.astimezone(PARIS).strftime("%d/%m %H:%M") if value else ""


def iso_datetime(value: datetime | None) -> str:
    return value.astimezone(PARIS).isoformat(timespec="minutes") if value else ""


def duration(days: int) -> str:
    """A retention period in words: whole years as years, anything else in days."""
    if days and days % 365 == 0:
        years = days // 365
        return "un an" if years == 1 else f"{years} ans"
    return "un jour" if days == 1 else f"{days} jours"


def init_app(app: Flask) -> None:
    app.add_template_filter(with_language_notice, "with_language_notice")
    app.add_template_global(language_name, "language_name")
    app.add_template_filter(local_datetime, "local")
    app.add_template_filter(iso_datetime, "iso")
    app.add_template_filter(duration, "duration")
    app.add_template_filter(compact_datetime, "compact")
