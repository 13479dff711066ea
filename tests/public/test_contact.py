import re

import pytest
from sqlalchemy import func, select

from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets.models import Ticket

VALID = {
    "requester_kind": "parent",
    "last_name": "Durand",
    "first_name": "Élodie",
    "email": "elodie.durand@example.org",
    "phone": "06 12 34 56 78",
    "child_first_name": "Léa",
    "subject": "Je ne reçois pas le code SMS",
    "message": "Bonjour, le code SMS n'arrive jamais quand je crée mon compte.",
}


def ticket_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Ticket))


def test_contact_form_opens_a_ticket_and_mails_the_tracking_link(client, db_session, make_school):
    school = make_school(name="École des Tilleuls", commune="Beaune")
    response = client.post("/contact", data={**VALID, "school_query": "tilleuls beaune"})
    assert response.status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    assert ticket.school_id == school.id
    assert ticket.channel == "formulaire_contact"
    assert ticket.requester_name == "Élodie Durand"
    assert ticket.child_name == "Léa"
    page = client.get("/contact/envoye").get_data(as_text=True)
    assert ticket.reference in page
    assert "/suivi/" not in page
    mail = db_session.scalar(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
    assert mail.to_address == "elodie.durand@example.org"
    link = re.search(r"http://helpdesk.test(/suivi/\S+)", mail.body_text).group(1)
    assert client.get(link).status_code == 200


def test_invalid_input_keeps_what_was_typed(client, db_session):
    before = ticket_count(db_session)
    data = {**VALID, "email": "elodie.durand@", "phone": "12", "message": "court"}
    response = client.post("/contact", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Cette adresse électronique n&#39;est pas valide" in page
    assert "Ce numéro de téléphone n&#39;est pas valide" in page
    assert "Entre 10 et 10 000 caractères" in page
    assert 'value="Durand"' in page and 'value="elodie.durand@"' in page
    assert "Je ne reçois pas le code SMS" in page
    assert ticket_count(db_session) == before


def test_missing_fields_are_named_in_french(client):
    page = client.post("/contact", data={"requester_kind": "parent"}).get_data(as_text=True)
    for message in ("Indiquez votre nom.", "Indiquez votre prénom.", "Décrivez votre demande."):
        assert message in page


def test_honeypot_pretends_success_but_creates_nothing(client, db_session):
    before = ticket_count(db_session)
    response = client.post("/contact", data={**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert ticket_count(db_session) == before


def test_ambiguous_school_asks_to_choose(client, db_session, make_school):
    make_school(name="École Victor Hugo", commune="Dijon")
    make_school(name="École Victor Hugo", commune="Auxonne")
    before = ticket_count(db_session)
    response = client.post("/contact", data={**VALID, "school_query": "victor hugo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Plusieurs écoles correspondent" in page
    assert "Auxonne" in page and "Dijon" in page
    assert ticket_count(db_session) == before


def test_school_suggestions_fragment(client, make_school):
    make_school(name="École maternelle Les Coquelicots", commune="Nuits-Saint-Georges")
    page = client.get("/contact/ecoles?school_query=coquelicot").get_data(as_text=True)
    assert "Les Coquelicots" in page and "<html" not in page


@pytest.fixture
def limited_app(app, database_url, tmp_path):
    from helpdesk import create_app
    from helpdesk.core.extensions import limiter

    application = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "k",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_CONTACT": "2 per hour",
            "CLASSIFY_ENABLED": False,
        }
    )
    yield application
    application.extensions["helpdesk_db"].engine.dispose()
    # The limiter is one object for every app of the process: leave it as the suite's app wants.
    limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def test_contact_form_is_rate_limited(limited_app, engine):
    client = limited_app.test_client()
    # Invalid submissions count too: a robot is slowed down whatever it sends.
    codes = [client.post("/contact", data={"email": "x@example.org"}).status_code for _ in range(3)]
    assert codes[:2] == [422, 422]
    assert codes[2] == 429
    assert "Trop de" in client.post("/contact", data={}).get_data(as_text=True)


def test_school_picked_in_the_list_wins(client, db_session, make_school):
    make_school(name="École Victor Hugo", commune="Dijon")
    auxonne = make_school(name="École Victor Hugo", commune="Auxonne")
    response = client.post(
        "/contact",
        data={
            **VALID,
            "school_query": "victor hugo",
            "school_id": "",
            "school_choice": str(auxonne.id),
        },
    )
    assert response.status_code == 302
    assert db_session.scalar(select(Ticket).order_by(Ticket.id.desc())).school_id == auxonne.id
