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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.schema import AddConstraint, DropConstraint

from helpdesk.accounts import rows
from helpdesk.accounts.csvfiles import BadRow, CsvFile, FileError
from helpdesk.accounts.models import (
    Account,
    AccountChild,
    Extraction,
    Pupil,
    PupilLink,
    Responsable,
)
from helpdesk.core import dialect
from helpdesk.core.db import UTCDateTime
from helpdesk.core.dialect import writing_rows
from helpdesk.schools.models import School
from helpdesk.util.phones import DEFAULT_REGIONS

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


# --------------------------------------------------------------------------- report


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


# --------------------------------------------------------------------------- staging


def _staging_table(metadata: MetaData, name: str, target: Table, fields, *extra) -> Table:
    columns = [Column("line", Integer, primary_key=True, autoincrement=False)]
    columns += [Column(f, target.c[f].type, nullable=True) for f in fields]
    return Table(name, metadata, *columns, *extra, prefixes=["TEMPORARY"])


class _Staging:
    def __init__(self) -> None:
        md = MetaData()
        self.metadata = md
        self.school = _staging_table(md, "stg_school", School.__table__, rows.SCHOOL_FIELDS)
        self.pupil = _staging_table(md, "stg_pupil", Pupil.__table__, rows.PUPIL_FIELDS)
        self.responsable = _staging_table(
            md, "stg_responsable", Responsable.__table__, rows.RESPONSABLE_FIELDS
        )
        self.link = _staging_table(md, "stg_link", PupilLink.__table__, rows.LINK_FIELDS)
        self.account = _staging_table(
            md, "stg_account", Account.__table__, rows.ACCOUNT_FIELDS, Column("enfants", Text)
        )
        self.extraction = _staging_table(
            md, "stg_extraction", Extraction.__table__, rows.EXTRACTION_FIELDS
        )
        self.child = Table(
            "stg_child",
            md,
            Column("account_line", Integer, primary_key=True, autoincrement=False),
            Column("position", Integer, primary_key=True, autoincrement=False),
            Column("eleve_id", String(64)),
            prefixes=["TEMPORARY"],
        )
        self.gone_pupil = Table(
            "stg_gone_pupil",
            md,
            Column("eleve_id", String(64), primary_key=True),
            prefixes=["TEMPORARY"],
        )
        self.gone_responsable = Table(
            "stg_gone_responsable",
            md,
            Column("responsable_id", String(64), primary_key=True),
            prefixes=["TEMPORARY"],
        )
        self.gone_account = Table(
            "stg_gone_account",
            md,
            Column("compte_id", String(64), primary_key=True),
            prefixes=["TEMPORARY"],
        )
        self.indexes = [
            Index("ix_stg_school_uai", self.school.c.uai),
            Index("ix_stg_pupil_eleve_id", self.pupil.c.eleve_id),
            Index("ix_stg_pupil_uai", self.pupil.c.uai),
            Index("ix_stg_responsable_id", self.responsable.c.responsable_id),
            Index("ix_stg_link_ids", self.link.c.eleve_id, self.link.c.responsable_id),
            Index("ix_stg_link_responsable_id", self.link.c.responsable_id),
            Index("ix_stg_account_compte_id", self.account.c.compte_id),
            Index("ix_stg_account_personne_id", self.account.c.personne_id),
            Index("ix_stg_child_eleve_id", self.child.c.eleve_id),
            Index("ix_stg_extraction_source", self.extraction.c.source),
        ]
        # Indexes are created once the rows are loaded; keep them off the tables until then.
        for index in self.indexes:
            index.table.indexes.discard(index)

    @property
    def tables(self) -> list[Table]:
        return list(self.metadata.sorted_tables)

    def create(self, conn: Connection) -> None:
        self.drop(conn)
        for table in self.tables:
            table.create(conn)

    def create_indexes(self, conn: Connection) -> None:
        for index in self.indexes:
            index.create(conn)
        dialect.analyze(conn, self.tables)

    def drop(self, conn: Connection) -> None:
        for table in reversed(self.tables):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")


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
        self.stg = _Staging()

    def run(self, conn: Connection) -> None:
        self.conn = conn
        restore = dialect.tune_for_bulk_work(conn)
        try:
            files = self._open_files()
            self.stg.create(conn)
            self._stage(files)
            with self._timed("checks"):
                self.stg.create_indexes(conn)
                self._check_references()
                self._finish_report()
            if (self.strict and self.report.rejected) or not self._anything_to_import():
                raise _NothingImported
            with self._timed("merge"):
                self._merge()
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

    # ------------------------------------------------------------------ set-based checks

    def _check_references(self) -> None:
        stg = self.stg
        self._reject_duplicates(SCHOOLS, stg.school, "uai", "UAI en double")
        self._reject_duplicates(PUPILS, stg.pupil, "eleve_id", "identifiant d'élève en double")
        self._reject_dangling(
            PUPILS,
            stg.pupil,
            stg.pupil.c.uai,
            ~exists().where(stg.school.c.uai == stg.pupil.c.uai),
            "établissement inconnu : « {} » (absent du fichier etablissements.csv ou rejeté)",
        )
        self._reject_duplicates(
            RESPONSABLES, stg.responsable, "responsable_id", "identifiant de responsable en double"
        )
        self._reject_duplicates(LINKS, stg.link, ("eleve_id", "responsable_id"), "lien en double")
        self._reject_dangling(
            LINKS,
            stg.link,
            stg.link.c.eleve_id,
            ~exists().where(stg.pupil.c.eleve_id == stg.link.c.eleve_id),
            "élève inconnu : « {} » (absent du fichier eleves.csv ou rejeté)",
        )
        self._reject_dangling(
            LINKS,
            stg.link,
            stg.link.c.responsable_id,
            ~exists().where(stg.responsable.c.responsable_id == stg.link.c.responsable_id),
            "responsable inconnu : « {} » (absent du fichier responsables.csv ou rejeté)",
        )
        self._reject_duplicates(
            ACCOUNTS, stg.account, "compte_id", "identifiant de compte en double"
        )
        account = stg.account
        self._reject_dangling(
            ACCOUNTS,
            account,
            account.c.personne_id,
            and_(
                account.c.profil == "responsable",
                ~exists().where(stg.responsable.c.responsable_id == account.c.personne_id),
            ),
            "responsable inconnu : « {} » (absent du fichier responsables.csv ou rejeté)",
        )
        self._reject_dangling(
            ACCOUNTS,
            account,
            account.c.personne_id,
            and_(
                account.c.profil == "eleve",
                ~exists().where(stg.pupil.c.eleve_id == account.c.personne_id),
            ),
            "élève inconnu : « {} » (absent du fichier eleves.csv ou rejeté)",
        )
        self._expand_children()
        child = stg.child
        missing = (
            select(child.c.account_line, func.min(child.c.eleve_id))
            .where(~exists().where(stg.pupil.c.eleve_id == child.c.eleve_id))
            .group_by(child.c.account_line)
        )
        lines = []
        for line, eleve_id in self.conn.execute(missing):
            self.report.reject(
                ACCOUNTS,
                line,
                f"enfant inconnu : « {eleve_id} » (absent du fichier eleves.csv ou rejeté)",
            )
            lines.append(line)
        self._delete_lines(account, lines)
        self._delete_lines(child, lines, child.c.account_line)
        self._reject_duplicates(EXTRACTION, stg.extraction, "source", "source en double")

    def _expand_children(self) -> None:
        if dialect.is_postgresql(self.conn):
            sql = (
                "INSERT INTO stg_child (account_line, position, eleve_id) "
                "SELECT a.line, e.ordinality - 1, e.value FROM stg_account a "
                "CROSS JOIN LATERAL jsonb_array_elements_text(a.enfants::jsonb) "
                "WITH ORDINALITY AS e(value, ordinality)"
            )
        else:
            sql = (
                "INSERT INTO stg_child (account_line, position, eleve_id) "
                "SELECT a.line, CAST(e.key AS INTEGER), e.value "
                "FROM stg_account a, json_each(a.enfants) e"
            )
        self.conn.exec_driver_sql(sql)

    def _reject_duplicates(self, name: str, table: Table, keys, label: str) -> None:
        """Reject every row whose key an earlier row already has."""
        keys = (keys,) if isinstance(keys, str) else keys
        key_columns = [table.c[k] for k in keys]
        duplicated = select(*key_columns).group_by(*key_columns).having(func.count() > 1).subquery()
        query = (
            select(table.c.line, *key_columns)
            .join(duplicated, and_(*(table.c[k] == duplicated.c[k] for k in keys)))
            .order_by(*key_columns, table.c.line)
        )
        lines = []
        first_line, first_key = 0, None
        for line, *values in self.conn.execute(query):
            if values != first_key:
                first_line, first_key = line, values
                continue
            shown = " / ".join(str(v) for v in values)
            self.report.reject(name, line, f"{label} : « {shown} » (déjà en ligne {first_line})")
            lines.append(line)
        self._delete_lines(table, lines)

    def _reject_dangling(self, name: str, table: Table, shown, condition, reason: str) -> None:
        lines = []
        for line, value in self.conn.execute(select(table.c.line, shown).where(condition)):
            self.report.reject(name, line, reason.format(value))
            lines.append(line)
        self._delete_lines(table, lines)

    def _delete_lines(self, table: Table, lines: list[int], column=None) -> None:
        column = table.c.line if column is None else column
        for start in range(0, len(lines), 500):
            self.conn.execute(delete(table).where(column.in_(lines[start : start + 500])))

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

    # ------------------------------------------------------------------ merge

    def _insert(self, table: Table):
        return dialect.insert(self.conn, table)

    def _upsert(self, target: Table, source, keys: list[str], columns: list[str]) -> None:
        """Insert the source rows, updating only the existing rows that differ."""
        stmt = self._insert(target).from_select(columns, source.where(true()))
        updated = [c for c in columns if c not in keys]
        if updated:
            changed = [target.c[c].is_distinct_from(stmt.excluded[c]) for c in updated]
            stmt = stmt.on_conflict_do_update(
                index_elements=keys,
                set_={c: stmt.excluded[c] for c in updated},
                where=or_(*changed),
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=keys)
        with self._bulk_load(target):
            self.conn.execute(stmt)

    @contextmanager
    def _bulk_load(self, target: Table) -> Iterator[None]:
        """Into an empty table, load first and build the indexes (and foreign keys) after.

        Building an index once over sorted rows is much cheaper than growing it row by row;
        on PostgreSQL, one validation query replaces a trigger call per row.
        """
        conn = self.conn
        if conn.execute(select(literal(1)).select_from(target).limit(1)).first() is not None:
            yield
            return
        indexes = sorted(target.indexes, key=lambda index: index.name or "")
        foreign_keys = []
        if dialect.checks_foreign_keys_per_row(conn):
            foreign_keys = sorted(target.foreign_key_constraints, key=lambda fk: fk.name or "")
        for fk in foreign_keys:
            conn.execute(DropConstraint(fk))
        for index in indexes:
            index.drop(conn)
        yield
        for index in indexes:
            index.create(conn)
        for fk in foreign_keys:
            conn.execute(AddConstraint(fk))

    def _merge(self) -> None:
        conn, stg = self.conn, self.stg
        school = School.__table__
        pupil = Pupil.__table__
        responsable = Responsable.__table__
        link = PupilLink.__table__
        account = Account.__table__
        child = AccountChild.__table__
        extraction = Extraction.__table__

        # Schools: created or updated; updated_at moves only when something changed.
        now = datetime.now(UTC)
        fields = list(rows.SCHOOL_FIELDS)
        insert = self._insert(school).from_select(
            [*fields, "updated_at"],
            select(
                *(stg.school.c[f] for f in fields), literal(now, UTCDateTime()).label("updated_at")
            ).where(true()),
        )
        conn.execute(
            insert.on_conflict_do_update(
                index_elements=["uai"],
                set_={f: insert.excluded[f] for f in [*fields[1:], "updated_at"]},
                where=or_(*(school.c[f].is_distinct_from(insert.excluded[f]) for f in fields[1:])),
            )
        )

        # The snapshot's extraction lists these schools; the others' account data ages out.
        extracted_at = conn.scalar(select(func.max(stg.extraction.c.date_extraction))) or now
        conn.execute(
            school.update()
            .where(school.c.uai.in_(select(stg.school.c.uai)))
            # updated_at says when the school's own fields changed: not this.
            .values(last_seen_at=extracted_at, updated_at=school.c.updated_at)
        )

        # What disappeared for the snapshot's schools.
        in_snapshot_school = pupil.c.uai.in_(select(stg.school.c.uai))
        conn.execute(
            stg.gone_pupil.insert().from_select(
                ["eleve_id"],
                select(pupil.c.eleve_id).where(
                    in_snapshot_school,
                    ~exists().where(stg.pupil.c.eleve_id == pupil.c.eleve_id),
                ),
            )
        )
        gone_pupils = select(stg.gone_pupil.c.eleve_id)
        conn.execute(delete(link).where(link.c.eleve_id.in_(gone_pupils)))
        conn.execute(
            delete(link).where(
                exists().where(stg.pupil.c.eleve_id == link.c.eleve_id),
                ~exists().where(
                    stg.link.c.eleve_id == link.c.eleve_id,
                    stg.link.c.responsable_id == link.c.responsable_id,
                ),
            )
        )
        conn.execute(delete(child).where(child.c.eleve_id.in_(gone_pupils)))
        conn.execute(delete(pupil).where(pupil.c.eleve_id.in_(gone_pupils)))

        conn.execute(
            stg.gone_responsable.insert().from_select(
                ["responsable_id"],
                select(responsable.c.responsable_id).where(
                    ~exists().where(
                        stg.responsable.c.responsable_id == responsable.c.responsable_id
                    ),
                    ~exists().where(link.c.responsable_id == responsable.c.responsable_id),
                ),
            )
        )
        conn.execute(
            delete(responsable).where(
                responsable.c.responsable_id.in_(select(stg.gone_responsable.c.responsable_id))
            )
        )

        person_in_snapshot = or_(
            and_(
                account.c.profil == "responsable",
                or_(
                    exists().where(stg.responsable.c.responsable_id == account.c.personne_id),
                    ~exists().where(responsable.c.responsable_id == account.c.personne_id),
                ),
            ),
            and_(
                account.c.profil == "eleve",
                or_(
                    exists().where(stg.pupil.c.eleve_id == account.c.personne_id),
                    ~exists().where(pupil.c.eleve_id == account.c.personne_id),
                ),
            ),
        )
        conn.execute(
            stg.gone_account.insert().from_select(
                ["compte_id"],
                select(account.c.compte_id).where(
                    ~exists().where(stg.account.c.compte_id == account.c.compte_id),
                    person_in_snapshot,
                ),
            )
        )
        gone_accounts = select(stg.gone_account.c.compte_id)
        conn.execute(delete(child).where(child.c.compte_id.in_(gone_accounts)))
        conn.execute(delete(account).where(account.c.compte_id.in_(gone_accounts)))

        # The snapshot's rows.
        fields = list(rows.PUPIL_FIELDS)
        self._upsert(pupil, select(*(stg.pupil.c[f] for f in fields)), ["eleve_id"], fields)
        fields = list(rows.RESPONSABLE_FIELDS)
        self._upsert(
            responsable,
            select(*(stg.responsable.c[f] for f in fields)),
            ["responsable_id"],
            fields,
        )
        fields = list(rows.LINK_FIELDS)
        self._upsert(
            link, select(*(stg.link.c[f] for f in fields)), ["eleve_id", "responsable_id"], fields
        )
        fields = list(rows.ACCOUNT_FIELDS)
        self._upsert(account, select(*(stg.account.c[f] for f in fields)), ["compte_id"], fields)

        staged_children = select(
            stg.account.c.compte_id, stg.child.c.eleve_id, stg.child.c.position
        ).join_from(stg.child, stg.account, stg.account.c.line == stg.child.c.account_line)
        conn.execute(
            delete(child).where(
                exists().where(stg.account.c.compte_id == child.c.compte_id),
                ~exists().where(
                    stg.account.c.compte_id == child.c.compte_id,
                    stg.child.c.account_line == stg.account.c.line,
                    stg.child.c.eleve_id == child.c.eleve_id,
                ),
            )
        )
        self._upsert(
            child, staged_children, ["compte_id", "eleve_id"], ["compte_id", "eleve_id", "position"]
        )

        fields = list(rows.EXTRACTION_FIELDS)
        self._upsert(extraction, select(*(stg.extraction.c[f] for f in fields)), ["source"], fields)
