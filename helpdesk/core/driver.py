"""A connection through the database driver alone, for the entry points a mail server runs.

``helpdesk mail ingest`` runs once per message and ``helpdesk mail lmtp`` stores each delivery:
both only insert a row. Importing SQLAlchemy costs more CPU than the whole insert, so these
paths speak to SQLite (``sqlite3``) or PostgreSQL (``psycopg``) directly, from the same
``HELPDESK_DATABASE_URL`` the app reads. Statements use ``:name`` parameters on both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

_NAMED_PARAMETER_RE = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


class DatabaseUnavailable(Exception):
    """The database cannot be reached or refused the statement: try again later."""


class DriverConnection:
    """One DB-API connection, with the dialect's differences kept here."""

    def __init__(self, dialect: str, connection: Any) -> None:
        self.dialect = dialect
        self._connection = connection

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """Run one statement (``:name`` parameters); the rows it returns, if any."""
        if self.dialect == "postgresql":
            sql = _NAMED_PARAMETER_RE.sub(r"%(\1)s", sql)
        try:
            cursor = self._connection.cursor()
            cursor.execute(sql, dict(params or {}))
            rows = cursor.fetchall() if cursor.description else []
            cursor.close()
        except Exception as exc:
            self.rollback()
            raise DatabaseUnavailable(f"{type(exc).__name__} : {exc}") from exc
        return rows

    def timestamp(self, value: datetime) -> datetime | str:
        """An aware datetime as the app's UTC columns store it (naive UTC text on SQLite)."""
        value = value.astimezone(UTC)
        if self.dialect == "sqlite":
            return value.replace(tzinfo=None).isoformat(" ", "microseconds")
        return value

    def commit(self) -> None:
        try:
            self._connection.commit()
        except Exception as exc:
            raise DatabaseUnavailable(f"{type(exc).__name__} : {exc}") from exc

    def rollback(self) -> None:
        try:
            self._connection.rollback()
        except Exception:  # the connection is gone: nothing left to undo
            pass

    def close(self) -> None:
        try:
            self._connection.close()
        except Exception:  # closing a broken connection
            pass


def connect(url: str, timeout: float = 30) -> DriverConnection:
    """Open a connection for a SQLAlchemy URL (``sqlite:///…`` or ``postgresql+psycopg://…``)."""
    parts = urlsplit(url)
    dialect = parts.scheme.split("+", 1)[0]
    try:
        if dialect == "sqlite":
            return DriverConnection(dialect, _sqlite(url, timeout))
        if dialect in ("postgresql", "postgres"):
            return DriverConnection("postgresql", _postgresql(url, timeout))
    except Exception as exc:
        raise DatabaseUnavailable(f"{type(exc).__name__} : {exc}") from exc
    raise DatabaseUnavailable(f"Base de données non prise en charge : {dialect or url!r}.")


def _sqlite(url: str, timeout: float):
    import sqlite3

    path = unquote(url.split("://", 1)[1])
    path = path[1:] if path.startswith("/") else path
    path, _, _ = path.partition("?")
    if not path or path == ":memory:":
        raise ValueError("une base SQLite en mémoire n'est partagée avec aucun autre processus")
    # mode=rw: a missing file is an unreachable database, never a new empty one.
    connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout)
    connection.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return connection


def _postgresql(url: str, timeout: float):
    import psycopg

    scheme, rest = url.split("://", 1)
    return psycopg.connect(f"postgresql://{rest}", connect_timeout=max(1, int(timeout)))
