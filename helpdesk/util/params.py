"""Untrusted request values turned into typed ones, or refused with a French message.

Every path segment, query-string argument and action-form value passes through these
parsers before it reaches a query. What a column cannot hold is refused here rather than
deep in the database driver: PostgreSQL rejects NUL bytes and integers beyond its column
types, SQLite integers beyond 64 bits, and Python's ``int()`` accepts digits such as "²"
that ``str.isdigit`` lets through.
"""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import date

#: The largest value of an INTEGER column (primary keys, counters) on PostgreSQL.
ID_MAX = 2**31 - 1
#: Beyond this page number a listing is empty anyway; refusing it keeps OFFSET bounded.
PAGE_MAX = 100_000
#: The dates a filter may name: the service's records begin long after, end long before.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)

_ASCII_INT = re.compile(r"[+-]?[0-9]{1,20}")
#: C0 controls other than tab, newline and carriage return; DEL; lone surrogates.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class InvalidParameter(ValueError):
    """A request value that cannot be read; the message says which and why, in French."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def forbidden_character(value: str) -> bool:
    """Whether the text holds a character no field of the service accepts (NUL...)."""
    return bool(_FORBIDDEN.search(value))


def parse_int(
    raw: str | None,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = ID_MAX,
    label: str | None = None,
) -> int | None:
    """A whole number written in ASCII digits within [minimum, maximum]; empty gives default."""
    text = (raw or "").strip()
    if not text:
        return default
    shown = label or f"« {name} »"
    if not _ASCII_INT.fullmatch(text):
        raise InvalidParameter(name, f"Le paramètre {shown} doit être un nombre entier.")
    value = int(text)
    if not minimum <= value <= maximum:
        raise InvalidParameter(
            name, f"Le paramètre {shown} doit être compris entre {minimum} et {maximum}."
        )
    return value


def parse_page(raw: str | None, name: str = "page") -> int:
    """A page number from 1 to PAGE_MAX; absent means the first page."""
    value = parse_int(raw, name, default=1, minimum=1, maximum=PAGE_MAX, label="de page")
    return value or 1


def parse_id(raw: str | None, name: str) -> int | None:
    """The identifier of a record, or None when the value is empty."""
    return parse_int(raw, name, minimum=1, maximum=ID_MAX)


def parse_date(raw: str | None, name: str) -> date | None:
    """A day written YYYY-MM-DD between DATE_MIN and DATE_MAX; empty gives None."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(
            name, f"La date « {name} » doit s'écrire AAAA-MM-JJ (par exemple 2026-09-01)."
        ) from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise InvalidParameter(
            name,
            f"La date « {name} » doit être comprise entre {DATE_MIN:%d/%m/%Y} "
            f"et {DATE_MAX:%d/%m/%Y}.",
        )
    return day


def parse_choice(raw: str | None, name: str, choices: Container[str], default: str = "") -> str:
    """One of the known codes; empty gives default, anything else is refused."""
    text = (raw or "").strip()
    if not text:
        return default
    if text not in choices:
        raise InvalidParameter(name, f"La valeur du paramètre « {name} » n'est pas reconnue.")
    return text


def clean_text(raw: str | None, name: str, max_length: int = 200) -> str:
    """Free text for a filter: trimmed, cut to max_length, free of control characters."""
    text = (raw or "").strip()
    if forbidden_character(text):
        raise InvalidParameter(name, f"Le paramètre « {name} » contient un caractère interdit.")
    return text[:max_length]
