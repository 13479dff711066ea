"""The tracking link reaches the requester's mailbox only, never the page of whoever submits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from helpdesk.core.extensions import limiter
from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets.models import Ticket

CONTACT = {
    "requester_kind": "parent",
    "last_name": "Garnier",
    "first_name": "Inès",
    "email": "ines.garnier@example.org",
    "subject": "Je ne reçois pas le code SMS",
    "message": "Bonjour, le code SMS n'arrive jamais quand je crée mon compte.",
}
SAME_ANSWER = "Si des demandes en cours ont été faites avec cette adresse"


def mails(db_session, kind: str, address: str) -> list[OutboxMessage]:
    return list(
        db_session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind, OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )


def links_in(text: str) -> list[str]:
    return re.findall(r"http://helpdesk\.test(/suivi/\S+)", text)


def test_confirmation_page_shows_the_reference_but_no_link(client, db_session):
    assert client.post("/contact", data=CONTACT).status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    page = client.get("/contact/envoye").get_data(as_text=True)
    assert ticket.reference in page
    assert "/suivi/" not in page
    assert "/lien-de-suivi" in page
    # The link went to the address typed, and works from there.
    [received] = mails(db_session, "request_received", "ines.garnier@example.org")
    [link] = links_in(received.body_text)
    assert client.get(link).status_code == 200


def test_asking_again_mails_the_open_requests_links_to_that_address_only(
    client, db_session, make_ticket
):
    mine = make_ticket(requester_email="ines.garnier@example.org", subject="Code SMS")
    other = make_ticket(requester_email="ines.garnier@example.org", subject="Mot de passe")
    closed = make_ticket(requester_email="ines.garnier@example.org", subject="Ancienne")
    closed.status = "clos"
    someone_else = make_ticket(requester_email="paul.roux@example.org", subject="Autre")
    db_session.flush()

    response = client.post("/lien-de-suivi", data={"email": "Ines.Garnier@example.org "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SAME_ANSWER in page
    assert "/suivi/" not in page
    [sent] = mails(db_session, "tracking_links", "ines.garnier@example.org")
    assert mine.reference in sent.body_text and other.reference in sent.body_text
    assert closed.reference not in sent.body_text
    assert someone_else.reference not in sent.body_text
    assert len(links_in(sent.body_text)) == 2
    for link in links_in(sent.body_text):
        assert client.get(link).status_code == 200
    assert mails(db_session, "tracking_links", "paul.roux@example.org") == []


def test_unknown_address_gets_the_same_answer_and_no_mail(client, db_session, make_ticket):
    make_ticket(requester_email="ines.garnier@example.org")
    known = client.post("/lien-de-suivi", data={"email": "ines.garnier@example.org"})
    unknown = client.post("/lien-de-suivi", data={"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 200

    def answer(response) -> str:
        return re.search(r"<main.*</main>", response.get_data(as_text=True), re.S).group(0)

    assert answer(known) == answer(unknown)
    assert mails(db_session, "tracking_links", "personne@example.org") == []


def test_asking_again_and_again_sends_one_mail(client, db_session, make_ticket):
    make_ticket(requester_email="ines.garnier@example.org")
    for _ in range(3):
        response = client.post("/lien-de-suivi", data={"email": "ines.garnier@example.org"})
        assert SAME_ANSWER in response.get_data(as_text=True)
    assert len(mails(db_session, "tracking_links", "ines.garnier@example.org")) == 1


def test_invalid_address_is_explained(client, db_session):
    response = client.post("/lien-de-suivi", data={"email": "ines.garnier@"})
    assert response.status_code == 422
    assert "Cette adresse électronique n&#39;est pas valide" in response.get_data(as_text=True)
    assert client.get("/lien-de-suivi").status_code == 200


@pytest.fixture
def limited_app(app, tmp_path, database_url):
    from helpdesk import create_app

    application = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "k",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_TRACKING_LINKS": "2 per hour",
            "RATELIMIT_STORAGE_URI": "memory://",
            "CLASSIFY_ENABLED": False,
        }
    )
    yield application
    application.extensions["helpdesk_db"].engine.dispose()
    # The limiter is one object for every app of the process: leave it as the suite's app wants.
    limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def test_form_is_rate_limited(limited_app):
    client = limited_app.test_client()
    codes = [client.post("/lien-de-suivi", data={"email": f"x{n}@"}).status_code for n in range(3)]
    assert codes == [422, 422, 429]
