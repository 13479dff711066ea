"""The watch page as a CSV file for Excel."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from helpdesk.diagnostics.masking import format_date
from helpdesk.watch.items import CATEGORIES, SchoolWatch

CSV_HEADER = ("Catégorie", "Identifiant", "Nom", "Profil", "Enfants ou classe", "Détail", "Date")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = format_date(value)[:10]
    elif isinstance(value, date):
        text = format_date(value)
    else:
        text = str(value)
    # A spreadsheet would run a cell starting like a formula.
    return "'" + text if text.startswith(_FORMULA_START) else text


def watch_csv(watch: SchoolWatch, category: str | None = None) -> str:
    """The items as a CSV file for Excel: UTF-8 with a byte-order mark, ``;`` separated."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for item in watch.rows(category):
        writer.writerow(
            [
                _cell(value)
                for value in (
                    CATEGORIES[item.category],
                    item.ident,
                    item.name,
                    item.profile,
                    item.children,
                    item.detail,
                    item.when,
                )
            ]
        )
    return buffer.getvalue()
