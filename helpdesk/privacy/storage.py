"""Make removed rows unrecoverable from the database files and the search index.

What each database leaves behind, and how it is cleared, is told in
:mod:`helpdesk.core.dialect`; here is which tables hold personal data.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from helpdesk.core import dialect

#: Tables whose removed rows held personal data.
PERSONAL_TABLES = ("ticket", "message", "attachment", "blob", "inbound_message", "outbox_message")


def rebuild_ticket_index(session: Session) -> None:
    """Merge the ticket index's segments so that deleted documents leave no trace."""
    dialect.optimise_full_text_index(session, "ticket_fts")


def flush_database_files(engine: Engine) -> None:
    """Write the log back into the database file and empty it (after the commit)."""
    dialect.release_removed_rows(engine, PERSONAL_TABLES)
