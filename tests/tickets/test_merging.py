"""Merging tickets never shows one requester's messages to another, and can be undone."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from helpdesk.tickets import merging, services
from helpdesk.tickets.attachments import Upload
from helpdesk.tickets.models import Message, TicketMerge
from helpdesk.util.tracking import make_token

X_BODY = "Bonjour, je suis Xavier et mon code SMS n'arrive pas."
Y_BODY = "Bonjour, je suis Yasmine et je n'ai pas reçu le code SMS."


@pytest.fixture
def agent(login_as, make_user):
    return login_as(make_user("agent", display_name="Agent Morel"))


@pytest.fixture
def pair(make_ticket, make_school):
    school = make_school()
    x = make_ticket(
        subject="Code SMS",
        body=X_BODY,
        requester_name="Xavier Petit",
        requester_email="xavier.petit@example.org",
        school_id=school.id,
        uploads=[Upload("releve-xavier.pdf", "application/pdf", b"%PDF-1.4 xavier")],
    )
    y = make_ticket(
        subject="Code SMS absent",
        body=Y_BODY,
        requester_name="Yasmine Roux",
        requester_email="yasmine.roux@example.org",
        school_id=school.id,
    )
    return x, y


def link(ctx, ticket) -> str:
    return f"/suivi/{make_token(ctx.secret_key, ticket.id, ticket.reference)}"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def fetch(client, url: str) -> int:
    response = client.get(url)
    response.close()
    return response.status_code


def merge_confirmed(client, source, target):
    return client.post(
        f"/tickets/{source.reference}/fusionner",
        data={"merge-target": target.reference, "merge-confirm": "1"},
    )


def test_merging_another_requesters_ticket_asks_first_with_both_side_by_side(
    client, agent, pair, db_session
):
    x, y = pair
    response = client.post(f"/tickets/{x.reference}/fusionner", data={"merge-target": y.reference})
    page = text(response)
    assert response.status_code == 200
    assert "Confirmer la fusion" in page
    assert "Xavier Petit (xavier.petit@example.org)" in page
    assert "Yasmine Roux (yasmine.roux@example.org)" in page
    assert X_BODY in page and Y_BODY in page
    assert "comme notes internes" in page
    db_session.refresh(x)
    assert x.merged_into_id is None and x.status == "nouveau"
    assert db_session.scalars(select(TicketMerge)).all() == []

    assert merge_confirmed(client, x, y).status_code == 302
    db_session.refresh(x)
    assert x.merged_into_id == y.id and x.status == "clos"


def test_same_requester_merges_at_once_and_the_link_follows(
    client, agent, make_ticket, db_session, ctx
):
    first = make_ticket(body="Premier message de Claire.")
    second = make_ticket(body="Claire relance sa demande.")
    response = client.post(
        f"/tickets/{second.reference}/fusionner", data={"merge-target": first.reference}
    )
    assert response.status_code == 302
    db_session.refresh(second)
    assert second.merged_into_id == first.id
    followed = client.get(link(ctx, second))
    assert followed.status_code == 302
    assert followed.headers["Location"].endswith(link(ctx, first))
    assert "Claire relance sa demande." in text(client.get(link(ctx, first)))


def test_same_requester_in_another_school_still_asks(
    client, agent, make_ticket, make_school, db_session
):
    first = make_ticket(school_id=make_school().id)
    second = make_ticket(school_id=make_school().id)
    response = client.post(
        f"/tickets/{second.reference}/fusionner", data={"merge-target": first.reference}
    )
    assert response.status_code == 200
    assert "Les écoles diffèrent" in text(response)
    db_session.refresh(second)
    assert second.merged_into_id is None


def test_each_tracking_link_shows_only_its_own_requesters_messages(
    client, agent, pair, db_session, ctx
):
    x, y = pair
    attachment = x.messages[0].attachments[0]
    services.add_message(db_session, ctx, x, agent, "Réponse de l'agent à Xavier.")
    assert merge_confirmed(client, x, y).status_code == 302

    # The agent reads Xavier's messages on the kept ticket, as internal notes.
    agent_page = text(client.get(f"/tickets/{y.reference}"))
    assert X_BODY in agent_page and "Note interne" in agent_page
    client.post("/logout")

    y_page = text(client.get(link(ctx, y)))
    assert Y_BODY in y_page
    assert X_BODY not in y_page and "Réponse de l'agent à Xavier." not in y_page
    assert "releve-xavier.pdf" not in y_page
    assert fetch(client, f"{link(ctx, y)}/pieces-jointes/{attachment.id}") == 404

    x_response = client.get(link(ctx, x))
    assert x_response.status_code == 200  # no redirect to Yasmine's ticket
    x_page = text(x_response)
    assert X_BODY in x_page and "Réponse de l'agent à Xavier." in x_page
    assert Y_BODY not in x_page
    assert "traite désormais votre demande avec une autre demande" in x_page
    assert fetch(client, f"{link(ctx, x)}/pieces-jointes/{attachment.id}") == 200


def test_a_merge_can_be_undone(client, agent, pair, db_session, ctx):
    x, y = pair
    services.add_message(db_session, ctx, x, agent, "Note sur Xavier.", internal=True)
    before = {
        m.id: m.is_internal
        for m in db_session.scalars(select(Message).where(Message.ticket_id == x.id))
    }
    merge_confirmed(client, x, y)
    [record] = db_session.scalars(select(TicketMerge).where(TicketMerge.source_id == x.id))
    page = text(client.get(f"/tickets/{y.reference}"))
    assert f'A reçu <a href="/tickets/{x.reference}">{x.reference}</a>' in page
    assert "Annuler cette fusion" in page

    response = client.post(f"/tickets/{y.reference}/fusions/{record.id}/annuler")
    assert response.status_code == 302
    db_session.expire_all()
    after = {
        m.id: m.is_internal
        for m in db_session.scalars(select(Message).where(Message.ticket_id == x.id))
    }
    assert after == before
    assert x.merged_into_id is None and x.status == "nouveau"
    assert record.undone_at is not None
    assert X_BODY not in text(client.get(f"/tickets/{y.reference}"))
    history = text(client.get(f"/tickets/{x.reference}"))
    assert f"a annulé la fusion avec la demande {y.reference}" in history
    client.post("/logout")
    assert X_BODY in text(client.get(link(ctx, x)))
    assert "traite désormais" not in text(client.get(link(ctx, x)))


def test_undo_is_refused_twice_and_after_a_later_merge(
    client, agent, pair, make_ticket, db_session, ctx
):
    x, y = pair
    merge_confirmed(client, x, y)
    [record] = db_session.scalars(select(TicketMerge))
    later = make_ticket(
        requester_name="Yasmine Roux",
        requester_email="yasmine.roux@example.org",
        school_id=y.school_id,
    )
    assert merge_confirmed(client, y, later).status_code == 302
    refused = client.post(
        f"/tickets/{x.reference}/fusions/{record.id}/annuler", follow_redirects=True
    )
    assert "a depuis été fusionnée à son tour" in text(refused)
    db_session.refresh(x)
    assert x.merged_into_id == y.id

    [second] = db_session.scalars(select(TicketMerge).where(TicketMerge.source_id == y.id))
    client.post(f"/tickets/{y.reference}/fusions/{second.id}/annuler")
    client.post(f"/tickets/{x.reference}/fusions/{record.id}/annuler")
    again = client.post(
        f"/tickets/{x.reference}/fusions/{record.id}/annuler", follow_redirects=True
    )
    assert "Fusion introuvable." in text(again) or "déjà été annulée" in text(again)
    db_session.refresh(x)
    assert x.merged_into_id is None


def test_directors_cannot_merge(client, login_as, make_user, pair, db_session):
    x, y = pair
    login_as(make_user("directeur", schools=[x.school]))
    response = merge_confirmed(client, x, y)
    assert response.status_code == 404
    db_session.refresh(x)
    assert x.merged_into_id is None


def test_service_refuses_an_unconfirmed_cross_requester_merge(db_session, pair, make_user, ctx):
    x, y = pair
    with pytest.raises(merging.MergeNeedsConfirmation) as caught:
        merging.merge(db_session, ctx, x, y, make_user("agent"))
    assert caught.value.preview.different_requester
    assert not caught.value.preview.different_school
    assert x.merged_into_id is None
