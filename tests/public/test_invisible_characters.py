"""Names and subjects typed in forms lose bidirectional controls and zero-width characters."""

from sqlalchemy import select

from helpdesk.auth.models import User
from helpdesk.tickets.models import Ticket

RLO, PDF, ZWSP, ZWJ, LRI, PDI = "\u202e", "\u202c", "\u200b", "\u200d", "\u2066", "\u2069"
CONTACT = {
    "requester_kind": "parent",
    "email": "parent.invisible@example.org",
    "message": "Bonjour, le code SMS n'arrive jamais quand je crée mon compte.",
}


def latest_ticket(db_session) -> Ticket:
    return db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))


def test_contact_form_strips_bidi_and_zero_width_from_names_and_subject(client, db_session):
    response = client.post(
        "/contact",
        data={
            **CONTACT,
            "first_name": f"Zo{ZWSP}é",
            "last_name": f"{RLO}dnaruD{PDF}",
            "child_first_name": f"Lé{ZWJ}a",
            "subject": f"Code {LRI}SMS{PDI} absent",
        },
    )
    assert response.status_code == 302
    ticket = latest_ticket(db_session)
    assert ticket.requester_name == "Zoé dnaruD"
    assert ticket.child_name == "Léa"
    assert ticket.subject == "Code SMS absent"


def test_contact_form_keeps_ordinary_names_and_the_message_as_typed(client, db_session):
    body = "Bonjour 👨‍👩‍👧, le code n'arrive pas depuis lundi."
    response = client.post(
        "/contact",
        data={
            **CONTACT,
            "first_name": "Anne-Sophie",
            "last_name": "N'Diaye Lefèvre",
            "subject": "Code « SMS » – toujours absent",
            "message": body,
        },
    )
    assert response.status_code == 302
    ticket = latest_ticket(db_session)
    assert ticket.requester_name == "Anne-Sophie N'Diaye Lefèvre"
    assert ticket.subject == "Code « SMS » – toujours absent"
    assert ticket.messages[0].body == body


def test_name_made_only_of_invisible_characters_is_refused(client, db_session):
    before = latest_ticket(db_session)
    response = client.post(
        "/contact",
        data={**CONTACT, "first_name": "Zoé", "last_name": "Durand", "subject": ZWSP + RLO},
    )
    assert response.status_code == 422
    assert latest_ticket(db_session) is before


def test_director_request_subject_and_concerned_person_are_cleaned(
    client, db_session, login_as, make_user, make_school
):
    school = make_school()
    login_as(make_user("directeur", schools=[school]))
    response = client.post(
        "/demandes/nouvelle",
        data={
            "type_demande": "demande_logicielle",
            "nature": "EDUCONNECT",
            "school": str(school.id),
            "subject": f"Compte {RLO}élève{PDF} bloqué",
            "description": "Un élève ne peut plus se connecter depuis la rentrée.",
            "concerned": f"Tom{ZWSP} Petit",
        },
    )
    assert response.status_code == 302
    ticket = latest_ticket(db_session)
    assert ticket.subject == "Compte élève bloqué"
    assert ticket.concerned_person == "Tom Petit"


def test_admin_account_display_name_is_cleaned(client, db_session, login_as, make_user):
    login_as(make_user("admin"))
    data = {
        "email": "agent.invisible@ac-test.fr",
        "display_name": f"Agent {RLO}tset{PDF}",
        "role": "agent",
        "password": "Nouveau-mot-de-passe-2026",
        "is_active": "y",
    }
    assert client.post("/admin/utilisateurs/nouveau", data=data).status_code == 302
    user = db_session.scalar(select(User).where(User.email == "agent.invisible@ac-test.fr"))
    assert user.display_name == "Agent tset"

    refused = client.post(
        "/admin/utilisateurs/nouveau",
        data={**data, "email": "agent.vide@ac-test.fr", "display_name": ZWSP * 3},
    )
    assert refused.status_code == 422
    assert db_session.scalar(select(User).where(User.email == "agent.vide@ac-test.fr")) is None
