"""The lifecycle's e-mails are queued by the mail package on the change's own transaction."""

import pytest
from sqlalchemy import func, select

from helpdesk.core.errors import DomainError
from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets import services
from helpdesk.tickets.models import Ticket


def outbox(session, kind: str) -> int:
    return session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == kind)
    )


def test_a_reply_and_its_email_are_rolled_back_together(db_session, ctx, make_ticket, make_user):
    ticket = make_ticket()
    agent = make_user()
    db_session.commit()
    before = outbox(db_session, "new_reply")

    services.add_message(db_session, ctx, ticket, agent, "Voici la marche à suivre.")
    assert outbox(db_session, "new_reply") == before + 1
    db_session.rollback()

    assert outbox(db_session, "new_reply") == before


def test_a_committed_reply_keeps_its_email(db_session, ctx, make_ticket, make_user):
    ticket = make_ticket()
    agent = make_user()
    before = outbox(db_session, "new_reply")

    services.add_message(db_session, ctx, ticket, agent, "Voici la marche à suivre.")
    db_session.commit()

    assert outbox(db_session, "new_reply") == before + 1


def test_a_refused_opening_queues_no_receipt(db_session, ctx):
    before = outbox(db_session, "request_received")
    tickets = db_session.scalar(select(func.count()).select_from(Ticket))

    with pytest.raises(DomainError):
        services.open_ticket(
            db_session,
            ctx,
            None,
            services.TicketInput(
                subject="Code SMS",
                body="",
                channel="formulaire_contact",
                requester_name="Claire Martin",
                requester_email="claire.martin@example.org",
            ),
        )

    assert outbox(db_session, "request_received") == before
    assert db_session.scalar(select(func.count()).select_from(Ticket)) == tickets


def test_an_internal_note_tells_nobody(db_session, ctx, make_ticket, make_user):
    ticket = make_ticket()
    agent = make_user()
    before = outbox(db_session, "new_reply")

    services.add_message(db_session, ctx, ticket, agent, "Vu avec l'école.", internal=True)

    assert outbox(db_session, "new_reply") == before
