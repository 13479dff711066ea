from datetime import timedelta

import pytest
from sqlalchemy import func, select

from helpdesk.core.db import utcnow
from helpdesk.tickets.models import OPEN_STATUSES, Ticket
from helpdesk.tickets.queries import QueueFilters, dashboard, queue_page

#: (status, motif) of the tickets every test here starts from.
MIX = [
    ("nouveau", "activation_sms"),
    ("nouveau", "mot_de_passe_oublie"),
    ("en_cours", "activation_sms"),
    ("en_attente_demandeur", "activation_sms"),
    ("resolu", "activation_sms"),
    ("resolu", "mot_de_passe_oublie"),
    ("clos", "mot_de_passe_oublie"),
]


@pytest.fixture
def mixed(db_session, make_ticket, make_user):
    agent = make_user("agent")
    tickets = []
    for status, motif in MIX:
        ticket = make_ticket(motif=motif)
        ticket.status = status
        tickets.append(ticket)
    tickets[0].assignee_id = agent.id
    tickets[2].assignee_id = agent.id
    tickets[4].assignee_id = agent.id
    db_session.flush()
    return agent, tickets


def _expected(db_session, *conditions) -> int:
    return db_session.scalar(select(func.count()).select_from(Ticket).where(*conditions))


@pytest.mark.parametrize(
    ("args", "conditions"),
    [
        ({}, [Ticket.status.in_(OPEN_STATUSES)]),
        ({"statut": "tous"}, []),
        ({"statut": "resolu"}, [Ticket.status == "resolu"]),
        ({"statut": "inconnu"}, [Ticket.status == "inconnu"]),
        (
            {"statut": "tous", "motif": "activation_sms"},
            [Ticket.motif == "activation_sms"],
        ),
        (
            {"motif": "mot_de_passe_oublie"},
            [Ticket.motif == "mot_de_passe_oublie", Ticket.status.in_(OPEN_STATUSES)],
        ),
    ],
)
def test_queue_total_matches_its_filters(db_session, mixed, args, conditions):
    agent, _ = mixed
    page = queue_page(db_session, QueueFilters.from_args(args), agent, utcnow())

    assert page.total == _expected(db_session, *conditions)
    assert len(page.tickets) == page.total
    # Counts by status ignore the status filter but keep the others.
    other = [c for c in conditions if "status" not in str(c)]
    for status, count in page.status_counts.items():
        assert count == _expected(db_session, Ticket.status == status, *other)


def test_open_queue_lists_only_open_tickets_newest_first(db_session, mixed):
    agent, tickets = mixed
    page = queue_page(db_session, QueueFilters(), agent, utcnow(), page_size=2)

    open_ids = sorted((t.id for t in tickets if t.status in OPEN_STATUSES), reverse=True)
    assert [t.id for t in page.tickets] == open_ids[:2]
    assert page.pages == 2


def test_queue_total_with_sla_filter(db_session, mixed):
    agent, tickets = mixed
    now = utcnow()
    for ticket in tickets:
        ticket.first_response_due_at = now - timedelta(hours=3)
        ticket.resolution_due_at = now - timedelta(hours=1)
    db_session.flush()
    page = queue_page(db_session, QueueFilters(statut="tous", sla="depasse"), agent, now)

    assert page.total == len([t for t in tickets if t.status in OPEN_STATUSES])
    assert set(page.status_counts) == set(OPEN_STATUSES)


def test_sla_filters_follow_the_target_that_matters_now(db_session, mixed):
    agent, tickets = mixed
    now = utcnow()
    late, answered_late, answered_soon = tickets[0], tickets[1], tickets[2]
    for ticket in tickets:
        ticket.first_response_due_at = now + timedelta(days=1)
        ticket.resolution_due_at = now + timedelta(days=3)
    late.first_response_due_at = now - timedelta(minutes=10)
    # Answered in time: a first-response date now passed no longer counts.
    answered_late.first_response_due_at = now - timedelta(minutes=10)
    answered_late.first_response_at = now - timedelta(hours=1)
    answered_soon.first_response_at = now - timedelta(hours=1)
    answered_soon.resolution_due_at = now + timedelta(hours=2)
    db_session.flush()

    def listed(sla: str) -> set[int]:
        page = queue_page(db_session, QueueFilters(statut="tous", sla=sla), agent, now)
        return {t.id for t in page.tickets}

    assert listed("depasse") == {late.id}
    assert listed("risque") == {answered_soon.id}
    assert dashboard(db_session, agent, now).breached_count == 1


def test_dashboard_counts_open_tickets(db_session, mixed):
    agent, tickets = mixed
    board = dashboard(db_session, agent, utcnow())

    open_tickets = [t for t in tickets if t.status in OPEN_STATUSES]
    assert board.open_count == len(open_tickets)
    assert board.new_count == 2
    assert board.mine_count == 2
    assert board.unassigned_count == 2
    assert dict(board.by_motif) == {"activation_sms": 3, "mot_de_passe_oublie": 1}
    assert {t.id for t in board.mine} == {tickets[0].id, tickets[2].id}
