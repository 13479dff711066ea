"""The target that matters now: read the same on a loaded ticket and in a query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.core.db import utcnow
from helpdesk.tickets.models import Ticket


@pytest.fixture
def dated(db_session, make_ticket):
    """Three tickets: awaiting a first response, answered, and without any target."""
    now = utcnow().replace(microsecond=0)
    waiting, answered, undated = make_ticket(), make_ticket(), make_ticket()
    for ticket in (waiting, answered):
        ticket.first_response_due_at = now + timedelta(hours=1)
        ticket.resolution_due_at = now + timedelta(days=2)
    answered.first_response_at = now - timedelta(minutes=5)
    undated.first_response_due_at = undated.resolution_due_at = None
    db_session.flush()
    return now, waiting, answered, undated


def test_the_first_response_matters_until_it_is_given_then_the_resolution(dated):
    now, waiting, answered, undated = dated

    assert (waiting.current_target, waiting.current_due_at) == (
        "first_response",
        now + timedelta(hours=1),
    )
    assert (answered.current_target, answered.current_due_at) == (
        "resolution",
        now + timedelta(days=2),
    )
    assert (undated.current_target, undated.current_due_at) == ("resolution", None)


def test_a_query_reads_the_same_due_date_as_the_loaded_ticket(db_session, dated):
    now, waiting, answered, undated = dated
    ids = [waiting.id, answered.id, undated.id]

    rows = db_session.execute(select(Ticket.id, Ticket.current_due_at).where(Ticket.id.in_(ids)))
    due = {ticket_id: due_at for ticket_id, due_at in rows}
    soon = set(
        db_session.scalars(
            select(Ticket.id).where(
                Ticket.id.in_(ids), Ticket.current_due_at < now + timedelta(hours=2)
            )
        )
    )

    assert due == {t.id: t.current_due_at for t in (waiting, answered, undated)}
    assert soon == {waiting.id}
