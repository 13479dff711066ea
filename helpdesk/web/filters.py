"""Template filters: dates in Europe/Paris, labels of codes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

PARIS = ZoneInfo("Europe/Paris")
_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def local_datetime(value: datetime | None, with_time: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(PARIS)
    text = f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
    return f"{text} à {local:%H:%M}" if with_time else text


def iso_datetime(value: datetime | None) -> str:
    return value.astimezone(PARIS).isoformat(timespec="minutes") if value else ""


def init_app(app: Flask) -> None:
    from helpdesk.labels import label_for

    app.add_template_filter(local_datetime, "local")
    app.add_template_filter(iso_datetime, "iso")
    app.add_template_global(label_for)
