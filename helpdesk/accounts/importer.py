"""Import of a snapshot folder (school base and EduConnect account directory).

The six files are streamed row by row into temporary staging tables (SQLite ``executemany``,
PostgreSQL ``COPY``); duplicates and dangling references are then found with set-based SQL, and
the staged rows are merged into the real tables in the same transaction: upserts that only touch
changed rows, and deletion of what disappeared for the schools the snapshot contains. Memory
stays flat whatever the size of the snapshot.

Replacement rules, for the schools listed in ``etablissements.csv``:

- their pupils absent from the snapshot are deleted, with their links and account children;
- the links of the snapshot's pupils are replaced by the snapshot's links;
- responsables absent from the snapshot and linked to no pupil any more are deleted;
- accounts absent from the snapshot are deleted when their person is in the snapshot or no
  longer exists;
- schools are created or updated, never deleted; each source of ``extraction.csv`` replaces its
  previous date.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
)
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.accounts import rows
from helpdesk.accounts.checks import StagedChecks
from helpdesk.accounts.csvfiles import BadRow, CsvFile, FileError
from helpdesk.accounts.merge import merge_snapshot
from helpdesk.accounts.snapshot import (
    ACCOUNTS,
    COLUMNS,
    EXTRACTION,
    FILES,
    LINKS,
    PUPILS,
    RESPONSABLES,
    SCHOOLS,
    FileCounts,
    ImportReport,
    RejectedRow,
)
from helpdesk.accounts.staging import Staging
from helpdesk.core import dialect
from helpdesk.core.dialect import writing_rows
from helpdesk.util.phones import DEFAULT_REGIONS

__all__ = ["FILES", "FileCounts", "ImportReport", "RejectedRow", "import_snapshot"]


class _NothingImported(Exception):
    """Roll the import back and report (strict mode, file errors, nothing to import)."""


# --------------------------------------------------------------------------- entry point


def import_snapshot(
    target: Session | sessionmaker[Session] | Callable[[], Session],
    folder: str | Path,
    strict: bool = False,
    *,
    regions: tuple[str, ...] = DEFAULT_REGIONS,
    batch_size: int = 5000,
) -> ImportReport:
    """Import the snapshot in ``folder`` in one transaction and report what happened.

    Given a session factory, the import commits on success. Given a :class:`Session`, it runs
    inside a savepoint and leaves the commit to the caller. Either way an import that fails or
    imports nothing leaves the previous data whole.
    """
    started = time.perf_counter()
    report = ImportReport(folder=str(folder), strict=strict)
    job = _Import(Path(folder), report, strict, regions, batch_size)
    if isinstance(target, Session):
        savepoint = target.begin_nested()
        try:
            job.run(target.connection())
        except _NothingImported:
            savepoint.rollback()
        except BaseException:
            savepoint.rollback()
            raise
        else:
            savepoint.commit()
        target.expire_all()
    else:
        with target() as session:
            try:
                with session.begin():
                    job.run(session.connection())
            except _NothingImported:
                pass
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- the import


class _Import:
    def __init__(
        self,
        folder: Path,
        report: ImportReport,
        strict: bool,
        regions: tuple[str, ...],
        batch_size: int,
    ) -> None:
        self.folder = folder
        self.report = report
        self.strict = strict
        self.regions = regions
        self.batch_size = batch_size
        self.stg = Staging()

    def run(self, conn: Connection) -> None:
        self.conn = conn
        restore = dialect.tune_for_bulk_work(conn)
        try:
            files = self._open_files()
            self.stg.create(conn)
            self._stage(files)
            with self._timed("checks"):
                self.stg.create_indexes(conn)
                StagedChecks(conn, self.stg, self.report).check_references()
                self._finish_report()
            if (self.strict and self.report.rejected) or not self._anything_to_import():
                raise _NothingImported
            with self._timed("merge"):
                merge_snapshot(conn, self.stg)
                self.stg.drop(conn)
        except BaseException:
            for counts in self.report.files.values():
                counts.imported = 0
            raise
        finally:
            restore()
        self.report.imported_anything = True

    @contextmanager
    def _timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.report.timings[phase] = time.perf_counter() - started

    # ------------------------------------------------------------------ reading

    def _open_files(self) -> dict[str, CsvFile]:
        files: dict[str, CsvFile] = {}
        if not self.folder.is_dir():
            for name in FILES:
                self.report.reject(name, None, "dossier introuvable")
            self.report.file_errors = True
            raise _NothingImported
        for name in FILES:
            try:
                files[name] = CsvFile(self.folder / name, COLUMNS[name])
            except FileError as exc:
                self.report.reject(name, exc.line, exc.reason)
            except OSError as exc:
                self.report.reject(name, None, f"fichier illisible : {exc.strerror}")
        if len(files) < len(FILES):
            self.report.file_errors = True
            self._finish_report()
            raise _NothingImported
        return files

    def _stage(self, files: dict[str, CsvFile]) -> None:
        stg = self.stg
        self._stage_file(files[SCHOOLS], SCHOOLS, stg.school, rows.read_school)
        self._stage_file(files[PUPILS], PUPILS, stg.pupil, rows.read_pupil)
        self._stage_file(
            files[RESPONSABLES],
            RESPONSABLES,
            stg.responsable,
            rows.make_read_responsable(self.regions),
        )
        self._stage_file(files[LINKS], LINKS, stg.link, rows.read_link)
        read_account = rows.make_read_account(self.regions)

        def read_account_row(cells: list[str]) -> tuple[Any, ...]:
            values, children = read_account(cells)
            return (*values, json.dumps(children))

        self._stage_file(files[ACCOUNTS], ACCOUNTS, stg.account, read_account_row)
        self._stage_file(files[EXTRACTION], EXTRACTION, stg.extraction, rows.read_extraction)

    def _stage_file(self, csvfile: CsvFile, name: str, table: Table, read) -> None:
        counts = self.report.files[name]
        reject = self.report.reject
        with self._timed(name), writing_rows(self.conn, table, self.batch_size) as loader:
            add = loader.add
            for line, cells in csvfile:
                counts.read += 1
                if isinstance(cells, BadRow):
                    reject(name, line, cells.reason)
                    continue
                try:
                    values = read(cells)
                except rows.RowError as exc:
                    reject(name, line, str(exc))
                    continue
                add((line, *values))

    def _finish_report(self) -> None:
        order = {name: i for i, name in enumerate(FILES)}
        self.report.rejected.sort(key=lambda r: (order[r.file], r.line or 0))
        for counts in self.report.files.values():
            counts.rejected = 0
        if self.report.file_errors:
            return
        for row in self.report.rejected:
            self.report.files[row.file].rejected += 1
        for counts in self.report.files.values():
            counts.imported = counts.read - counts.rejected

    def _anything_to_import(self) -> bool:
        return any(c.imported for c in self.report.files.values())
