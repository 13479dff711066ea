"""What differs between SQLite and PostgreSQL, in one place.

SQLite is the embedded default and PostgreSQL production; both pass the same suite. Code
outside :mod:`helpdesk.core` never reads the dialect's name: it asks here for the statement
or the step it needs, and gets the form that suits the database it runs on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Integer, String, Table, any_, bindparam, cast, create_engine, func, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from sqlalchemy.sql import ColumnElement, Select

Bind = Session | Connection | Engine


def dialect_name(bind: Bind) -> str:
    if isinstance(bind, Session):
        return bind.get_bind().dialect.name
    return bind.dialect.name


def is_postgresql(bind: Bind) -> bool:
    return dialect_name(bind) == "postgresql"


def is_sqlite(bind: Bind) -> bool:
    return dialect_name(bind) == "sqlite"


def seconds_between(bind: Bind, start: Any, end: Any) -> ColumnElement[Any]:
    """``end - start`` in seconds, as an SQL expression over two timestamp columns."""
    if is_postgresql(bind):
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def utc_day_and_hour(bind: Bind, column: Any) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The UTC day ("YYYY-MM-DD") and hour of a timestamp column, as SQL expressions.

    SQLite stores timestamps as "YYYY-MM-DD HH:MM:SS" text, which is cheaper to cut than to
    parse; PostgreSQL formats its own timestamps.
    """
    if is_postgresql(bind):
        moment = func.timezone("UTC", column)
        return func.to_char(moment, "YYYY-MM-DD"), cast(func.extract("hour", moment), Integer)
    return func.substr(column, 1, 10), cast(func.substr(column, 12, 2), Integer)


def insert(bind: Bind, table: Any) -> Any:
    """An INSERT that offers ``on_conflict_do_update`` / ``on_conflict_do_nothing`` (upserts)."""
    return (postgresql if is_postgresql(bind) else sqlite).insert(table)


def skip_locked(bind: Bind, stmt: Select) -> Select:
    """Rows that another worker has claimed are passed over (PostgreSQL); SQLite serialises
    writers anyway, so the statement stays as it is."""
    return stmt.with_for_update(skip_locked=True) if is_postgresql(bind) else stmt


def among(bind: Bind, column: Any, values: list[str]) -> ColumnElement[bool]:
    """``column IN values``; one array parameter on PostgreSQL, which plans a list of
    thousands of parameters slowly."""
    if is_postgresql(bind):
        return column == any_(bindparam("values", values, type_=postgresql.ARRAY(String)))
    return column.in_(values)


def analyze(conn: Connection, tables: Iterable[Table]) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL plans on them)."""
    if is_postgresql(conn):
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table.name}")


def tune_for_bulk_work(conn: Connection) -> Callable[[], None]:
    """More memory for one large import transaction; returns what puts it back."""
    if is_postgresql(conn):
        conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
        conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '128MB'")
        return lambda: None  # SET LOCAL ends with the transaction
    if not is_sqlite(conn):
        return lambda: None
    # A larger page cache for the import only: index builds and joins stay in memory.
    previous = conn.exec_driver_sql("PRAGMA main.cache_size").scalar_one()
    previous_temp = conn.exec_driver_sql("PRAGMA temp.cache_size").scalar_one()
    conn.exec_driver_sql("PRAGMA main.cache_size = -65536")
    conn.exec_driver_sql("PRAGMA temp.cache_size = -65536")

    def restore() -> None:
        try:
            conn.exec_driver_sql(f"PRAGMA main.cache_size = {int(previous)}")
            conn.exec_driver_sql(f"PRAGMA temp.cache_size = {int(previous_temp)}")
        except Exception:  # pragma: no cover - the connection is gone
            pass

    return restore


def checks_foreign_keys_per_row(bind: Bind) -> bool:
    """Whether foreign keys cost a trigger call per inserted row (PostgreSQL): a bulk load
    into an empty table drops them and adds them back, one validation query each."""
    return is_postgresql(bind)


class RowWriter:
    """Appends rows to one table: COPY on PostgreSQL, batched executemany elsewhere."""

    def __init__(self, conn: Connection, table: Table, batch_size: int) -> None:
        self.conn = conn
        self.table = table
        self.batch_size = batch_size
        names = [c.name for c in table.columns]
        self.postgres = is_postgresql(conn)
        if self.postgres:
            self._cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            self._copy_cm = self._cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN")
            self._copy = self._copy_cm.__enter__()
        else:
            marks = ", ".join("?" for _ in names)
            self._sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
            self._batch: list[tuple[Any, ...]] = []
            processors = [c.type.bind_processor(conn.dialect) for c in table.columns]
            self._processors = [(i, p) for i, p in enumerate(processors) if p is not None]

    def add(self, row: tuple[Any, ...]) -> None:
        if self.postgres:
            self._copy.write_row(row)
            return
        if self._processors:
            values = list(row)
            for i, process in self._processors:
                if values[i] is not None:
                    values[i] = process(values[i])
            row = tuple(values)
        self._batch.append(row)
        if len(self._batch) >= self.batch_size:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self.conn.exec_driver_sql(self._sql, self._batch)
            self._batch = []

    def close(self, failed: bool = False) -> None:
        if self.postgres:
            exc = (RuntimeError, RuntimeError("aborted"), None) if failed else (None, None, None)
            self._copy_cm.__exit__(*exc)
            self._cursor.close()
        else:
            self._flush()


@contextmanager
def writing_rows(conn: Connection, table: Table, batch_size: int) -> Iterator[RowWriter]:
    loader = RowWriter(conn, table, batch_size)
    try:
        yield loader
    except BaseException:
        loader.close(failed=True)
        raise
    loader.close()


def settle_after_bulk_insert(engine: Engine, table_with_given_ids: str) -> None:
    """After rows were inserted with their ids given: the id sequence starts after them, and
    the row versions the load left are vacuumed, with fresh planner statistics (PostgreSQL;
    SQLite needs neither)."""
    if not is_postgresql(engine):
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table_with_given_ids}', 'id'), "
                f"(SELECT max(id) FROM {table_with_given_ids}))"
            )
        )
        conn.execute(text("VACUUM (ANALYZE)"))


def optimise_full_text_index(session: Session, fts_table: str) -> None:
    """Merge an FTS5 index's segments so that deleted documents leave no trace (SQLite; the
    PostgreSQL search vectors live in the rows themselves)."""
    if is_sqlite(session):
        session.execute(text(f"INSERT INTO {fts_table}({fts_table}) VALUES ('optimize')"))


def release_removed_rows(engine: Engine, tables: Iterable[str]) -> None:
    """Make removed rows unrecoverable from the database files (after the commit).

    SQLite runs with ``secure_delete`` (see :mod:`helpdesk.core.db`): what is left are the page
    images of the write-ahead log, which a truncating checkpoint clears. PostgreSQL keeps dead
    row versions until VACUUM.
    """
    if is_sqlite(engine):
        # Outside any transaction (the pooled connection's BEGIN would forbid it).
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            # A reader still open elsewhere makes it wait; the next checkpoint finishes it.
            cursor.execute("PRAGMA busy_timeout=2000")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
        finally:
            raw.close()
        return
    # VACUUM cannot run inside a transaction block. A connection of its own, closed at once:
    # the pool's connections keep their transactional setting.
    vacuum = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with vacuum.connect() as conn:
            for table in tables:
                conn.exec_driver_sql(f"VACUUM {table}")
    finally:
        vacuum.dispose()


def empty_tables(conn: Connection, tables: list[Table]) -> None:
    """Remove every row of `tables` (given parents first), keeping the schema: one TRUNCATE
    on PostgreSQL; on SQLite, deletes children first, then the ticket search table, which
    its triggers do not empty."""
    if is_postgresql(conn):
        names = ", ".join(f'"{table.name}"' for table in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    for table in reversed(tables):
        conn.execute(table.delete())
    if conn.execute(text("SELECT name FROM sqlite_master WHERE name = 'ticket_fts'")).first():
        conn.execute(text("DELETE FROM ticket_fts"))
