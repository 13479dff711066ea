"""What the contact form and the directors' form ask about the account concerned."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import func, select

from helpdesk.diagnostics.tickets import request_from_ticket
from helpdesk.tickets.intake import TicketIntake, intake_of
from helpdesk.tickets.models import Ticket

CONTACT = {
    "requester_kind": "parent",
    "last_name": "Masse",
    "first_name": "Marguerite",
    "email": "marguerite.masse@example.org",
    "child_first_name": "Léon",
    "subject": "Je ne reçois pas le code SMS",
    "message": "Bonjour, le code SMS n'arrive jamais quand je crée mon compte.",
}
_NUMBERS = itertools.count(1)


def contact(**values) -> dict:
    """The contact form's fields, with an address of its own: the form is rate-limited per
    address, and another test may have turned the limiter on for this worker."""
    return {**CONTACT, "email": f"marguerite.masse{next(_NUMBERS)}@example.org", **values}


INTAKE = {
    "child_last_name": "Masse-Rivière",
    "child_birth_date": "14/03/2016",
    "login": "m.masse12",
    "path_tried": "sms",
    "message_shown": "Le numéro de téléphone saisi ne correspond pas",
}


def last_ticket(db_session) -> Ticket:
    return db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))


def ticket_count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Ticket))


def test_contact_form_keeps_the_intake_answers(client, db_session):
    response = client.post("/contact", data=contact(**INTAKE))
    assert response.status_code == 302
    ticket = last_ticket(db_session)
    intake = intake_of(db_session, ticket.id)
    assert intake.child_last_name == "Masse-Rivière"
    assert intake.child_birth_date == date(2016, 3, 14)
    assert intake.login == "m.masse12"
    assert intake.path_tried == "sms"
    assert intake.message_shown == "Le numéro de téléphone saisi ne correspond pas"


def test_date_picker_value_is_accepted(client, db_session):
    response = client.post("/contact", data=contact(child_birth_date="2016-03-14"))
    assert response.status_code == 302
    assert intake_of(db_session, last_ticket(db_session).id).child_birth_date == date(2016, 3, 14)


def test_without_intake_answers_nothing_is_stored(client, db_session):
    assert client.post("/contact", data=contact()).status_code == 302
    assert intake_of(db_session, last_ticket(db_session).id) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("child_birth_date", "31/02/2016", "Cette date n&#39;est pas valide"),
        ("child_birth_date", "quatorze mars", "Cette date n&#39;est pas valide"),
        ("child_birth_date", "14/03/2099", "Cette date de naissance n&#39;est pas possible"),
        ("path_tried", "pigeon", "Choisissez l&#39;une des façons de se connecter"),
        ("login", "x" * 101, "100 caractères au plus."),
        ("message_shown", "x" * 2001, "2 000 caractères au plus."),
    ],
)
def test_bad_intake_answer_is_refused_in_french_and_input_kept(
    client, db_session, field, value, message
):
    before = ticket_count(db_session)
    response = client.post("/contact", data=contact(**{**INTAKE, field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Masse-Rivière"' in page
    assert "Le numéro de téléphone saisi ne correspond pas" in page
    assert ticket_count(db_session) == before


def test_contact_form_words_its_questions_for_a_parent_or_a_pupil(client):
    parent = client.get("/contact").get_data(as_text=True)
    assert "Date de naissance de l&#39;enfant (facultatif)" in parent
    assert "Votre identifiant EduConnect" in parent
    pupil = client.get("/contact?vous=eleve").get_data(as_text=True)
    assert "Votre date de naissance (facultatif)" in pupil
    assert "Ton identifiant EduConnect" in pupil
    assert "Votre scolarité" in pupil
    assert 'value="eleve" checked' in pupil or 'checked id="requester_kind-1"' in pupil
    # A pupil's refused request keeps the pupil's wording.
    page = client.post("/contact", data=contact(requester_kind="eleve", message="court")).get_data(
        as_text=True
    )
    assert "Votre date de naissance (facultatif)" in page


def test_unknown_requester_kind_in_the_address_keeps_the_parent_wording(client):
    page = client.get("/contact?vous=robot").get_data(as_text=True)
    assert "Date de naissance de l&#39;enfant (facultatif)" in page


def test_agent_sees_the_intake_answers_on_the_ticket(client, db_session, login_as, make_user):
    assert client.post("/contact", data=contact(**INTAKE)).status_code == 302
    ticket = last_ticket(db_session)
    login_as(make_user("agent"))
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "Masse-Rivière" in page
    assert "14/03/2016" in page
    assert "m.masse12" in page
    assert "Création du compte par SMS" in page
    assert "« Le numéro de téléphone saisi ne correspond pas »" in page


def test_diagnosis_request_uses_the_child_details(client, db_session):
    assert client.post("/contact", data=contact(**INTAKE)).status_code == 302
    ticket = last_ticket(db_session)
    request = request_from_ticket(ticket, "", intake_of(db_session, ticket.id))
    [child] = request.enfants
    assert (child.nom, child.prenom, child.date_naissance) == (
        "Masse-Rivière",
        "Léon",
        "2016-03-14",
    )
    assert request_from_ticket(ticket, "").enfants[0].date_naissance is None


def test_pupil_request_describes_the_pupil(client, db_session):
    data = contact(**INTAKE, requester_kind="eleve", first_name="Léon")
    assert client.post("/contact", data=data).status_code == 302
    ticket = last_ticket(db_session)
    assert ticket.child_name is None
    request = request_from_ticket(ticket, "", intake_of(db_session, ticket.id))
    assert request.role == "eleve"
    assert request.enfants[0].date_naissance == "2016-03-14"


@pytest.fixture
def director(make_user, make_school, login_as):
    school = make_school()
    return login_as(make_user("directeur", schools=[school])), school


def director_request(school, **extra):
    return {
        "type_demande": "demande_logicielle",
        "nature": "EDUCONNECT",
        "school": str(school.id),
        "subject": "Un parent voit un seul enfant sur son compte",
        "description": "Le parent a deux comptes, un par enfant.",
        "concerned": "Mme Masse Marguerite",
        **extra,
    }


def test_directors_form_keeps_both_logins_of_a_duplicate(client, db_session, director):
    _user, school = director
    data = director_request(school, login="m.masse12", second_login="m.masse7")
    response = client.post("/demandes/nouvelle", data=data)
    assert response.status_code == 302
    ticket = last_ticket(db_session)
    assert ticket.concerned_person == "Mme Masse Marguerite"
    intake = db_session.get(TicketIntake, ticket.id)
    assert (intake.login, intake.second_login) == ("m.masse12", "m.masse7")


def test_directors_form_refuses_the_same_login_twice(client, db_session, director):
    _user, school = director
    before = ticket_count(db_session)
    data = director_request(school, login="m.masse12", second_login="M.Masse12 ")
    response = client.post("/demandes/nouvelle", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Les deux identifiants sont identiques" in page
    assert 'value="m.masse12"' in page
    assert ticket_count(db_session) == before


def test_directors_form_shows_the_person_fields(client, director):
    page = client.get("/demandes/nouvelle").get_data(as_text=True)
    assert "Personne concernée : élève ou responsable" in page
    assert "Identifiant de l&#39;autre compte, en cas de doublon" in page
