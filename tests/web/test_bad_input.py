"""The odd inputs that once gave errors 500: each is now a 4xx with a French message, and the
same page with a sensible value still works."""

from __future__ import annotations

import pytest

from helpdesk.util.tracking import make_token

HUGE = "9" * 30


@pytest.fixture
def agent(login_as, make_user):
    return login_as(make_user("agent"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/tickets?page=²", "Le paramètre de page doit être un nombre entier."),
        (f"/tickets?page={HUGE}", "Le paramètre de page doit être un nombre entier."),
        ("/tickets?page=0", "Le paramètre de page doit être compris entre 1 et 100000."),
        ("/tickets?ecole=²", "Le paramètre « ecole » doit être un nombre entier."),
        (f"/tickets?ecole={HUGE}", "« ecole »"),
        ("/tickets?agent=2147483648", "« agent » doit être compris"),
        ("/tickets?statut=a%00b", "L&#39;adresse contient un caractère interdit."),
        ("/tickets?q=%00", "caractère interdit"),
    ],
)
def test_queue_refuses_bad_parameters(client, agent, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_queue_accepts_the_same_parameters_when_sensible(client, agent, make_school):
    school = make_school()
    for url in ("/tickets?page=2", f"/tickets?ecole={school.id}", "/tickets?agent=moi"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/admin/journal?page=²",
        f"/admin/journal?page={HUGE}",
        "/admin/journal?du=0001-01-01",
        "/admin/journal?au=9999-12-31",
        "/admin/journal?du=2026-02-30",
        f"/admin/journal?utilisateur={HUGE}",
        "/admin/courriels/file?page=²",
        f"/admin/courriels/entrants?page={HUGE}",
    ],
)
def test_admin_lists_refuse_bad_parameters(client, login_as, make_user, url):
    login_as(make_user("admin"))
    response = client.get(url)
    assert response.status_code == 400
    assert "Requête incorrecte" in response.get_data(as_text=True)


def test_admin_lists_accept_sensible_parameters(client, login_as, make_user):
    login_as(make_user("admin"))
    for url in (
        "/admin/journal?page=1&du=2026-01-01&au=2026-12-31",
        "/admin/courriels/file?page=1",
        "/admin/courriels/entrants?page=1",
    ):
        assert client.get(url).status_code == 200, url


def test_director_list_refuses_a_bad_page(client, login_as, make_user, make_school):
    login_as(make_user("directeur", schools=[make_school()]))
    assert client.get("/demandes?page=²").status_code == 400
    assert client.get("/demandes?page=1").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/pieces-jointes/{HUGE}",
        "/pieces-jointes/2147483648",
        f"/admin/utilisateurs/{HUGE}",
        f"/admin/reponses/{HUGE}",
        f"/admin/courriels/file/{HUGE}",
        "/tickets/a%00b",
        "/faq/a%00b",
    ],
)
def test_ids_no_column_can_hold_and_nul_bytes_in_paths_are_not_found(
    client, url, login_as, make_user
):
    login_as(make_user("admin"))
    assert client.get(url).status_code == 404


def test_tracking_attachment_with_a_huge_id(client, make_ticket, ctx):
    ticket = make_ticket()
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    assert client.get(f"/suivi/{token}/pieces-jointes/{HUGE}").status_code == 404
    assert client.get(f"/suivi/{token}").status_code == 200


@pytest.mark.parametrize("school_id", ["²", HUGE])
def test_contact_form_refuses_a_bad_school_id(client, school_id):
    response = client.post(
        "/contact",
        data={"school_id": school_id, "subject": "Code SMS", "message": "Rien reçu."},
    )
    assert response.status_code == 400
    assert "« school_id »" in response.get_data(as_text=True)


def test_login_refuses_a_nul_byte_in_the_email(client):
    response = client.post("/login", data={"email": "agent\x00@ac-test.fr", "password": "x"})
    assert response.status_code == 400
    assert "Le formulaire contient un caractère interdit." in response.get_data(as_text=True)
    assert client.post(
        "/login", data={"email": "agent@ac-test.fr", "password": "x"}
    ).status_code in (
        200,
        422,
    )


def test_template_preview_with_an_unbounded_loop_is_refused(client, login_as, make_user):
    login_as(make_user("admin"))
    data = {
        "subject": "{{ range(10**7)|length }}",
        "body_text": "Bonjour",
        "body_html": "<p>Bonjour</p>",
        "action": "apercu",
    }
    response = client.post("/admin/courriels/modeles/request_received", data=data)
    assert response.status_code == 422
    assert "Nombre trop grand dans le modèle" in response.get_data(as_text=True)
    data["subject"] = "Demande {{ ticket.reference }}"
    assert client.post("/admin/courriels/modeles/request_received", data=data).status_code == 200
