"""Display of personal data in evidence: clear for DSI agents, masked for everyone else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from helpdesk.util.frenchdates import PARIS
from helpdesk.util.phones import national_format
from helpdesk.util.text import mask_login

_DIGIT = re.compile(r"\d")


def mask_phone(value: str | None) -> str:
    """Keep the first and last groups: "06 ** ** ** 78"."""
    shown = national_format(value)
    groups = shown.split()
    if len(groups) >= 3:
        middle = [_DIGIT.sub("*", group) for group in groups[1:-1]]
        return " ".join([groups[0], *middle, groups[-1]])
    digits = re.sub(r"\D", "", shown)
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def mask_email(value: str | None) -> str:
    """Keep the first letter and the domain: "c***@gmail.com"."""
    if not value:
        return ""
    local, at, domain = value.strip().rpartition("@")
    if not at:
        return value[:1] + "***"
    return f"{local[:1]}***@{domain}"


def initials(value: str | None) -> str:
    """ "Marie-Claire Dupont" -> "M.-C. D."."""
    words = []
    for word in (value or "").split():
        parts = [p[:1].upper() + "." for p in word.split("-") if p]
        if parts:
            words.append("-".join(parts))
    return " ".join(words)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Masker:
    """Writes personal data for evidence, masked when ``enabled``."""

    enabled: bool = True

    def phone(self, value: str | None) -> str:
        return mask_phone(value) if self.enabled else national_format(value)

    def email(self, value: str | None) -> str:
        return mask_email(value) if self.enabled else (value or "")

    def name(self, *parts: str | None) -> str:
        text = " ".join(p for p in parts if p)
        return initials(text) if self.enabled else text

    def birth_date(self, value: date | None) -> str:
        if value is None:
            return ""
        return f"**/**/{value.year}" if self.enabled else format_date(value)

    def login(self, value: str | None) -> str:
        if not value:
            return ""
        if not self.enabled:
            return value
        return mask_login(value) or ""
