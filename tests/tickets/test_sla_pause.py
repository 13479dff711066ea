"""The SLA clock stands still while a ticket waits for its requester, and says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from helpdesk.tickets import queries, services
from helpdesk.tickets.models import SlaSetting, TicketEvent
from helpdesk.tickets.queries import QueueFilters

#: Monday 3 March 2031, 9:00 in Paris: the centre is open 8:00-12:30 and 13:30-17:30.
MONDAY_9 = datetime(2031, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """The time the ticket services see, moved by hand."""

    class Clock:
        now = MONDAY_9

        def at(self, moment: datetime) -> None:
            self.now = moment

    clock = Clock()
    monkeypatch.setattr(services, "utcnow", lambda: clock.now)
    return clock


def history(db_session, ticket) -> list[tuple[str, str | None]]:
    return [
        (e.kind, e.new_value)
        for e in db_session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )
        if e.kind.startswith("sla_")
    ]


def test_waiting_pauses_and_the_answer_moves_the_due_dates(
    db_session, ctx, make_ticket, make_user, clock
):
    agent = make_user("agent")
    ticket = make_ticket(created_at=MONDAY_9)
    due = ticket.resolution_due_at
    clock.at(MONDAY_9 + timedelta(hours=1))  # 10:00 Paris
    services.add_message(db_session, ctx, ticket, agent, "Quel est le mobile donné à l'école ?")
    assert ticket.status == "en_attente_demandeur"
    assert ticket.sla_paused_at == MONDAY_9 + timedelta(hours=1)

    clock.at(MONDAY_9 + timedelta(hours=5))  # 14:00 Paris: 2 h 30 + 30 min of open time
    services.add_message(db_session, ctx, ticket, None, "C'est le 06 12 34 56 78.")
    assert ticket.status == "en_cours"
    assert ticket.sla_paused_at is None
    assert ticket.sla_paused_minutes == 180
    # Due on Friday 16:00 Paris, 3 business hours later: Friday's last 1 h 30, then Monday 9:30.
    assert due == datetime(2031, 3, 7, 15, 0, tzinfo=UTC)
    assert ticket.resolution_due_at == datetime(2031, 3, 10, 8, 30, tzinfo=UTC)
    assert history(db_session, ticket) == [("sla_paused", None), ("sla_resumed", "3 h")]


def test_resolving_a_waiting_ticket_ends_the_pause(db_session, ctx, make_ticket, make_user, clock):
    agent = make_user("agent")
    ticket = make_ticket(created_at=MONDAY_9)
    services.change_status(db_session, ctx, ticket, agent, "en_attente_demandeur")
    clock.at(MONDAY_9 + timedelta(minutes=45))
    services.change_status(db_session, ctx, ticket, agent, "resolu")
    assert ticket.sla_paused_at is None
    assert ticket.sla_paused_minutes == 45
    assert history(db_session, ticket) == [("sla_paused", None), ("sla_resumed", "45 min")]


def test_a_new_priority_keeps_the_time_already_paused(
    db_session, ctx, make_ticket, make_user, clock
):
    agent = make_user("agent")
    ticket = make_ticket(created_at=MONDAY_9)
    services.change_status(db_session, ctx, ticket, agent, "en_attente_demandeur")
    clock.at(MONDAY_9 + timedelta(hours=2))
    services.change_status(db_session, ctx, ticket, agent, "en_cours")
    services.set_priority(db_session, ctx, ticket, agent, "urgente")
    # Urgent: 480 business minutes, plus the 2 hours paused, from Monday 9:00 Paris:
    # 7 h 30 on Monday, then Tuesday 8:00 to 10:30 Paris.
    assert ticket.resolution_due_at == datetime(2031, 3, 4, 9, 30, tzinfo=UTC)


def test_with_the_pause_turned_off_the_clock_runs(db_session, ctx, make_ticket, make_user, clock):
    services.set_pause_enabled(db_session, False)
    assert db_session.get(SlaSetting, services.PAUSE_SETTING).value == "0"
    agent = make_user("agent")
    ticket = make_ticket(created_at=MONDAY_9)
    due = ticket.resolution_due_at
    services.change_status(db_session, ctx, ticket, agent, "en_attente_demandeur")
    clock.at(MONDAY_9 + timedelta(hours=2))
    services.change_status(db_session, ctx, ticket, agent, "en_cours")
    assert ticket.sla_paused_at is None
    assert ticket.resolution_due_at == due
    assert history(db_session, ticket) == []


def test_a_waiting_ticket_is_not_overdue_in_the_queue_nor_on_the_dashboard(
    db_session, ctx, make_ticket, make_user, clock
):
    agent = make_user("agent")
    long_ago = datetime(2031, 1, 6, 8, 0, tzinfo=UTC)
    waiting = make_ticket(created_at=long_ago, subject="En attente")
    late = make_ticket(created_at=long_ago, subject="En retard")
    clock.at(long_ago)
    services.change_status(db_session, ctx, waiting, agent, "en_attente_demandeur")
    now = MONDAY_9
    overdue = queries.queue_page(db_session, QueueFilters(sla="depasse"), agent, now)
    assert [t.id for t in overdue.tickets] == [late.id]
    assert queries.dashboard(db_session, agent, now).breached_count == 1
    soon = queries.queue_page(
        db_session, QueueFilters(sla="risque"), agent, waiting.resolution_due_at
    )
    assert waiting.id not in [t.id for t in soon.tickets]
    # Once the requester answers, the time left when it stopped is given back.
    clock.at(now)
    services.add_message(db_session, ctx, waiting, None, "Voici le numéro.")
    assert waiting.resolution_due_at > now
    assert queries.dashboard(db_session, agent, now).breached_count == 1


def test_ticket_page_says_resolved_on_time_or_late_and_paused(
    client, login_as, db_session, ctx, make_ticket, make_user
):
    agent = login_as(make_user("agent"))
    on_time = make_ticket()
    services.change_status(db_session, ctx, on_time, agent, "resolu")
    page = client.get(f"/tickets/{on_time.reference}").get_data(as_text=True)
    assert "Résolue dans les délais" in page
    assert "Échéance : Résolu" not in page and "Échéance : résolu" not in page

    late = make_ticket(created_at=datetime(2026, 1, 6, 8, 0, tzinfo=UTC))
    services.change_status(db_session, ctx, late, agent, "resolu")
    page = client.get(f"/tickets/{late.reference}").get_data(as_text=True)
    assert "Résolue en retard de" in page

    waiting = make_ticket()
    services.change_status(db_session, ctx, waiting, agent, "en_attente_demandeur")
    page = client.get(f"/tickets/{waiting.reference}").get_data(as_text=True)
    assert "Échéance : en pause, en attente du demandeur" in page
    assert "a suspendu le délai (attente du demandeur)" in page
    queue = client.get("/tickets?statut=en_attente_demandeur").get_data(as_text=True)
    assert "en pause, en attente du demandeur" in queue


def test_director_does_not_see_a_ticket_of_another_school(
    client, login_as, db_session, make_ticket, make_user, make_school
):
    login_as(make_user("directeur", schools=[make_school()]))
    ticket = make_ticket(school_id=make_school().id)
    assert client.get(f"/tickets/{ticket.reference}").status_code == 404
