"""Notifications driven by the database: waiting reminders, automatic closure, SLA alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from helpdesk.mail.models import OutboxMessage
from helpdesk.mail.settings import MailSettings
from helpdesk.tickets import services
from helpdesk.tickets.jobs import run_periodic, waiting_tickets
from helpdesk.tickets.models import TicketEvent
from tests.plugins.database import fresh_database_url

SETTINGS = MailSettings(reminder_days=5, autoclose_days=10, resolved_close_days=15)
#: A Tuesday, 10:00 in Paris: inside business hours.
TUESDAY = datetime(2026, 9, 15, 8, 0, tzinfo=UTC)


def kinds(db_session, ticket) -> list[str]:
    return list(
        db_session.scalars(
            select(OutboxMessage.kind)
            .where(OutboxMessage.ticket_id == ticket.id)
            .order_by(OutboxMessage.id)
        )
    )


def last_mail(db_session, ticket) -> OutboxMessage:
    return db_session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.ticket_id == ticket.id)
        .order_by(OutboxMessage.id.desc())
    ).first()


@pytest.fixture
def waiting(db_session, ctx, make_ticket, make_user):
    """A ticket the agent put on hold for the requester's answer; returns (ticket, since)."""
    agent = make_user("agent")
    ticket = make_ticket()
    services.change_status(db_session, ctx, ticket, agent, "en_attente_demandeur")
    [(found, since)] = [(t, s) for t, s in waiting_tickets(db_session) if t.id == ticket.id]
    return ticket, since, agent


def test_putting_a_ticket_on_hold_tells_the_requester(db_session, waiting):
    ticket, since, _ = waiting
    assert kinds(db_session, ticket) == ["request_received", "waiting_for_answer"]
    mail = last_mail(db_session, ticket)
    assert "besoin d'une réponse de votre part" in mail.body_text
    assert "la demande sera close le " in mail.body_text
    assert since <= ticket.updated_at + timedelta(seconds=1)


def test_a_reminder_then_closure_when_the_requester_stays_silent(db_session, ctx, waiting):
    ticket, since, _ = waiting

    early = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=4))
    assert early.reminders == 0 and ticket.status == "en_attente_demandeur"

    reminded = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=5, hours=1))
    again = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=6))
    assert (reminded.reminders, again.reminders) == (1, 0)
    reminder = last_mail(db_session, ticket)
    assert reminder.kind == "waiting_reminder"
    assert "Nous attendons toujours votre réponse" in reminder.body_text
    assert reminder.dedupe_key.startswith(f"waiting_reminder:{ticket.id}:")

    closed = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=10, minutes=1))
    assert closed.closed == 1
    assert ticket.status == "clos" and ticket.closed_at is not None
    assert kinds(db_session, ticket)[-1] == "closed_no_answer"
    assert run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=30)).closed == 0


def test_a_new_question_from_the_agent_restarts_the_clock(db_session, ctx, waiting):
    ticket, since, agent = waiting
    later = since + timedelta(days=7)
    message = services.add_message(db_session, ctx, ticket, agent, "Avez-vous pu essayer ?")
    message.created_at = later
    db_session.flush()

    report = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=10, minutes=1))

    assert report.closed == 0 and ticket.status == "en_attente_demandeur"
    assert report.reminders == 0


def test_the_requester_answering_stops_the_reminders(db_session, ctx, waiting):
    ticket, since, _ = waiting
    services.add_message(db_session, ctx, ticket, None, "Voici ma réponse.")
    report = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=20))
    assert (report.reminders, report.closed) == (0, 0) and ticket.status == "en_cours"


def test_zero_days_turns_reminders_and_closure_off(db_session, ctx, waiting):
    ticket, since, _ = waiting
    off = MailSettings(reminder_days=0, autoclose_days=0, resolved_close_days=0)
    report = run_periodic(db_session, ctx, off, now=since + timedelta(days=100))
    assert (report.reminders, report.closed) == (0, 0)
    assert ticket.status == "en_attente_demandeur"


def test_resolved_tickets_close_silently_after_the_delay(db_session, ctx, make_ticket, make_user):
    agent = make_user("agent")
    ticket = make_ticket()
    services.change_status(db_session, ctx, ticket, agent, "resolu")
    before = kinds(db_session, ticket)
    assert before[-1] == "resolved"

    early = run_periodic(db_session, ctx, SETTINGS, now=ticket.resolved_at + timedelta(days=14))
    late = run_periodic(db_session, ctx, SETTINGS, now=ticket.resolved_at + timedelta(days=15))

    assert (early.resolved_closed, late.resolved_closed) == (0, 1)
    assert ticket.status == "clos" and kinds(db_session, ticket) == before


def test_the_assignee_hears_once_when_a_due_date_is_near(db_session, ctx, make_ticket, make_user):
    agent = make_user("agent")
    ticket = make_ticket()
    unassigned = make_ticket(requester_email="autre@example.org")
    services.assign(db_session, ctx, ticket, agent, agent)
    for item in (ticket, unassigned):
        item.first_response_due_at = TUESDAY + timedelta(minutes=30)
        item.resolution_due_at = TUESDAY + timedelta(days=5)
    db_session.flush()

    first = run_periodic(db_session, ctx, SETTINGS, now=TUESDAY)
    second = run_periodic(db_session, ctx, SETTINGS, now=TUESDAY + timedelta(minutes=10))

    assert (first.sla_alerts, second.sla_alerts) == (1, 0)
    alert = last_mail(db_session, ticket)
    assert (alert.kind, alert.to_address) == ("sla_at_risk", agent.email)
    assert "Échéance proche (première réponse)" in alert.subject
    assert "30 min restantes" in alert.body_text and "à 10:30" in alert.body_text
    assert "sla_at_risk" not in kinds(db_session, unassigned)

    # Answered: the resolution target is the next one to watch.
    services.add_message(db_session, ctx, ticket, agent, "Nous regardons.")
    services.change_status(db_session, ctx, ticket, agent, "en_cours")
    ticket.resolution_due_at = TUESDAY + timedelta(hours=1, minutes=20)
    db_session.flush()
    third = run_periodic(db_session, ctx, SETTINGS, now=TUESDAY + timedelta(hours=1))
    assert third.sla_alerts == 1
    assert "(résolution)" in last_mail(db_session, ticket).subject


def test_far_due_dates_raise_no_alert(db_session, ctx, make_ticket, make_user):
    agent = make_user("agent")
    ticket = make_ticket()
    services.assign(db_session, ctx, ticket, agent, agent)
    ticket.first_response_due_at = TUESDAY + timedelta(hours=6)
    db_session.flush()
    assert run_periodic(db_session, ctx, SETTINGS, now=TUESDAY).sla_alerts == 0


def test_reminders_command(tmp_path, monkeypatch):
    from helpdesk.cli import main
    from helpdesk.core.migrate import upgrade

    url = fresh_database_url(tmp_path, "jobscli")
    upgrade(url)
    monkeypatch.setenv("HELPDESK_DATABASE_URL", url)
    monkeypatch.setenv("HELPDESK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("HELPDESK_CLASSIFY_ENABLED", "0")
    result = CliRunner().invoke(main, ["mail", "reminders"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Relances : 0, closes sans réponse : 0" in result.output


def test_renaming_the_waiting_label_changes_what_people_read_and_nothing_else(
    client, db_session, ctx, login_as, make_user, waiting
):
    ticket, since, _ = waiting
    login_as(make_user("admin"))
    renamed = client.post(
        "/admin/categories",
        data={"kind": "status", "code": "en_attente_demandeur", "label": "Réponse attendue"},
    )
    assert renamed.status_code == 302
    event = db_session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "status")
    ).one()
    assert (event.old_value, event.new_value) == ("nouveau", "en_attente_demandeur")

    assert [s for t, s in waiting_tickets(db_session) if t.id == ticket.id] == [since]
    reminded = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=5, hours=1))
    assert reminded.reminders == 1
    closed = run_periodic(db_session, ctx, SETTINGS, now=since + timedelta(days=10, minutes=1))
    assert closed.closed == 1 and ticket.status == "clos"

    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "Nouveau → Réponse attendue" in page
    assert "Réponse attendue → Clos" in page
