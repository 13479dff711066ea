"""`helpdesk retention run` and `helpdesk person ...` as the console script runs them."""

from __future__ import annotations

import json

from sqlalchemy import select

from helpdesk.accounts.importer import import_snapshot
from helpdesk.core.db import make_engine, make_sessionmaker
from helpdesk.core.migrate import upgrade
from helpdesk.demo.snapshot_builder import tiny_snapshot
from helpdesk.schools.models import School
from helpdesk.tickets.services import TicketInput, open_ticket
from tests.plugins.cli import run


def _with_a_ticket(url: str, closed_days_ago: int | None = None) -> str:
    from datetime import timedelta

    from helpdesk.core.context import ServiceContext
    from helpdesk.core.db import utcnow
    from helpdesk.tickets.services import change_status

    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        ctx = ServiceContext(secret_key="cli-tests")
        ticket = open_ticket(
            session,
            ctx,
            None,
            TicketInput(
                subject="Code jamais reçu",
                body="Bonjour, je n'ai pas reçu le code.",
                channel="formulaire_contact",
                requester_name="Gaspard Commande",
                requester_email="gaspard.commande@example.org",
                requester_phone="06 45 67 89 01",
                motif="activation_sms",
            ),
        )
        if closed_days_ago is not None:
            change_status(session, ctx, ticket, None, "clos")
            ticket.closed_at = utcnow() - timedelta(days=closed_days_ago)
        session.commit()
        reference = ticket.reference
    engine.dispose()
    return reference


def test_retention_run_counts_on_a_dry_run_then_applies_at_the_given_date(cli_env):
    _with_a_ticket(cli_env, closed_days_ago=10)

    dry = run("retention", "run", "--dry-run", "--now", "2099-01-01")
    assert dry.exit_code == 0, dry.output
    assert "à traiter" in dry.output
    assert [line.split()[1] for line in dry.output.splitlines() if "tickets" in line] == ["1"]
    today = run("retention", "run")
    assert [line.split()[1] for line in today.output.splitlines() if "tickets" in line] == ["0"]
    applied = run("retention", "run", "--now", "2099-01-01")
    assert applied.exit_code == 0 and "traités" in applied.output
    assert [line.split()[1] for line in applied.output.splitlines() if "tickets" in line] == ["1"]
    assert run("person", "export", "gaspard.commande@example.org").exit_code == 1


def test_retention_run_refuses_an_unreadable_date(cli_env):
    upgrade(cli_env)
    result = run("retention", "run", "--now", "demain")
    assert result.exit_code == 2 and "Date illisible" in result.output


def test_person_export_writes_json_to_standard_output_found_by_phone(cli_env):
    reference = _with_a_ticket(cli_env)
    result = run("person", "export", "+33645678901")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["reference"] for d in data["demandes"]] == [reference]
    assert data["demandes"][0]["requester_email"] == "gaspard.commande@example.org"


def test_person_commands_refuse_bad_identifiers_and_unconfirmed_erasures(cli_env):
    _with_a_ticket(cli_env)
    assert run("person", "export", "pas-une-adresse").exit_code == 2
    unconfirmed = run("person", "erase", "gaspard.commande@example.org")
    assert unconfirmed.exit_code == 2 and "--yes" in unconfirmed.output
    assert run("person", "export", "gaspard.commande@example.org").exit_code == 0
    erased = run("person", "erase", "06.45.67.89.01", "--yes")
    assert erased.exit_code == 0 and "1 demande(s) anonymisée(s)" in erased.output
    assert run("person", "export", "gaspard.commande@example.org").exit_code == 1


def test_the_import_records_when_each_school_was_last_extracted(cli_env, tmp_path):
    upgrade(cli_env)
    folder = tiny_snapshot().write(tmp_path / "snapshot")
    engine = make_engine(cli_env)
    factory = make_sessionmaker(engine)
    assert import_snapshot(factory, folder).exit_code == 0
    with factory() as session:
        seen = session.scalars(select(School.last_seen_at)).all()
    engine.dispose()
    assert seen and all(moment is not None for moment in seen)


def test_the_background_worker_step_applies_the_rules(app, db_session, ctx, make_ticket):
    from datetime import timedelta

    from helpdesk.core.db import utcnow
    from helpdesk.privacy.cli import retention_once
    from helpdesk.tickets.models import Ticket
    from helpdesk.tickets.services import change_status

    ticket = make_ticket(requester_name="Wanda Worker")
    change_status(db_session, ctx, ticket, None, "clos")
    ticket.closed_at = utcnow() - timedelta(days=500)
    db_session.flush()

    with app.app_context():
        lines, active = retention_once()

    assert active and lines[0].startswith("Conservation au")
    db_session.expire_all()
    assert db_session.get(Ticket, ticket.id).requester_name != "Wanda Worker"
