"""`helpdesk demo` on an empty database: a living académie, and refusal on a used one."""

from click.testing import CliRunner
from sqlalchemy import func, insert, select

from helpdesk.accounts.models import Responsable
from helpdesk.cli import main
from helpdesk.core.db import make_engine, make_sessionmaker
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.tickets.models import Message, Ticket


def counts(url):
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        tickets = session.scalar(select(func.count()).select_from(Ticket))
        messages = session.scalar(select(func.count()).select_from(Message))
        statuses = set(session.scalars(select(Ticket.status).distinct()))
        channels = set(session.scalars(select(Ticket.channel).distinct()))
        references = session.scalars(select(Ticket.reference).limit(50)).all()
    engine.dispose()
    return tickets, messages, statuses, channels, references


def test_demo_fills_an_empty_database_and_prints_logins(cli_env):  # noqa: F811
    result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for login in ("admin@ac-demo.fr", "agent@ac-demo.fr", "directeur@ac-demo.fr"):
        assert login in result.output
    assert "mot de passe : Demo-EduConnect-2026" in result.output
    tickets, messages, statuses, channels, _ = counts(cli_env)
    assert 250 <= tickets <= 350
    assert messages >= 2 * tickets
    assert statuses == {"nouveau", "en_cours", "en_attente_demandeur", "resolu", "clos"}
    assert channels == {"portail_directeur", "formulaire_contact", "email", "telephone"}
    assert "Base des comptes : " in result.output

    # Recent requests from parents whose records carry an anomaly, diagnosed on arrival.
    engine = make_engine(cli_env)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Responsable)) >= 1500
        diagnosed = session.scalars(
            select(Ticket).where(Ticket.diagnosis_summary.is_not(None))
        ).all()
        stored = {d.ticket_id: d for d in session.scalars(select(TicketDiagnosis))}
    engine.dispose()
    assert len(diagnosed) >= 8
    assert all(t.status == "nouveau" and t.id in stored for t in diagnosed)
    leading = {stored[t.id].result["findings"][0]["code"]: t for t in diagnosed}
    assert {"phone_mismatch", "duplicate_responsable", "activation_expired"} <= set(leading)
    assert "person_not_found" not in leading
    mismatch = leading["phone_mismatch"]
    assert mismatch.diagnosis_summary.startswith("Le mobile indiqué diffère")
    assert (
        stored[mismatch.id]
        .result["findings"][0]["evidence"]["ecart"]
        .endswith("chiffres sont inversés")
    )

    again = CliRunner().invoke(main, ["demo"])
    assert again.exit_code != 0
    assert "La base n'est pas vide" in again.output
    kept = CliRunner().invoke(main, ["demo", "--if-empty"])
    assert kept.exit_code == 0 and "déjà des données" in kept.output
    assert counts(cli_env)[0] == tickets


def test_large_demo_for_load_tests(cli_env):  # noqa: F811
    result = CliRunner().invoke(main, ["demo", "--tickets", "1200"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    tickets, messages, _, _, references = counts(cli_env)
    assert tickets == 1200
    assert 2.0 <= messages / tickets <= 3.0
    assert all(len(r) == 11 and r[4] == "-" for r in references)

    # Bulk rows carry their own ids: a ticket made afterwards still gets a free one.
    engine = make_engine(cli_env)
    table = Ticket.__table__
    with engine.begin() as conn:
        row = conn.execute(select(table).limit(1)).mappings().one()
        values = {k: v for k, v in row.items() if k != "id"} | {"reference": "2099-000001"}
        new_id = conn.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
    engine.dispose()
    assert new_id > 1200
