"""The desk's routes through HTTP: bulk changes, the update form, saved views, presence."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from helpdesk.core.db import utcnow
from helpdesk.desk.models import SavedView, TicketPresence
from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets import services
from helpdesk.tickets.models import Message, TicketEvent


def _events(db_session, ticket, kind):
    return db_session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == kind)
    ).all()


def _outbox(db_session, to=None):
    stmt = select(func.count()).select_from(OutboxMessage)
    if to:
        stmt = stmt.where(OutboxMessage.to_address == to)
    return db_session.scalar(stmt)


# ---- Bulk changes -------------------------------------------------------------------


def test_bulk_assign_and_status_one_history_line_each(
    client, db_session, login_as, make_user, make_ticket
):
    login_as(make_user("agent"))
    colleague = make_user("agent", email="collegue@ac-test.fr")
    tickets = [make_ticket() for _ in range(3)]
    before = _outbox(db_session, "collegue@ac-test.fr")
    response = client.post(
        "/tickets/lot",
        data={
            "ids": [str(t.id) for t in tickets[:2]],
            "lot-assignee": str(colleague.id),
            "lot-status": "en_attente_demandeur",
            "lot-priority": "haute",
            "lot-motif": "identifiant_oublie",
            "lot-retour": "statut=tous&tri=maj",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tickets?statut=tous&tri=maj")
    for ticket in tickets[:2]:
        db_session.refresh(ticket)
        assert ticket.assignee_id == colleague.id
        assert ticket.status == "en_attente_demandeur"
        assert ticket.priority == "haute" and ticket.motif == "identifiant_oublie"
        assert len(_events(db_session, ticket, "assignee")) == 1
        assert len(_events(db_session, ticket, "priority")) == 1
        assert len(_events(db_session, ticket, "motif")) == 1
    db_session.refresh(tickets[2])
    assert tickets[2].assignee_id is None and tickets[2].status == "nouveau"
    # The colleague is told of each ticket, as if they had been assigned one by one.
    assert _outbox(db_session, "collegue@ac-test.fr") - before == 2
    page = client.get("/tickets").get_data(as_text=True)
    assert "2 demandes modifiées." in page


def test_bulk_without_selection_or_change_changes_nothing(
    client, db_session, login_as, make_user, make_ticket
):
    login_as(make_user("agent"))
    ticket = make_ticket()
    response = client.post("/tickets/lot", data={"lot-status": "resolu"})
    assert response.status_code == 302
    assert "Sélectionnez au moins une demande." in client.get("/tickets").get_data(as_text=True)
    response = client.post("/tickets/lot", data={"ids": [str(ticket.id)]})
    assert "Choisissez au moins une modification" in client.get("/tickets").get_data(as_text=True)
    response = client.post("/tickets/lot", data={"ids": ["abc"], "lot-status": "resolu"})
    assert "choix invalide" in client.get("/tickets").get_data(as_text=True)
    db_session.refresh(ticket)
    assert ticket.status == "nouveau"


def test_bulk_refused_transition_is_reported_and_the_others_are_kept(
    client, db_session, ctx, login_as, make_user, make_ticket
):
    agent = login_as(make_user("agent"))
    closed = make_ticket()
    services.change_status(db_session, ctx, closed, agent, "clos")
    fresh = make_ticket()
    client.post(
        "/tickets/lot",
        data={"ids": [str(closed.id), str(fresh.id)], "lot-status": "en_attente_demandeur"},
    )
    page = client.get("/tickets").get_data(as_text=True)
    assert "1 demande modifiée." in page
    assert f"{closed.reference} non modifiée" in page
    db_session.refresh(closed)
    db_session.refresh(fresh)
    assert closed.status == "clos" and fresh.status == "en_attente_demandeur"


def test_bulk_is_for_staff_only(client, db_session, login_as, make_user, make_school, make_ticket):
    school = make_school()
    login_as(make_user("directeur", schools=[school]))
    ticket = make_ticket(school_id=school.id)
    response = client.post("/tickets/lot", data={"ids": [str(ticket.id)], "lot-status": "clos"})
    assert response.status_code == 404
    db_session.refresh(ticket)
    assert ticket.status == "nouveau"


def test_bulk_return_address_stays_in_the_queue(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    ticket = make_ticket()
    response = client.post(
        "/tickets/lot",
        data={"ids": [str(ticket.id)], "lot-priority": "haute", "lot-retour": "//evil.example/x"},
    )
    assert response.headers["Location"] == "/tickets"


# ---- One update form ----------------------------------------------------------------


def _update_data(ticket, **changes):
    data = {
        "maj-status": ticket.status,
        "maj-assignee": str(ticket.assignee_id or ""),
        "maj-priority": ticket.priority,
        "maj-type_demande": ticket.type_demande,
        "maj-nature": ticket.nature,
        "maj-motif": ticket.motif,
    }
    data.update({f"maj-{k}": v for k, v in changes.items()})
    return data


def test_update_form_changes_several_fields_at_once(
    client, db_session, login_as, make_user, make_ticket
):
    agent = login_as(make_user("agent"))
    ticket = make_ticket()
    response = client.post(
        f"/tickets/{ticket.reference}/mettre-a-jour",
        data=_update_data(
            ticket,
            status="en_attente_demandeur",
            assignee=str(agent.id),
            priority="urgente",
            nature="LSU",
            motif="lsu_bilan_invisible",
        ),
    )
    assert response.status_code == 302
    db_session.refresh(ticket)
    assert ticket.status == "en_attente_demandeur" and ticket.assignee_id == agent.id
    assert ticket.priority == "urgente" and ticket.motif == "lsu_bilan_invisible"
    kinds = [e.kind for e in _events(db_session, ticket, "status")]
    # New -> in progress (taken) -> waiting: the explicit status wins.
    assert kinds == ["status", "status"]
    assert "Demande mise à jour." in client.get(f"/tickets/{ticket.reference}").get_data(
        as_text=True
    )


def test_update_form_refuses_a_motif_of_another_nature(
    client, db_session, login_as, make_user, make_ticket
):
    login_as(make_user("agent"))
    ticket = make_ticket()
    response = client.post(
        f"/tickets/{ticket.reference}/mettre-a-jour",
        data=_update_data(ticket, status="en_cours", nature="LSU", motif="activation_sms"),
    )
    assert response.status_code == 422
    assert "relève de la nature" in response.get_data(as_text=True)
    db_session.refresh(ticket)
    assert ticket.status == "nouveau" and ticket.nature == "EDUCONNECT"


def test_update_form_without_change_and_unknown_values(
    client, db_session, login_as, make_user, make_ticket
):
    login_as(make_user("agent"))
    ticket = make_ticket()
    response = client.post(f"/tickets/{ticket.reference}/mettre-a-jour", data=_update_data(ticket))
    assert response.status_code == 302
    assert not _events(db_session, ticket, "status")
    response = client.post(
        f"/tickets/{ticket.reference}/mettre-a-jour", data=_update_data(ticket, status="perdu")
    )
    assert response.status_code == 422
    response = client.post("/tickets/2000-999999/mettre-a-jour", data=_update_data(ticket))
    assert response.status_code == 404


# ---- Saved views --------------------------------------------------------------------


def test_agent_saves_a_view_and_sees_its_count(
    client, db_session, login_as, make_user, make_ticket
):
    agent = login_as(make_user("agent"))
    for _ in range(2):
        make_ticket(motif="enfant_manquant")
    make_ticket(motif="activation_sms")
    response = client.post(
        "/vues",
        data={"vue-name": "Enfants", "vue-query": "motif=enfant_manquant&page=3&x=1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/tickets?motif=enfant_manquant"
    view = db_session.scalar(select(SavedView).where(SavedView.owner_id == agent.id))
    assert view.name == "Enfants" and view.query == "motif=enfant_manquant" and not view.is_shared
    fragment = client.get("/vues?courante=motif=enfant_manquant", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "Enfants" in body and 'aria-current="page"' in body
    assert '<span class="fr-sr-only"> : </span>2<' in body
    # Saving again under the same name replaces the filters.
    client.post("/vues", data={"vue-name": "Enfants", "vue-query": "motif=activation_sms"})
    db_session.refresh(view)
    assert view.query == "motif=activation_sms"


def test_agent_cannot_share_or_save_a_nameless_view(client, db_session, login_as, make_user):
    agent = login_as(make_user("agent"))
    client.post("/vues", data={"vue-name": "Tous", "vue-query": "", "vue-shared": "y"})
    assert "Seuls les administrateurs partagent" in client.get("/tickets").get_data(as_text=True)
    client.post("/vues", data={"vue-name": "  ", "vue-query": "statut=tous"})
    assert "Donnez un nom à la vue." in client.get("/tickets").get_data(as_text=True)
    count = db_session.scalar(
        select(func.count()).select_from(SavedView).where(SavedView.owner_id == agent.id)
    )
    assert count == 0


def test_admin_shares_a_view_that_agents_see_but_cannot_delete(
    client, db_session, login_as, make_user
):
    admin = login_as(make_user("admin"))
    client.post("/vues", data={"vue-name": "Sans agent", "vue-query": "agent=aucun"})
    view = db_session.scalar(select(SavedView).where(SavedView.owner_id == admin.id))
    assert client.post(f"/vues/{view.id}/partage", data={"partager": "1"}).status_code == 302
    db_session.refresh(view)
    assert view.is_shared
    agent = login_as(make_user("agent"))
    page = client.get("/vues").get_data(as_text=True)
    assert "Sans agent" in page and "Partagée" in page
    assert client.post(f"/vues/{view.id}/supprimer").status_code == 404
    assert client.post(f"/vues/{view.id}/partage", data={"partager": "0"}).status_code == 403
    db_session.refresh(view)
    assert view.is_shared
    # The agent's own view is theirs to delete; another agent's is not visible.
    client.post("/vues", data={"vue-name": "Miennes", "vue-query": "agent=moi"})
    own = db_session.scalar(select(SavedView).where(SavedView.owner_id == agent.id))
    client.get("/vues")  # shows, and so clears, the confirmation
    login_as(make_user("agent"))
    assert "Miennes" not in client.get("/vues").get_data(as_text=True)
    own_id = own.id
    assert client.post(f"/vues/{own_id}/supprimer").status_code == 404
    login_as(agent)
    assert client.post(f"/vues/{own_id}/supprimer").status_code == 302
    db_session.expire_all()
    assert db_session.get(SavedView, own_id) is None


def test_queue_queries_stay_bounded_with_views(
    client, login_as, make_user, make_ticket, count_queries
):
    login_as(make_user("agent"))
    make_ticket()
    with count_queries() as few:
        assert client.get("/tickets").status_code == 200
    for n in range(5):
        client.post("/vues", data={"vue-name": f"Vue {n}", "vue-query": f"motif=autre&page={n}"})
        make_ticket()
    with count_queries() as many:
        assert client.get("/tickets").status_code == 200
    assert len(many) == len(few) <= 12
    # The counts come in a request of their own: one count per view.
    with count_queries() as counts:
        client.get("/vues", headers={"HX-Request": "true"})
    assert len(counts) <= 5 + 4


# ---- Presence -----------------------------------------------------------------------


def test_presence_shows_the_others_and_what_they_did(
    client, db_session, ctx, login_as, make_user, make_ticket
):
    colleague = make_user("agent", display_name="Marc Collègue")
    ticket = make_ticket()
    mark = max(m.id for m in ticket.messages)
    event_mark = db_session.scalar(select(func.max(TicketEvent.id)))
    db_session.add(
        TicketPresence(
            ticket_id=ticket.id, user_id=colleague.id, seen_at=utcnow(), is_composing=True
        )
    )
    services.add_message(db_session, ctx, ticket, colleague, "Le code arrive sous 24 heures.")
    login_as(make_user("agent"))
    url = f"/tickets/{ticket.reference}/presence"
    response = client.post(url, data={"messages": mark, "evenements": event_mark})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Marc Collègue" in body and "écrit une réponse" in body
    assert "Le code arrive sous 24 heures." in body and "data-collision" in body
    state = body.split('id="presence-etat" value="')[1].split('"')[0]
    # Nothing new: no content, nothing re-announced.
    again = client.post(url, data={"messages": mark, "evenements": event_mark, "etat": state})
    assert again.status_code == 204


def test_presence_forgets_closed_pages_and_refuses_others(
    client, db_session, login_as, make_user, make_school, make_ticket
):
    colleague = make_user("agent", display_name="Marc Collègue")
    ticket = make_ticket()
    db_session.add(
        TicketPresence(
            ticket_id=ticket.id, user_id=colleague.id, seen_at=utcnow() - timedelta(minutes=5)
        )
    )
    db_session.flush()
    me = login_as(make_user("agent"))
    body = client.post(f"/tickets/{ticket.reference}/presence").get_data(as_text=True)
    assert "Marc Collègue" not in body
    mine = db_session.get(TicketPresence, (ticket.id, me.id))
    assert mine is not None
    login_as(make_user("directeur", schools=[make_school()]))
    assert client.post(f"/tickets/{ticket.reference}/presence").status_code == 404
    assert client.get(f"/tickets/{ticket.reference}/presence").status_code == 405


def test_reply_held_back_when_a_message_arrived(
    client, db_session, ctx, login_as, make_user, make_ticket
):
    colleague = make_user("agent", display_name="Marc Collègue")
    ticket = make_ticket()
    mark = max(m.id for m in ticket.messages)
    login_as(make_user("agent"))
    services.add_message(db_session, ctx, ticket, colleague, "Réponse de Marc.")
    data = {"reply-body": "Ma réponse.", "reply-seen": str(mark)}
    response = client.post(f"/tickets/{ticket.reference}/repondre", data=data)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Votre message n’est pas parti" in body and "Ma réponse." in body
    assert len(_events(db_session, ticket, "reply")) == 1
    # Sent again from the page that now shows Marc's message, it goes.
    newest = db_session.scalar(select(func.max(Message.id)))
    data["reply-seen"] = str(newest)
    response = client.post(f"/tickets/{ticket.reference}/repondre", data=data)
    assert response.status_code == 302
    assert len(_events(db_session, ticket, "reply")) == 2


def test_own_messages_do_not_hold_a_reply_back(
    client, db_session, ctx, login_as, make_user, make_ticket
):
    agent = login_as(make_user("agent"))
    ticket = make_ticket()
    mark = max(m.id for m in ticket.messages)
    services.add_message(db_session, ctx, ticket, agent, "Note à moi-même.", internal=True)
    response = client.post(
        f"/tickets/{ticket.reference}/repondre",
        data={"reply-body": "Réponse.", "reply-seen": str(mark)},
    )
    assert response.status_code == 302
