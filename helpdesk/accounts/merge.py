"""Merge of a checked snapshot into the real tables, in the import's transaction: upserts that
only touch changed rows, and deletion of what disappeared for the snapshot's schools."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, and_, delete, exists, func, literal, or_, select, true
from sqlalchemy.schema import AddConstraint, DropConstraint

from helpdesk.accounts import rows
from helpdesk.accounts.models import (
    Account,
    AccountChild,
    Extraction,
    Pupil,
    PupilLink,
    Responsable,
)
from helpdesk.accounts.staging import Staging
from helpdesk.core import dialect
from helpdesk.core.db import UTCDateTime
from helpdesk.schools.models import School


def upsert(conn: Connection, target: Table, source, keys: list[str], columns: list[str]) -> None:
    """Insert the source rows, updating only the existing rows that differ."""
    stmt = dialect.insert(conn, target).from_select(columns, source.where(true()))
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
    with _bulk_load(conn, target):
        conn.execute(stmt)


@contextmanager
def _bulk_load(conn: Connection, target: Table) -> Iterator[None]:
    """Into an empty table, load first and build the indexes (and foreign keys) after.

    Building an index once over sorted rows is much cheaper than growing it row by row;
    on PostgreSQL, one validation query replaces a trigger call per row.
    """
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


def merge_snapshot(conn: Connection, stg: Staging) -> None:
    """Merge the checked staged rows into the real tables (rules in the importer's docstring)."""
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
    insert = dialect.insert(conn, school).from_select(
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
                ~exists().where(stg.responsable.c.responsable_id == responsable.c.responsable_id),
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
    upsert(conn, pupil, select(*(stg.pupil.c[f] for f in fields)), ["eleve_id"], fields)
    fields = list(rows.RESPONSABLE_FIELDS)
    upsert(
        conn,
        responsable,
        select(*(stg.responsable.c[f] for f in fields)),
        ["responsable_id"],
        fields,
    )
    fields = list(rows.LINK_FIELDS)
    upsert(
        conn, link, select(*(stg.link.c[f] for f in fields)), ["eleve_id", "responsable_id"], fields
    )
    fields = list(rows.ACCOUNT_FIELDS)
    upsert(conn, account, select(*(stg.account.c[f] for f in fields)), ["compte_id"], fields)

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
    upsert(
        conn,
        child,
        staged_children,
        ["compte_id", "eleve_id"],
        ["compte_id", "eleve_id", "position"],
    )

    fields = list(rows.EXTRACTION_FIELDS)
    upsert(conn, extraction, select(*(stg.extraction.c[f] for f in fields)), ["source"], fields)
