"""The tracking page of a resolved request: "réglé" or "pas réglé", then the rating."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.mail.models import MailSetting, OutboxMessage
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.tickets import services
from helpdesk.util.tracking import make_token


@pytest.fixture
def resolved(db_session, ctx, make_ticket, make_user):
    agent = make_user("agent")
    ticket = make_ticket()
    services.assign(db_session, ctx, ticket, agent, agent)
    services.add_message(db_session, ctx, ticket, agent, "C'est corrigé.", new_status="resolu")
    return ticket


def _token(ctx, ticket):
    return make_token(ctx.secret_key, ticket.id, ticket.reference)


def test_resolved_page_offers_solved_not_solved_and_the_rating(client, ctx, resolved):
    page = client.get(f"/suivi/{_token(ctx, resolved)}").get_data(as_text=True)
    assert "Votre problème est-il réglé ?" in page
    assert "Oui, c&#39;est réglé" in page and "Non, ce n&#39;est pas réglé" in page
    assert re.search(r'href="/suivi/[^"]+/avis"', page)


def test_solved_closes_and_leads_to_the_rating(client, db_session, ctx, resolved):
    token = _token(ctx, resolved)
    response = client.post(f"/suivi/{token}/regle")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/suivi/{token}/avis")
    db_session.refresh(resolved)
    assert resolved.status == "clos"
    rated = client.post(f"/suivi/{token}/avis", data={"rating": "5", "comment": "Rapide."})
    assert rated.status_code == 302
    assert db_session.get(SatisfactionRating, resolved.id).rating == 5


def test_solved_is_refused_on_a_request_still_open(client, db_session, ctx, make_ticket):
    ticket = make_ticket()
    response = client.post(f"/suivi/{_token(ctx, ticket)}/regle")
    assert response.status_code == 422
    assert "toujours en cours de traitement" in response.get_data(as_text=True)
    db_session.refresh(ticket)
    assert ticket.status == "nouveau"


def test_not_solved_reopens_and_tells_the_agent(client, db_session, ctx, resolved):
    token = _token(ctx, resolved)
    response = client.post(f"/suivi/{token}/pas-regle", data={"comment": "Toujours pas de SMS."})
    assert response.status_code == 302
    db_session.refresh(resolved)
    assert resolved.status == "en_cours"
    assert resolved.messages[-1].body == "Toujours pas de SMS."
    assert resolved.messages[-1].author_kind == "demandeur"
    told = db_session.scalars(
        select(OutboxMessage.kind).where(
            OutboxMessage.ticket_id == resolved.id,
            OutboxMessage.to_address == resolved.assignee.email,
        )
    ).all()
    assert "agent_new_message" in told


def test_not_solved_without_words_still_reopens(client, db_session, ctx, resolved):
    response = client.post(f"/suivi/{_token(ctx, resolved)}/pas-regle", data={"comment": ""})
    assert response.status_code == 302
    db_session.refresh(resolved)
    assert resolved.status == "en_cours"
    kinds = db_session.scalars(
        select(OutboxMessage.kind).where(OutboxMessage.ticket_id == resolved.id)
    ).all()
    assert "agent_reopened" in kinds


def test_not_solved_after_the_delay_is_refused_in_french(client, db_session, ctx, resolved):
    db_session.add(MailSetting(key="reopen_days", value="14"))
    resolved.resolved_at = resolved.resolved_at - timedelta(days=15)
    db_session.flush()
    token = _token(ctx, resolved)
    page = client.get(f"/suivi/{token}").get_data(as_text=True)
    assert "Non, ce n&#39;est pas réglé" not in page
    response = client.post(f"/suivi/{token}/pas-regle", data={"comment": "Encore"})
    assert response.status_code == 422
    assert "Le délai de réouverture (14 jours après la résolution) est dépassé" in (
        response.get_data(as_text=True)
    )
    db_session.refresh(resolved)
    assert resolved.status == "resolu"


def test_closed_request_is_reopened_within_the_delay_only(
    client, db_session, ctx, make_ticket, make_user
):
    ticket = make_ticket()
    services.change_status(db_session, ctx, ticket, make_user("agent"), "clos")
    token = _token(ctx, ticket)
    assert "Rouvrir ma demande" in client.get(f"/suivi/{token}").get_data(as_text=True)
    assert client.post(f"/suivi/{token}/pas-regle", data={"comment": ""}).status_code == 302
    db_session.refresh(ticket)
    assert ticket.status == "en_cours"


def test_not_solved_with_a_forged_link_or_too_long_text_changes_nothing(
    client, db_session, ctx, resolved
):
    forged = make_token("une-autre-clef", resolved.id, resolved.reference)
    assert client.post(f"/suivi/{forged}/pas-regle").status_code == 404
    other = make_token(ctx.secret_key, resolved.id, "2000-000001")
    assert client.post(f"/suivi/{other}/regle").status_code == 404
    long = client.post(f"/suivi/{_token(ctx, resolved)}/pas-regle", data={"comment": "x" * 20001})
    assert long.status_code == 422 and "Le message est trop long." in long.get_data(as_text=True)
    db_session.refresh(resolved)
    assert resolved.status == "resolu"
