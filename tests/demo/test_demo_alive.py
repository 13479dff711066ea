"""The demo looks alive: recent open tickets mostly on time, signatures of their authors,
every login printed, mails caught for reading in the browser, and a reset."""

from __future__ import annotations

import re
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select

from helpdesk.auth.models import User
from helpdesk.cli import main
from helpdesk.core.db import make_engine, make_sessionmaker, utcnow
from helpdesk.demo.builder import DEMO_PEOPLE
from helpdesk.mail.models import MailSetting, OutboxMessage
from helpdesk.tickets.models import OPEN_STATUSES, Message, Ticket
from helpdesk.tickets.sla import current_state as sla_state

SIGNATURE = "Centre de services de la DSI - assistance EduConnect"


def test_demo_is_recent_on_time_signed_caught_and_can_be_reset(cli_env, monkeypatch):
    monkeypatch.setenv("HELPDESK_PUBLIC_URL", "http://127.0.0.1:8123")
    result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for _, email, _, _ in DEMO_PEOPLE:
        assert email in result.output
    assert "http://127.0.0.1:8123/courriels" in result.output

    engine = make_engine(cli_env)
    now = utcnow()
    with make_sessionmaker(engine)() as session:
        open_tickets = session.scalars(select(Ticket).where(Ticket.status.in_(OPEN_STATUSES))).all()
        assert len(open_tickets) >= 100
        states = [sla_state(t, now) for t in open_tickets]
        on_time = sum(1 for s in states if s is not None and s.status != "breached")
        assert on_time / len(open_tickets) >= 0.85, on_time
        # Dated from now: the newest came in today, none is older than three weeks.
        assert all(now - t.created_at < timedelta(days=21) for t in open_tickets)
        assert min(now - t.created_at for t in open_tickets) < timedelta(hours=8)

        # Each agent's reply is signed by the agent who posted it.
        signed = session.scalars(
            select(Message).where(Message.author_kind == "agent", Message.body.contains(SIGNATURE))
        ).all()
        assert len(signed) >= 50
        assert all(f"{m.author_name}\n{SIGNATURE}" in m.body for m in signed)
        staff = {u.display_name for u in session.scalars(select(User))}
        for message in session.scalars(select(Message).where(Message.author_kind == "directeur")):
            others = staff - {message.author_name}
            assert not any(name in message.body for name in others), message.body

        # Notifications are caught, with links on the demo's own address and port.
        assert session.get(MailSetting, "sandbox").value == "1"
        resolved = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "resolved")
        ).first()
        assert re.search(r"http://127\.0\.0\.1:8123/suivi/\S+/avis", resolved.body_text)
        before = session.scalar(select(func.count()).select_from(Ticket))
    engine.dispose()

    again = CliRunner().invoke(main, ["demo", "--reset", "--tickets", "60"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert "Démonstration effacée." in again.output and "admin@ac-demo.fr" in again.output
    engine = make_engine(cli_env)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 60 != before
        assert session.scalar(select(func.count()).select_from(User)) == len(DEMO_PEOPLE)
    engine.dispose()


def test_reset_refuses_a_database_that_is_not_the_demo(cli_env):
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    result = CliRunner().invoke(
        main,
        [
            "user",
            "create",
            "agent@ac-test.fr",
            "--role",
            "agent",
            "--password",
            "Mot-de-passe-solide-2026",
        ],
    )
    engine = make_engine(cli_env)
    with make_sessionmaker(engine)() as session:
        users = session.scalar(select(func.count()).select_from(User))
    engine.dispose()
    assert users == 1, result.output
    refused = CliRunner().invoke(main, ["demo", "--reset"])
    assert refused.exit_code != 0
    assert "ne contient pas la démonstration" in refused.output
    engine = make_engine(cli_env)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
    engine.dispose()
