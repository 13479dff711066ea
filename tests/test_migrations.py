"""Data migrations, run on rows written the way older versions wrote them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from helpdesk.core.db import make_engine
from helpdesk.core.migrate import alembic_config, upgrade
from helpdesk.tickets.models import Ticket, TicketEvent
from tests.plugins.database import fresh_database_url


def _add_later_columns(engine) -> list[str]:
    """Columns of today's ticket model that later migrations add, so the ORM can insert."""
    present = {c["name"] for c in sa.inspect(engine).get_columns("ticket")}
    later = [c for c in Ticket.__table__.columns if c.name not in present]
    with engine.begin() as conn:
        for column in later:
            type_ = column.type.compile(dialect=engine.dialect)
            conn.execute(sa.text(f"ALTER TABLE ticket ADD COLUMN {column.name} {type_}"))
    return [column.name for column in later]


def _drop_columns(engine, names: list[str]) -> None:
    with engine.begin() as conn:
        for name in names:
            conn.execute(sa.text(f"ALTER TABLE ticket DROP COLUMN {name}"))


def test_history_labels_become_codes_and_back(tmp_path):
    url = fresh_database_url(tmp_path, "history_codes")
    upgrade(url, "0012_intake_academie")
    engine = make_engine(url)
    rows = [
        ("status", "Nouveau", "En attente du demandeur"),
        ("priority", "Normale", "Urgente"),
        ("motif", "activation_sms", "autre"),
        ("reply", None, "Texte libre : En cours"),
    ]
    later = _add_later_columns(engine)
    with Session(engine) as session, session.begin():
        ticket = Ticket(
            reference="2026-000001",
            subject="Code SMS",
            type_demande="demande_logicielle",
            nature="EDUCONNECT",
            motif="activation_sms",
            channel="email",
            requester_name="Claire Martin",
        )
        session.add(ticket)
        session.flush()
        session.add_all(
            TicketEvent(
                ticket_id=ticket.id, actor_name="Agent", kind=kind, old_value=old, new_value=new
            )
            for kind, old, new in rows
        )

    _drop_columns(engine, later)

    def values():
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT kind, old_value, new_value FROM ticket_event ORDER BY id")
            ).all()

    upgrade(url, "0013_history_codes")
    assert values() == [
        ("status", "nouveau", "en_attente_demandeur"),
        ("priority", "normale", "urgente"),
        ("motif", "activation_sms", "autre"),
        ("reply", None, "Texte libre : En cours"),
    ]
    command.downgrade(alembic_config(url), "0012_intake_academie")
    assert values() == [tuple(row) for row in rows]
    engine.dispose()
