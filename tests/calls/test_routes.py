"""Tickets for calls and visits: the person looked up first, then the ticket opened."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import func, select

from helpdesk.audit.models import AuditEntry
from helpdesk.tickets.intake import TicketIntake
from helpdesk.tickets.models import Ticket
from tests.calls.conftest import BASE_PHONE

CALLER = {
    "canal": "telephone",
    "role": "parent",
    "nom": "Dupont",
    "prenom": "Céline",
    "telephone": "0612345678",
    "enfant_prenom": "Léa",
}
REQUEST = {
    "motif": "activation_sms",
    "priorite": "normale",
    "objet": "Code SMS jamais reçu",
    "message": "La maman appelle : le code SMS d'activation n'arrive pas.",
}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def person_entries(db_session) -> list[AuditEntry]:
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.subject == "personne")))


def ticket_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Ticket))


@pytest.fixture
def agent(login_as, make_user):
    return login_as(make_user("agent", display_name="Sophie Agent"))


def test_agent_gets_the_form(client, agent):
    response = client.get("/tickets/appel")
    assert response.status_code == 200
    page = text_of(response)
    assert "1. Qui est la personne ?" in page
    assert "Appel téléphonique" in page and "Visite à l'accueil" in page
    assert "2. Sa demande" not in page  # the person is looked up first


@pytest.mark.parametrize(("role", "status"), [("directeur", 404)])
def test_others_are_refused(client, login_as, make_user, make_school, db_session, role, status):
    assert client.get("/tickets/appel").status_code == 302  # signed out: to sign in
    login_as(make_user(role, schools=[make_school()]))
    assert client.get("/tickets/appel").status_code == status
    response = client.post("/tickets/appel", data={**CALLER, **REQUEST, "action": "creer"})
    assert response.status_code == status
    assert client.post("/tickets/appel", data=CALLER).status_code == status
    assert ticket_count(db_session) == 0
    assert person_entries(db_session) == []


def test_look_up_shows_the_person_masked_and_is_journaled(client, agent, family, db_session):
    _, parent, *_ = family
    response = client.post("/tickets/appel", data={**CALLER, "action": "chercher"})
    assert response.status_code == 200
    page = text_of(response)
    assert f'data-responsable="{parent.responsable_id}"' in page
    assert "C. D." in page and BASE_PHONE not in page and "celine.dupont@example.fr" not in page
    assert "2. Sa demande" in page and 'name="verifie" value="1"' in page
    entries = person_entries(db_session)
    assert len(entries) == 1 and entries[0].user_id == agent.id
    assert parent.responsable_id in entries[0].detail


def test_namesakes_are_never_attached_the_question_is_shown(
    client, agent, family, namesake, db_session
):
    _, parent, *_ = family
    other, *_ = namesake
    caller = {**CALLER, "telephone": "", "email": "celine.d@example.com"}
    page = text_of(client.post("/tickets/appel", data=caller))
    assert "Plusieurs personnes correspondent : aucune n’est retenue" in page
    assert "Question à poser" in page and "la date de naissance de votre enfant" in page
    assert parent.responsable_id in page and other.responsable_id in page
    assert 'data-responsable="' not in page
    assert "07 55 44 33 22" not in page and BASE_PHONE not in page
    # The telling detail decides.
    page = text_of(client.post("/tickets/appel", data={**caller, "enfant_naissance": "08/09/2017"}))
    assert f'data-responsable="{other.responsable_id}"' in page
    assert f'data-responsable="{parent.responsable_id}"' not in page


def test_look_up_without_account_base_says_so(client, agent, db_session):
    page = text_of(client.post("/tickets/appel", data=CALLER))
    assert "La base des comptes n’a pas encore été importée" in page
    assert person_entries(db_session) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nom": "", "prenom": "", "telephone": "", "enfant_prenom": ""}, "Indiquez au moins"),
        ({"telephone": "12"}, "Ce numéro de téléphone n'est pas valide."),
        ({"enfant_naissance": "hier"}, "Date illisible"),
        ({"uai": "123"}, "Un UAI compte sept chiffres"),
        ({"canal": "pigeon"}, "Canal"),
    ],
)
def test_bad_caller_details_get_a_french_message(client, agent, db_session, changes, message):
    response = client.post("/tickets/appel", data={**CALLER, **changes})
    assert response.status_code == 422
    assert message in text_of(response)
    assert person_entries(db_session) == []


def test_the_ticket_is_opened_for_the_call_and_diagnosed(client, agent, family, db_session):
    school, parent, *_ = family
    data = {
        **CALLER,
        **REQUEST,
        "uai": school.uai.lower(),
        "enfant_nom": "Dupont",
        "enfant_naissance": "02/03/2015",
        "identifiant": "c.dupont7",
        "action": "creer",
        "verifie": "1",
    }
    response = client.post("/tickets/appel", data=data)
    assert response.status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    assert response.headers["Location"].endswith(f"/tickets/{ticket.reference}")
    assert (ticket.channel, ticket.requester_kind, ticket.motif, ticket.nature) == (
        "telephone",
        "parent",
        "activation_sms",
        "EDUCONNECT",
    )
    assert ticket.requester_name == "Céline Dupont"
    assert ticket.requester_phone == "0612345678"
    assert ticket.school_id == school.id
    assert ticket.assignee_id == agent.id and ticket.status == "en_cours"
    intake = db_session.get(TicketIntake, ticket.id)
    assert intake.child_birth_date == date(2015, 3, 2) and intake.login == "c.dupont7"
    assert ticket.diagnosis_summary  # diagnosed as any other request
    page = text_of(client.get(f"/tickets/{ticket.reference}"))
    assert f"Demande {ticket.reference} ouverte pour cet appel" in page
    assert "a créé la demande (Téléphone)" in page


def test_a_visit_is_a_ticket_of_its_own_channel(client, agent, family, db_session):
    data = {**CALLER, **REQUEST, "canal": "guichet", "action": "creer", "verifie": "1"}
    assert client.post("/tickets/appel", data=data).status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    assert ticket.channel == "guichet"
    assert "Accueil (visite)" in text_of(client.get(f"/tickets/{ticket.reference}"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"verifie": ""}, "Recherchez d'abord la personne"),
        ({"motif": ""}, "Choisissez le motif de la demande."),
        ({"motif": "inconnu"}, "Motif"),
        ({"objet": ""}, "Indiquez l'objet de la demande."),
        ({"message": "  "}, "Notez ce que la personne demande."),
        ({"uai": "0219999Z"}, "Aucune école connue ne porte cet UAI."),
        ({"priorite": "extreme"}, "Priorité"),
    ],
)
def test_bad_request_details_open_nothing(client, agent, family, db_session, changes, message):
    data = {**CALLER, **REQUEST, "action": "creer", "verifie": "1", **changes}
    response = client.post("/tickets/appel", data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert ticket_count(db_session) == 0
