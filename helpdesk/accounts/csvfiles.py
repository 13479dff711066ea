"""Streaming reader of the snapshot CSV files, as real extractions write them.

Encoding detected (UTF-8 with or without BOM, else Windows-1252), separator ``;`` or ``,``
detected from the header, header names compared without case, accents or surrounding spaces.
Rows come one at a time with their physical line number (the header is line 1).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from helpdesk.accounts.normalize import header_key

_NON_ASCII_TEXT = re.compile(r"[^\x00-\x7f\ufffd]")
#: A quoted cell may span this many physical lines at most.
MAX_LINES_PER_ROW = 20


class FileError(Exception):
    """The file cannot be read at all (missing, empty, header unusable); the message is French."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True, slots=True)
class BadRow:
    """A physical row that could not be split into cells."""

    reason: str


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` with a BOM, ``utf-8`` when the bytes are UTF-8, else ``cp1252``.

    A file that is UTF-8 but for a few broken sequences stays UTF-8 (the broken rows are then
    reported); one with no valid UTF-8 beyond ASCII is read as Windows-1252.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        bad = good = 0
        while chunk := fh.read(1 << 20):
            text = decoder.decode(chunk)
            bad += text.count("\ufffd")
            if good < 1000:
                good += len(_NON_ASCII_TEXT.findall(text, 0, 1 << 16))
        bad += decoder.decode(b"", final=True).count("\ufffd")
    if bad == 0 or good >= bad:
        return "utf-8"
    return "cp1252"


class CsvFile:
    """One snapshot file opened for reading; iterate it for ``(line, cells | BadRow)``."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        self.columns = columns
        if not path.is_file():
            raise FileError("fichier absent du dossier")
        self.encoding = detect_encoding(path)
        with self._open() as fh:
            header = fh.readline()
        header = header.rstrip("\r\n")
        if not header.strip():
            raise FileError("fichier vide : la ligne d'en-tête manque", 1)
        if "\ufffd" in header:
            raise FileError("en-tête illisible : caractères invalides (encodage inconnu)", 1)
        self.separator = ";" if header.count(";") >= header.count(",") else ","
        try:
            names = next(csv.reader([header], delimiter=self.separator, strict=True))
        except csv.Error:
            raise FileError("en-tête illisible : guillemet non fermé", 1) from None
        keys = [header_key(name) for name in names]
        self.width = len(keys)
        positions: dict[str, int] = {}
        for index, key in enumerate(keys):
            positions.setdefault(key, index)
        missing = [column for column in columns if column not in positions]
        if missing:
            raise FileError("colonne(s) absente(s) de l'en-tête : " + ", ".join(missing), 1)
        #: For each expected column, its position in the rows.
        self.positions = tuple(positions[column] for column in columns)

    def _open(self):
        return self.path.open(encoding=self.encoding, errors="replace", newline="")

    def __iter__(self) -> Iterator[tuple[int, list[str] | BadRow]]:
        sep = self.separator
        width = self.width
        positions = self.positions
        with self._open() as fh:
            fh.readline()
            pending: deque[tuple[int, str]] = deque()
            numbered = enumerate(fh, start=2)

            def next_line() -> tuple[int, str] | None:
                if pending:
                    return pending.popleft()
                return next(numbered, None)

            while (item := next_line()) is not None:
                number, line = item
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                if '"' in line:
                    cells_or_bad = self._split_quoted(line, next_line, pending)
                    unreadable = not isinstance(cells_or_bad, BadRow) and any(
                        "\ufffd" in cell for cell in cells_or_bad
                    )
                else:
                    cells_or_bad = line.split(sep)
                    unreadable = "\ufffd" in line
                if isinstance(cells_or_bad, BadRow):
                    yield number, cells_or_bad
                    continue
                if unreadable:
                    yield number, BadRow("caractères illisibles (encodage inconnu)")
                    continue
                if len(cells_or_bad) != width:
                    yield (
                        number,
                        BadRow(
                            f"nombre de cellules incorrect : {len(cells_or_bad)} au lieu de {width}"
                        ),
                    )
                    continue
                yield number, [cells_or_bad[p].strip() for p in positions]

    def _split_quoted(self, line, next_line, pending) -> list[str] | BadRow:
        text = line
        consumed: list[tuple[int, str]] = []
        while text.count('"') % 2 == 1 and len(consumed) < MAX_LINES_PER_ROW:
            item = next_line()
            if item is None:
                break
            consumed.append(item)
            text += "\n" + item[1].rstrip("\r\n")
        if text.count('"') % 2 == 1:
            pending.extendleft(reversed(consumed))
            return BadRow("guillemet non fermé")
        try:
            return next(csv.reader([text], delimiter=self.separator, strict=True))
        except csv.Error:
            pending.extendleft(reversed(consumed))
            return BadRow("guillemets mal placés")
