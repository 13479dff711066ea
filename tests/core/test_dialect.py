"""What differs between SQLite and PostgreSQL is asked of helpdesk.core, nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, select

import helpdesk
from helpdesk.core import dialect

PACKAGE = Path(helpdesk.__file__).parent
#: Reading the dialect's name, or importing a dialect's own constructs.
DIALECT_BRANCH = re.compile(r"\.dialect\.name\b|sqlalchemy\.dialects\b")


def _branching_modules() -> list[str]:
    return sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "core"
        and DIALECT_BRANCH.search(path.read_text(encoding="utf-8"))
    )


def test_only_the_database_layer_reads_the_dialect():
    assert _branching_modules() == []


def test_the_scan_sees_a_dialect_branch():
    assert DIALECT_BRANCH.search('if session.get_bind().dialect.name == "postgresql":')
    assert DIALECT_BRANCH.search("from sqlalchemy.dialects.postgresql import insert")
    assert not DIALECT_BRANCH.search("dialect.insert(session, TicketCounter)")


def _scratch_table(connection) -> Table:
    table = Table(
        "scratch_dialect",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(20)),
        prefixes=["TEMPORARY"],
    )
    table.create(connection)
    return table


def test_insert_upserts_on_either_database(engine):
    with engine.connect() as connection:
        table = _scratch_table(connection)
        for name in ("first", "second"):
            stmt = dialect.insert(connection, table).values(id=1, name=name)
            connection.execute(
                stmt.on_conflict_do_update(index_elements=["id"], set_={"name": name})
            )

        assert connection.execute(select(table.c.id, table.c.name)).all() == [(1, "second")]
        connection.rollback()


def test_among_keeps_the_listed_values_only(engine):
    with engine.connect() as connection:
        table = _scratch_table(connection)
        connection.execute(table.insert(), [{"id": i, "name": f"n{i}"} for i in range(5)])

        found = connection.scalars(
            select(table.c.id).where(dialect.among(connection, table.c.name, ["n1", "n3", "x"]))
        ).all()

        assert sorted(found) == [1, 3]
        connection.rollback()


def test_skip_locked_only_where_rows_can_be_claimed_concurrently(engine):
    table = Table("outbox", MetaData(), Column("id", Integer, primary_key=True))
    stmt = dialect.skip_locked(engine, select(table.c.id))

    sql = str(stmt.compile(engine))
    assert ("SKIP LOCKED" in sql) == dialect.is_postgresql(engine)
