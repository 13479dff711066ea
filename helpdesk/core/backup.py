"""Back up the database and restore it into an empty one.

Attachments and the retrained categoriser live in the database (see `helpdesk.core.shared`),
so one file holds everything a node cannot rebuild: PostgreSQL's custom-format dump
(``pg_dump -Fc``, restored by ``pg_restore``), or for SQLite a consistent copy made by its
online backup. The article index and each node's copy of the model are rebuilt from it.

A restore goes into an empty database only: merging a backup into live data would mix two
histories. After it, the article index generation is raised so that every node rebuilds its
index, even one whose folder happens to record the generation of the backup.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from helpdesk.core import shared
from helpdesk.core.db import make_engine, make_sessionmaker, session_scope
from helpdesk.core.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
#: Derived data every node rebuilds after a restore.
REBUILT_GENERATIONS = ("articles",)


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL tools; the password goes by the environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    return args, env


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise DomainError("Base SQLite en mémoire : rien à sauvegarder ni à restaurer.")
    return Path(url.database)


def backup(database_url: str, target: str | os.PathLike[str]) -> int:
    """Write a backup of the database to `target`; return its size in bytes."""
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partiel")
    if url.get_backend_name() == "postgresql":
        args, env = _libpq(url)
        done = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
             "--file", str(partial), url.database or "postgres"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise DomainError(f"Sauvegarde impossible (pg_dump) : {done.stderr.strip()[-500:]}")
    elif url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        raise DomainError(f"Base non prise en charge : {url.get_backend_name()}.")
    os.replace(partial, target)
    return target.stat().st_size


def _is_empty(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def restore(database_url: str, source: str | os.PathLike[str]) -> None:
    """Restore the backup `source` into the database of `database_url`, which must be empty."""
    url = make_url(database_url)
    source = Path(source)
    try:
        with source.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError as exc:
        raise DomainError(f"Fichier de sauvegarde introuvable : {source}") from exc
    backend = url.get_backend_name()
    expected = PG_MAGIC if backend == "postgresql" else SQLITE_MAGIC
    if not head.startswith(expected):
        raise DomainError(
            "Ce fichier n'est pas une sauvegarde de la base "
            f"{'PostgreSQL' if backend == 'postgresql' else 'SQLite'} de l'assistance."
        )
    if backend == "sqlite":
        path = _sqlite_path(url)
        if path.exists() and path.stat().st_size and not _is_empty(database_url):
            raise DomainError("La base de destination n'est pas vide : restauration refusée.")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        partial = path.with_name(path.name + ".partiel")
        shutil.copyfile(source, partial)
        os.replace(partial, path)
    else:
        if not _is_empty(database_url):
            raise DomainError("La base de destination n'est pas vide : restauration refusée.")
        args, env = _libpq(url)
        done = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", *args, "--dbname", url.database or "postgres", str(source)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise DomainError(
                f"Restauration impossible (pg_restore) : {done.stderr.strip()[-500:]}"
            )
    _renew_derived(database_url)


def _renew_derived(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            for name in REBUILT_GENERATIONS:
                shared.bump(session, name)
    finally:
        engine.dispose()
