"""Macros through HTTP: admins manage them, agents apply them to a ticket in one click."""

from __future__ import annotations

from sqlalchemy import func, select

from helpdesk.macros.models import Macro
from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets import services
from helpdesk.tickets.models import Message, TicketEvent


def _macro(db_session, **values) -> Macro:
    data = dict(
        name="Code SMS : délai",
        body="Bonjour {demandeur}, votre demande {reference} est en cours.",
        status="en_attente_demandeur",
        motif="activation_sms",
        priority="haute",
        is_internal=False,
        is_active=True,
    )
    data.update(values)
    macro = Macro(**data)
    db_session.add(macro)
    db_session.flush()
    return macro


def test_admin_creates_edits_and_deletes_a_macro(client, db_session, login_as, make_user):
    login_as(make_user("admin"))
    assert client.get("/admin/macros").status_code == 200
    assert client.get("/admin/macros/nouvelle").status_code == 200
    response = client.post(
        "/admin/macros/nouvelle",
        data={
            "name": "Résolu : code renvoyé",
            "body": "Bonjour {demandeur}, le code vient d'être renvoyé.",
            "status": "resolu",
            "motif": "activation_sms",
            "priority": "",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    macro = db_session.scalar(select(Macro).where(Macro.name == "Résolu : code renvoyé"))
    assert macro.status == "resolu" and macro.priority is None and macro.is_active
    page = client.get("/admin/macros").get_data(as_text=True)
    assert "Résolu : code renvoyé" in page and "statut : Résolu" in page
    response = client.post(
        f"/admin/macros/{macro.id}",
        data={"name": "Renvoi du code", "body": "", "status": "", "motif": "", "priority": "haute"},
    )
    assert response.status_code == 302
    db_session.refresh(macro)
    assert macro.name == "Renvoi du code" and macro.body is None and not macro.is_active
    macro_id = macro.id
    assert client.post(f"/admin/macros/{macro_id}/supprimer").status_code == 302
    db_session.expire_all()
    assert db_session.get(Macro, macro_id) is None
    assert client.post(f"/admin/macros/{macro_id}/supprimer").status_code == 404
    assert client.get(f"/admin/macros/{macro_id}").status_code == 404


def test_a_macro_that_does_nothing_or_has_no_name_is_refused(
    client, db_session, login_as, make_user
):
    login_as(make_user("admin"))
    response = client.post(
        "/admin/macros/nouvelle",
        data={"name": "Vide", "body": "", "status": "", "motif": "", "priority": ""},
    )
    assert response.status_code == 422
    assert "Une macro écrit une réponse ou change au moins un champ." in response.get_data(
        as_text=True
    )
    response = client.post("/admin/macros/nouvelle", data={"name": "", "status": "resolu"})
    assert response.status_code == 422
    response = client.post("/admin/macros/nouvelle", data={"name": "X", "status": "perdu"})
    assert response.status_code == 422
    assert db_session.scalar(select(func.count()).select_from(Macro)) == 0


def test_agents_do_not_manage_macros(client, db_session, login_as, make_user):
    login_as(make_user("agent"))
    macro = _macro(db_session)
    assert client.get("/admin/macros").status_code == 403
    assert (
        client.post("/admin/macros/nouvelle", data={"name": "X", "status": "clos"}).status_code
        == 403
    )
    assert client.post(f"/admin/macros/{macro.id}/supprimer").status_code == 403


def test_agent_applies_a_macro_in_one_click(client, db_session, login_as, make_user, make_ticket):
    agent = login_as(make_user("agent"))
    ticket = make_ticket(motif="mot_de_passe_oublie", requester_name="Claire Martin")
    macro = _macro(db_session)
    before = db_session.scalar(select(func.count()).select_from(OutboxMessage))
    response = client.post(f"/tickets/{ticket.reference}/macros/{macro.id}")
    assert response.status_code == 302
    db_session.refresh(ticket)
    assert ticket.status == "en_attente_demandeur" and ticket.motif == "activation_sms"
    assert ticket.priority == "haute" and ticket.assignee_id == agent.id
    reply = db_session.scalars(
        select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id.desc())
    ).first()
    assert reply.body == f"Bonjour Claire Martin, votre demande {ticket.reference} est en cours."
    kinds = db_session.scalars(
        select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)
    ).all()
    assert {"reply", "motif", "priority", "status"} <= set(kinds)
    # One e-mail to the parent: the reply, as when an agent answers by hand.
    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) - before == 1
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "Macro « Code SMS : délai » appliquée." in page


def test_inactive_or_unknown_macro_and_a_newer_message(
    client, db_session, ctx, login_as, make_user, make_ticket
):
    login_as(make_user("agent"))
    ticket = make_ticket()
    inactive = _macro(db_session, is_active=False)
    client.post(f"/tickets/{ticket.reference}/macros/{inactive.id}")
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "n&#39;est plus active" in page
    assert client.post(f"/tickets/{ticket.reference}/macros/999999").status_code == 302
    db_session.refresh(ticket)
    assert ticket.status == "nouveau"
    macro = _macro(db_session)
    mark = max(m.id for m in ticket.messages)
    services.add_message(db_session, ctx, ticket, None, "Finalement j'ai reçu le code.")
    client.post(f"/tickets/{ticket.reference}/macros/{macro.id}", data={"seen": str(mark)})
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "Un message est arrivé depuis l&#39;ouverture de la page" in page
    db_session.refresh(ticket)
    assert ticket.motif == "activation_sms" and ticket.priority == "normale"
    assert client.post("/tickets/2000-000001/macros/1").status_code == 404
