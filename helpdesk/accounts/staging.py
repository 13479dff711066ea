"""Temporary staging tables: one per snapshot file, indexed once the rows are in."""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, Integer, MetaData, String, Table, Text

from helpdesk.accounts import rows
from helpdesk.accounts.models import Account, Extraction, Pupil, PupilLink, Responsable
from helpdesk.core import dialect
from helpdesk.schools.models import School


def _staging_table(metadata: MetaData, name: str, target: Table, fields, *extra) -> Table:
    columns = [Column("line", Integer, primary_key=True, autoincrement=False)]
    columns += [Column(f, target.c[f].type, nullable=True) for f in fields]
    return Table(name, metadata, *columns, *extra, prefixes=["TEMPORARY"])


class Staging:
    """The temporary tables a snapshot is streamed into before it is checked and merged."""

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
