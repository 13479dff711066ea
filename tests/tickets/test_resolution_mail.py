"""Resolving sends the "résolue" e-mail with the rating link, whichever form resolves."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.macros.models import Macro
from helpdesk.mail.models import OutboxMessage


def _mails(db_session, ticket, kind):
    return db_session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.ticket_id == ticket.id, OutboxMessage.kind == kind
        )
    ).all()


@pytest.fixture
def agent(login_as, make_user):
    return login_as(make_user("agent"))


def _resolved_once(db_session, ticket):
    db_session.refresh(ticket)
    assert ticket.status == "resolu"
    mails = _mails(db_session, ticket, "resolved")
    assert len(mails) == 1
    assert "/avis" in mails[0].body_text and "réglé" in mails[0].body_text
    return mails[0]


def test_reply_that_resolves_sends_one_resolution_mail_with_the_reply(
    client, db_session, agent, make_ticket
):
    ticket = make_ticket()
    response = client.post(
        f"/tickets/{ticket.reference}/repondre",
        data={
            "reply-body": "Le compte est réactivé, essayez de nouveau.",
            "reply-status": "resolu",
        },
    )
    assert response.status_code == 302
    mail = _resolved_once(db_session, ticket)
    assert "Le compte est réactivé" in mail.body_text
    assert _mails(db_session, ticket, "new_reply") == []


def test_reply_without_resolution_sends_the_reply_only(client, db_session, agent, make_ticket):
    ticket = make_ticket()
    client.post(f"/tickets/{ticket.reference}/repondre", data={"reply-body": "Une question."})
    assert len(_mails(db_session, ticket, "new_reply")) == 1
    assert _mails(db_session, ticket, "resolved") == []


def test_status_route_resolves_with_the_mail(client, db_session, agent, make_ticket):
    ticket = make_ticket()
    response = client.post(f"/tickets/{ticket.reference}/statut", data={"status-status": "resolu"})
    assert response.status_code == 302
    _resolved_once(db_session, ticket)


def test_update_form_resolves_with_the_mail(client, db_session, agent, make_ticket):
    ticket = make_ticket()
    data = {
        "maj-status": "resolu",
        "maj-assignee": "",
        "maj-priority": ticket.priority,
        "maj-type_demande": ticket.type_demande,
        "maj-nature": ticket.nature,
        "maj-motif": ticket.motif,
    }
    assert client.post(f"/tickets/{ticket.reference}/mettre-a-jour", data=data).status_code == 302
    _resolved_once(db_session, ticket)


def test_bulk_action_resolves_each_ticket_with_its_mail(client, db_session, agent, make_ticket):
    tickets = [make_ticket(requester_email=f"parent{n}@example.org") for n in range(2)]
    response = client.post(
        "/tickets/lot", data={"ids": [str(t.id) for t in tickets], "lot-status": "resolu"}
    )
    assert response.status_code == 302
    for ticket in tickets:
        assert _resolved_once(db_session, ticket).to_address == ticket.requester_email


def test_macro_resolves_with_one_mail_holding_its_reply(client, db_session, agent, make_ticket):
    ticket = make_ticket()
    macro = Macro(name="Résoudre", body="Tout est rentré dans l'ordre.", status="resolu")
    db_session.add(macro)
    db_session.flush()
    response = client.post(f"/tickets/{ticket.reference}/macros/{macro.id}")
    assert response.status_code == 302
    assert "Tout est rentré dans l'ordre." in _resolved_once(db_session, ticket).body_text
    assert _mails(db_session, ticket, "new_reply") == []


def test_a_refused_resolution_sends_nothing(client, db_session, agent, make_ticket, ctx):
    from helpdesk.tickets import services

    ticket = make_ticket()
    services.change_status(db_session, ctx, ticket, agent, "clos")
    response = client.post(f"/tickets/{ticket.reference}/statut", data={"status-status": "resolu"})
    assert response.status_code in (302, 422)
    db_session.refresh(ticket)
    assert ticket.status == "clos"
    assert _mails(db_session, ticket, "resolved") == []
