"""Make removed rows unrecoverable from the database files and the search index.

SQLite runs with ``secure_delete`` (see :mod:`helpdesk.core.db`), so freed cells are zeroed; what
is left are the full-text index's old segments and the page images of the write-ahead log,
which the FTS5 ``optimize`` command and a truncating checkpoint clear.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool


def rebuild_ticket_index(session: Session) -> None:
    """Merge the ticket index's segments so that deleted documents leave no trace (SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO ticket_fts(ticket_fts) VALUES ('optimize')"))


def flush_database_files(engine: Engine) -> None:
    """Write the log back into the database file and empty it (after the commit)."""
    if engine.dialect.name == "sqlite":
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
    # PostgreSQL: VACUUM cannot run inside a transaction block. A connection of its own,
    # closed at once: the pool's connections keep their transactional setting.
    vacuum = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with vacuum.connect() as conn:
            for table in ("ticket", "message", "attachment", "inbound_message", "outbox_message"):
                conn.exec_driver_sql(f"VACUUM {table}")
    finally:
        vacuum.dispose()
