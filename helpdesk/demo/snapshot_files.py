"""The six files of a snapshot as the importer reads them: headers, identifiers with their
check letter, French dates (data-contract.md)."""

from __future__ import annotations

from datetime import date, datetime

from helpdesk.accounts.normalize import CHECK_LETTERS
from helpdesk.accounts.rows import (
    ACCOUNT_COLUMNS,
    EXTRACTION_COLUMNS,
    LINK_COLUMNS,
    PUPIL_COLUMNS,
    RESPONSABLE_COLUMNS,
    SCHOOL_COLUMNS,
)

#: The columns of each file, as the importer reads them (data-contract.md).
HEADERS = {
    "etablissements.csv": list(SCHOOL_COLUMNS),
    "eleves.csv": list(PUPIL_COLUMNS),
    "responsables.csv": list(RESPONSABLE_COLUMNS),
    "liens.csv": list(LINK_COLUMNS),
    "comptes.csv": list(ACCOUNT_COLUMNS),
    "extraction.csv": list(EXTRACTION_COLUMNS),
}


def uai_for(number: int) -> str:
    digits = f"{number:07d}"
    return digits + CHECK_LETTERS[int(digits) % 23]


def ine_for(number: int) -> str:
    digits = f"{number:010d}"
    return digits + CHECK_LETTERS[int(digits) % 23]


def fr_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def fr_datetime(value: datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M")
