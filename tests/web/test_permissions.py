"""Role scoping: URL guessing across schools and roles always ends in 404 (or 403 for staff)."""

import pytest


@pytest.fixture
def two_schools(make_school, make_user, make_ticket):
    mine, other = make_school(), make_school()
    director = make_user("directeur", schools=[mine])
    own_ticket = make_ticket(school_id=mine.id, subject="Ticket de mon école")
    foreign_ticket = make_ticket(school_id=other.id, subject="Ticket d'une autre école")
    return director, own_ticket, foreign_ticket


def test_anonymous_is_sent_to_login(client, make_ticket):
    ticket = make_ticket()
    for url in ("/tickets", f"/tickets/{ticket.reference}", "/demandes", "/admin", "/accueil"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_director_sees_only_own_school(client, login_as, two_schools):
    director, own, foreign = two_schools
    login_as(director)
    listing = client.get("/demandes?etat=toutes").get_data(as_text=True)
    assert own.reference in listing
    assert foreign.reference not in listing
    assert client.get(f"/demandes/{own.reference}").status_code == 200
    assert client.get(f"/demandes/{foreign.reference}").status_code == 404
    assert client.post(f"/demandes/{foreign.reference}", data={"body": "x"}).status_code == 404
    assert client.post(f"/demandes/{foreign.reference}/clore").status_code == 404
    assert foreign.status != "clos"


def test_director_cannot_use_agent_pages(client, login_as, two_schools):
    director, own, foreign = two_schools
    login_as(director)
    for url in (
        "/tickets",
        f"/tickets/{own.reference}",
        f"/tickets/{foreign.reference}",
        "/accueil",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/tickets/{own.reference}/statut", data={"status-status": "resolu"}
        ).status_code
        == 404
    )
    assert client.get("/admin").status_code == 404


def test_director_cannot_file_for_another_school(client, login_as, two_schools, make_school):
    director, own, foreign = two_schools
    login_as(director)
    response = client.post(
        "/demandes/nouvelle",
        data={
            "type_demande": "demande_conseil",
            "nature": "EDUCONNECT",
            "school": str(foreign.school_id),
            "subject": "Test",
            "description": "Test",
        },
    )
    assert response.status_code == 422

    assert response.status_code != 302


def test_attachments_follow_ticket_visibility(
    client, login_as, db_session, ctx, make_user, make_school, make_ticket
):
    from helpdesk.tickets.attachments import Upload

    mine, other = make_school(), make_school()
    director = make_user("directeur", schools=[mine])
    foreign = make_ticket(school_id=other.id, uploads=[Upload("note.txt", "text/plain", b"secret")])
    own = make_ticket(school_id=mine.id, uploads=[Upload("ok.txt", "text/plain", b"visible")])
    foreign_id = foreign.messages[0].attachments[0].id
    own_id = own.messages[0].attachments[0].id
    login_as(director)
    assert client.get(f"/pieces-jointes/{foreign_id}").status_code == 404
    response = client.get(f"/pieces-jointes/{own_id}")
    assert response.status_code == 200
    assert response.data == b"visible"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    response.close()


def test_agent_gets_403_on_admin(client, login_as, make_user):
    login_as(make_user("agent"))
    assert client.get("/admin").status_code == 403
    assert client.get("/admin/utilisateurs").status_code == 403


def test_deactivated_user_is_signed_out(client, login_as, make_user, db_session):
    agent = make_user("agent")
    login_as(agent)
    assert client.get("/tickets").status_code == 200
    agent.is_active_account = False
    agent.session_version += 1
    db_session.flush()
    assert client.get("/tickets").status_code == 302
