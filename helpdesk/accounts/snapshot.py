"""A snapshot folder's six files, their columns, and the report of importing them.

The report is the JSON contract of `helpdesk import` (spec/data-contract.md): per-file counts
and every rejected row with its line and French reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from helpdesk.accounts import rows

SCHOOLS = "etablissements.csv"
PUPILS = "eleves.csv"
RESPONSABLES = "responsables.csv"
LINKS = "liens.csv"
ACCOUNTS = "comptes.csv"
EXTRACTION = "extraction.csv"
FILES = (SCHOOLS, PUPILS, RESPONSABLES, LINKS, ACCOUNTS, EXTRACTION)

COLUMNS = {
    SCHOOLS: rows.SCHOOL_COLUMNS,
    PUPILS: rows.PUPIL_COLUMNS,
    RESPONSABLES: rows.RESPONSABLE_COLUMNS,
    LINKS: rows.LINK_COLUMNS,
    ACCOUNTS: rows.ACCOUNT_COLUMNS,
    EXTRACTION: rows.EXTRACTION_COLUMNS,
}


@dataclass
class FileCounts:
    read: int = 0
    imported: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class RejectedRow:
    file: str
    #: Physical line in the file (header = 1); ``None`` when the whole file is missing.
    line: int | None
    reason: str


@dataclass
class ImportReport:
    folder: str
    strict: bool = False
    files: dict[str, FileCounts] = field(default_factory=lambda: {f: FileCounts() for f in FILES})
    rejected: list[RejectedRow] = field(default_factory=list)
    #: The snapshot was committed (rejected rows aside).
    imported_anything: bool = False
    #: A file could not be read at all: nothing was imported.
    file_errors: bool = False
    seconds: float = 0.0
    #: Seconds spent per phase: reading each file into staging, checks, merge.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 0 if self.imported_anything else 1

    def reject(self, file: str, line: int | None, reason: str) -> None:
        self.rejected.append(RejectedRow(file, line, reason))

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": {
                name: {"read": c.read, "imported": c.imported, "rejected": c.rejected}
                for name, c in self.files.items()
            },
            "rejected": [
                {"file": r.file, "line": r.line, "reason": r.reason} for r in self.rejected
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def summary_text(self, max_rejected: int = 50) -> str:
        if self.imported_anything:
            outcome = "instantané importé"
        elif self.file_errors:
            outcome = "rien n'a été importé (fichier illisible)"
        elif self.strict and self.rejected:
            outcome = "rien n'a été importé (mode strict : des lignes sont rejetées)"
        else:
            outcome = "rien n'a été importé"
        lines = [f"Import de {self.folder} : {outcome}."]
        for name, c in self.files.items():
            lines.append(
                f"  {name:<20} {c.read:>9} lue(s)  {c.imported:>9} importée(s)"
                f"  {c.rejected:>7} rejetée(s)"
            )
        if self.rejected:
            lines.append(f"Lignes rejetées ({len(self.rejected)}) :")
            for row in self.rejected[:max_rejected]:
                where = f"ligne {row.line}" if row.line is not None else "fichier"
                lines.append(f"  {row.file}, {where} : {row.reason}")
            if len(self.rejected) > max_rejected:
                lines.append(f"  … et {len(self.rejected) - max_rejected} autre(s) (voir --json)")
        return "\n".join(lines)
