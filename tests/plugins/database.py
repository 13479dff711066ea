"""Databases and shared values of the suite: a fresh SQLite file or PostgreSQL database,
the test password, school codes.

HELPDESK_TEST_DATABASE_URL selects PostgreSQL, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import atexit
import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
PASSWORD = "Motdepasse-2026"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def fresh_database_url(tmp_root: Path, name: str) -> str:
    """A new, empty database: a SQLite file, or a PostgreSQL database made for the run."""
    base = os.environ.get("HELPDESK_TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_root / f'{name}.db'}"
    url = make_url(base)
    # The process id keeps concurrent runs on one server out of each other's way.
    db_name = f"{url.database}_{name}_{_worker()}_{os.getpid()}".lower()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    admin.dispose()
    atexit.register(_drop_database, url, db_name)
    return url.set(database=db_name).render_as_string(hide_password=False)


def _drop_database(url, db_name: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def is_postgres() -> bool:
    return bool(os.environ.get("HELPDESK_TEST_DATABASE_URL"))


def uai_for(number: int) -> str:
    digits = f"{number:07d}"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


def aware(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
