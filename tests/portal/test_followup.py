"""Directors: closing a parent's request with a reason, reopening their own, their lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.mail.models import MailSetting, OutboxMessage
from helpdesk.tickets import services
from helpdesk.tickets.models import Message, TicketEvent
from helpdesk.util.tracking import make_token
from tests.plugins.mail import settings_form


@pytest.fixture
def school(make_school):
    return make_school()


@pytest.fixture
def director(make_user, school, login_as):
    return login_as(make_user("directeur", schools=[school]))


def _mails(db_session, ticket, kind):
    return db_session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.ticket_id == ticket.id, OutboxMessage.kind == kind
        )
    ).all()


def _resolve(db_session, ctx, ticket, make_user, days_ago=0):
    services.change_status(db_session, ctx, ticket, make_user("agent"), "resolu")
    ticket.resolved_at = ticket.resolved_at - timedelta(days=days_ago)
    db_session.flush()


# ---- Closing a parent's request --------------------------------------------------------


def test_closing_a_parents_request_needs_a_reason_told_to_the_parent(
    client, db_session, director, school, make_ticket, ctx
):
    ticket = make_ticket(school_id=school.id, requester_name="Claire Martin")
    refused = client.post(f"/demandes/{ticket.reference}/clore", data={"reason": "  "})
    assert refused.status_code == 422
    assert "Indiquez la raison de la clôture" in refused.get_data(as_text=True)
    db_session.refresh(ticket)
    assert ticket.status == "nouveau" and _mails(db_session, ticket, "closed_with_reason") == []

    reason = "Le compte a été recréé par l'école ce matin : essayez de nouveau demain."
    response = client.post(f"/demandes/{ticket.reference}/clore", data={"reason": reason})
    assert response.status_code == 302
    db_session.refresh(ticket)
    assert ticket.status == "clos"
    [mail] = _mails(db_session, ticket, "closed_with_reason")
    assert mail.to_address == "claire.martin@example.org"
    assert reason in mail.body_text and "/suivi/" in mail.body_text
    # The parent reads the reason on their tracking page.
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    page = client.get(f"/suivi/{token}").get_data(as_text=True)
    assert "Le compte a été recréé par l&#39;école ce matin" in page
    assert "close" in page


def test_closing_refuses_a_reason_too_long_and_another_schools_request(
    client, db_session, director, make_school, school, make_ticket
):
    ticket = make_ticket(school_id=school.id)
    response = client.post(f"/demandes/{ticket.reference}/clore", data={"reason": "x" * 2001})
    assert response.status_code == 422
    assert "2 000 caractères au plus" in response.get_data(as_text=True)
    foreign = make_ticket(school_id=make_school().id)
    assert (
        client.post(f"/demandes/{foreign.reference}/clore", data={"reason": "Raison"}).status_code
        == 404
    )
    db_session.refresh(foreign)
    assert foreign.status == "nouveau"


def test_director_closes_their_own_request_without_a_reason(
    client, db_session, director, school, make_ticket
):
    ticket = make_ticket(
        actor=director,
        school_id=school.id,
        channel="portail_directeur",
        requester_kind="directeur",
        requester_email=director.email,
    )
    response = client.post(f"/demandes/{ticket.reference}/clore", data={"reason": ""})
    assert response.status_code == 302
    db_session.refresh(ticket)
    assert ticket.status == "clos"
    assert _mails(db_session, ticket, "closed_with_reason") == []


# ---- Reopening -------------------------------------------------------------------------


@pytest.fixture
def own_request(director, school, make_ticket):
    return make_ticket(
        actor=director,
        school_id=school.id,
        channel="portail_directeur",
        requester_kind="directeur",
        requester_email=director.email,
        subject="Notifications bloquées pour la classe de CM2",
    )


def test_director_reopens_their_resolved_request_within_the_delay(
    client, db_session, director, own_request, make_user, ctx
):
    _resolve(db_session, ctx, own_request, make_user, days_ago=3)
    page = client.get(f"/demandes/{own_request.reference}").get_data(as_text=True)
    assert "Rouvrir la demande" in page
    response = client.post(
        f"/demandes/{own_request.reference}/rouvrir",
        data={"comment": "Toujours bloqué pour deux familles."},
    )
    assert response.status_code == 302
    db_session.refresh(own_request)
    assert own_request.status == "en_cours" and own_request.resolved_at is None
    assert own_request.messages[-1].body == "Toujours bloqué pour deux familles."
    kinds = db_session.scalars(
        select(TicketEvent.kind).where(TicketEvent.ticket_id == own_request.id)
    ).all()
    assert "reopened" in kinds


def test_reopening_is_refused_after_the_delay_with_a_french_message(
    client, db_session, director, own_request, make_user, ctx
):
    db_session.add(MailSetting(key="reopen_days", value="5"))
    _resolve(db_session, ctx, own_request, make_user, days_ago=6)
    page = client.get(f"/demandes/{own_request.reference}").get_data(as_text=True)
    assert "Rouvrir la demande" not in page and "délai de réouverture" in page
    response = client.post(f"/demandes/{own_request.reference}/rouvrir", data={"comment": ""})
    assert response.status_code == 422
    assert "Le délai de réouverture (5 jours après la résolution) est dépassé" in (
        response.get_data(as_text=True)
    )
    db_session.refresh(own_request)
    assert own_request.status == "resolu"


def test_reopening_is_refused_to_a_director_who_did_not_file_it(
    client, db_session, director, school, make_ticket, make_user, ctx
):
    parents = make_ticket(school_id=school.id)
    _resolve(db_session, ctx, parents, make_user)
    assert client.post(f"/demandes/{parents.reference}/rouvrir").status_code == 403
    db_session.refresh(parents)
    assert parents.status == "resolu"


def test_reopening_an_open_request_or_another_schools_is_refused(
    client, db_session, director, own_request, make_school, make_ticket, make_user, ctx
):
    response = client.post(f"/demandes/{own_request.reference}/rouvrir")
    assert response.status_code == 422
    assert "toujours en cours" in response.get_data(as_text=True)
    foreign = make_ticket(school_id=make_school().id)
    _resolve(db_session, ctx, foreign, make_user)
    assert client.post(f"/demandes/{foreign.reference}/rouvrir").status_code == 404


def test_reopen_delay_is_an_admin_setting(client, db_session, make_user, login_as):
    login_as(make_user("admin"))
    page = client.get("/admin/courriels").get_data(as_text=True)
    assert "Réouverture par le demandeur possible pendant (jours)" in page
    saved = client.post("/admin/courriels/envoi", data=settings_form(reopen_days="21"))
    assert saved.status_code == 302
    assert db_session.get(MailSetting, "reopen_days").value == "21"
    bad = client.post("/admin/courriels/envoi", data=settings_form(reopen_days="-1"))
    assert bad.status_code == 422 and "Entre 0 et 365 jours." in bad.get_data(as_text=True)
    assert db_session.get(MailSetting, "reopen_days").value == "21"


# ---- Lists -------------------------------------------------------------------------------


def test_awaiting_filter_requester_column_and_search_are_scoped(
    client, db_session, director, own_request, school, make_school, make_ticket, make_user, ctx
):
    agent = make_user("agent")
    services.add_message(db_session, ctx, own_request, agent, "Pouvez-vous préciser la classe ?")
    assert own_request.status == "en_attente_demandeur"
    parents = make_ticket(school_id=school.id, requester_name="Inès Parent", subject="Code SMS")
    services.add_message(db_session, ctx, parents, agent, "Quel numéro ?")
    foreign = make_ticket(school_id=make_school().id, subject="Notifications bloquées ailleurs")
    services.add_message(
        db_session, ctx, parents, agent, "Notifications : note interne", internal=True
    )

    listing = client.get("/demandes").get_data(as_text=True)
    assert "1 de vos demandes attend votre réponse" in listing
    assert ">Demandeur<" in listing and "Inès Parent" in listing

    awaiting = client.get("/demandes?etat=attente").get_data(as_text=True)
    assert own_request.reference in awaiting and parents.reference not in awaiting

    mine = client.get("/demandes?etat=miennes").get_data(as_text=True)
    assert own_request.reference in mine and parents.reference not in mine

    found = client.get("/demandes?etat=toutes&q=notifications").get_data(as_text=True)
    assert own_request.reference in found
    # Another school's request and the agents' internal notes never match.
    assert foreign.reference not in found and parents.reference not in found
    by_name = client.get("/demandes?etat=toutes&q=inès").get_data(as_text=True)
    assert parents.reference in by_name and own_request.reference not in by_name
    odd = client.get("/demandes?etat=inconnu&q=%25_%00" + "x" * 300)
    assert odd.status_code in (200, 400)
    assert db_session.scalar(select(Message.id).limit(1)) is not None
