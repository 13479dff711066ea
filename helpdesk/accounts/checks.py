"""Set-based checks of the staged rows: duplicates and dangling references are rejected, with
their line and a French reason, before anything is merged."""

from __future__ import annotations

from sqlalchemy import Connection, Table, and_, delete, exists, func, select

from helpdesk.accounts.snapshot import (
    ACCOUNTS,
    EXTRACTION,
    LINKS,
    PUPILS,
    RESPONSABLES,
    SCHOOLS,
    ImportReport,
)
from helpdesk.accounts.staging import Staging
from helpdesk.core import dialect


class StagedChecks:
    """Rejects the staged rows that the real tables could not take."""

    def __init__(self, conn: Connection, stg: Staging, report: ImportReport) -> None:
        self.conn = conn
        self.stg = stg
        self.report = report

    def check_references(self) -> None:
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
