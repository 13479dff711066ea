import time

import itsdangerous.timed

from helpdesk.util.tracking import make_token


def test_requester_reads_answers_and_replies(client, db_session, make_ticket, make_user, ctx):
    from helpdesk.tickets import services

    agent = make_user("agent")
    ticket = make_ticket()
    services.add_message(db_session, ctx, ticket, agent, "Réponse publique de l'agent.")
    services.add_message(db_session, ctx, ticket, agent, "Note secrète.", internal=True)
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    page = client.get(f"/suivi/{token}").get_data(as_text=True)
    assert "Réponse publique de l&#39;agent." in page
    assert "Note secrète." not in page
    assert "attend votre réponse" in page
    response = client.post(f"/suivi/{token}", data={"body": "Toujours rien reçu."})
    assert response.status_code == 302
    db_session.refresh(ticket)
    assert ticket.status == "en_cours"
    assert ticket.messages[-1].body == "Toujours rien reçu."


def test_tampered_link_is_refused(client, make_ticket, ctx):
    ticket = make_ticket()
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    forged = make_token("une-autre-clef", ticket.id, ticket.reference)
    assert client.get(f"/suivi/{token[:-3]}abc").status_code == 404
    assert client.get(f"/suivi/{forged}").status_code == 404
    other = make_token(ctx.secret_key, ticket.id, "2000-000001")
    assert client.get(f"/suivi/{other}").status_code == 404


def test_expired_link_is_refused(client, make_ticket, ctx, monkeypatch):
    ticket = make_ticket()
    past = time.time() - 200 * 86400
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: past)
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    monkeypatch.undo()
    response = client.get(f"/suivi/{token}")
    assert response.status_code == 410
    assert "expiré" in response.get_data(as_text=True)


def test_closed_ticket_cannot_be_answered(client, db_session, make_ticket, make_user, ctx):
    from helpdesk.tickets import services

    ticket = make_ticket()
    services.change_status(db_session, ctx, ticket, make_user("agent"), "clos")
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    assert "est close" in client.get(f"/suivi/{token}").get_data(as_text=True)
    response = client.post(f"/suivi/{token}", data={"body": "Encore moi"})
    assert response.status_code == 422
