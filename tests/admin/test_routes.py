"""Administration pages: access, forms, persistence and the data-access journal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from helpdesk.audit.models import AuditEntry
from helpdesk.audit.services import record_access
from helpdesk.auth.models import User
from helpdesk.core.db import utcnow
from helpdesk.tickets.models import CannedReply, CategoryLabel, SlaTarget
from tests.plugins.pages import Page

NEW_PASSWORD = "Initial-2026-abc"

ADMIN_PAGES = {
    "/admin": [
        "Administration",
        "Utilisateurs",
        "Catégories",
        "Réponses types",
        "Délais (SLA)",
        "Journal des accès aux données",
    ],
    "/admin/utilisateurs": ["Utilisateurs", "Créer un compte", "Tous les rôles"],
    "/admin/utilisateurs/nouveau": ["Créer un compte", "Adresse électronique", "Mot de passe"],
    "/admin/categories": ["Types de demande", "Natures", "Motifs", "Proposé", "activation_sms"],
    "/admin/reponses": ["Réponses types", "Nouvelle réponse type"],
    "/admin/reponses/nouvelle": ["Nouvelle réponse type", "Tous les motifs"],
    "/admin/delais": ["Délais (SLA)", "Urgente", "Soit 8 h (1 jour ouvré)"],
    "/admin/journal": ["Journal des accès aux données"],
    "/admin/academie": ["Académie et assistance", "Téléphone de l&#39;assistance", "{contact_dpd}"],
}


@pytest.fixture
def admin(login_as, make_user):
    return login_as(make_user("admin", display_name="Alix Admin"))


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", list(ADMIN_PAGES))
def test_admin_sees_every_page(client, admin, url):
    response = client.get(url)
    assert response.status_code == 200
    page = text_of(response)
    for expected in ADMIN_PAGES[url]:
        assert expected in page, expected
    assert 'aria-current="page">' in page  # breadcrumb


def test_index_counts_accounts_and_replies(client, admin, make_user, make_school, db_session):
    make_user("agent")
    make_school()
    db_session.add(CannedReply(title="Code SMS", body="Bonjour {demandeur}"))
    db_session.flush()
    users = db_session.scalar(select(func.count()).select_from(User))
    page = text_of(client.get("/admin"))
    assert f"{users} comptes" in page
    assert "1 réponse type" in page


def test_pages_are_csp_clean_and_every_form_carries_a_csrf_token(
    client, admin, app, monkeypatch, make_user, make_ticket, db_session
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    make_user("agent")
    ticket = make_ticket()
    record_access(db_session, admin, "view", "ticket", ticket.reference, ticket.id)
    db_session.add(CannedReply(title="Code SMS", body="Bonjour {demandeur}"))
    db_session.flush()
    urls = [*ADMIN_PAGES, f"/admin/utilisateurs/{admin.id}", "/compte/mot-de-passe"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        page = Page(text)
        assert page.inline_scripts == 0, url
        for tag, attributes in page.elements:
            assert "style" not in attributes, (url, tag)
            assert not [name for name in attributes if name.startswith("on")], (url, tag)
        posts = [f for f in page.forms if (f.get("method") or "").lower() == "post"]
        for form in posts:
            assert form["inputs"].get("csrf_token"), (url, form.get("action"))
        tables = page.find("table")
        assert len(page.find("caption")) == len(tables), url


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("directeur", 404)])
def test_admin_pages_are_closed_to_other_roles(
    client, login_as, make_user, make_school, db_session, role, status
):
    schools = [make_school()] if role == "directeur" else []
    login_as(make_user(role, schools=schools))
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == status, url
    response = client.post(
        "/admin/delais",
        data={"priority": "haute", "first_response_minutes": "5", "resolution_minutes": "10"},
    )
    assert response.status_code == status
    response = client.post(
        "/admin/categories", data={"kind": "motif", "code": "autre", "label": "Piraté"}
    )
    assert response.status_code == status
    assert db_session.scalar(select(func.count()).select_from(SlaTarget)) == 0
    assert db_session.scalar(select(func.count()).select_from(CategoryLabel)) == 0


def test_htmx_request_gets_an_alert_fragment(client, login_as, make_user):
    login_as(make_user("agent"))
    response = client.get("/admin/utilisateurs", headers={"HX-Request": "true"})
    assert response.status_code == 403
    page = text_of(response)
    assert "<html" not in page
    assert "fr-alert--error" in page
    assert "Action refusée" in page


def test_create_director_account(client, admin, make_school, db_session):
    school = make_school(name="École des Tilleuls")
    response = client.post(
        "/admin/utilisateurs/nouveau",
        data={
            "email": "Dominique.Essai@AC-Test.fr",
            "display_name": "Dominique Essai",
            "role": "directeur",
            "schools": [str(school.id)],
            "password": NEW_PASSWORD,
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/utilisateurs")
    user = db_session.scalar(select(User).where(User.email == "dominique.essai@ac-test.fr"))
    assert user is not None
    assert user.role == "directeur"
    assert [s.id for s in user.schools] == [school.id]
    assert user.is_active_account

    listing = text_of(client.get("/admin/utilisateurs"))
    assert "Compte dominique.essai@ac-test.fr enregistré." in listing
    assert "Dominique Essai" in listing
    assert f"/admin/utilisateurs/{user.id}" in listing
    assert "Dominique Essai" in text_of(client.get("/admin/utilisateurs?role=directeur"))
    agents_only = text_of(client.get("/admin/utilisateurs?role=agent"))
    assert "Dominique Essai" not in agents_only
    assert "Aucun compte pour le rôle « Agent du centre de services »." in agents_only


def test_invalid_email_keeps_what_was_typed(client, admin, db_session):
    before = db_session.scalar(select(func.count()).select_from(User))
    response = client.post(
        "/admin/utilisateurs/nouveau",
        data={
            "email": "pas-une-adresse",
            "display_name": "Camille Essai",
            "role": "agent",
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Adresse électronique invalide." in page
    assert "Le formulaire contient une erreur" in page
    assert 'value="pas-une-adresse"' in page
    assert 'value="Camille Essai"' in page
    assert db_session.scalar(select(func.count()).select_from(User)) == before


def test_director_without_school_is_refused(client, admin, make_school, db_session):
    make_school()
    response = client.post(
        "/admin/utilisateurs/nouveau",
        data={
            "email": "sans.ecole@ac-test.fr",
            "display_name": "Sacha Sans-École",
            "role": "directeur",
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Rattachez le directeur à au moins une école." in page
    assert 'value="sans.ecole@ac-test.fr"' in page
    assert 'value="Sacha Sans-École"' in page
    assert '<option selected value="directeur">' in page
    assert db_session.scalar(select(User).where(User.email == "sans.ecole@ac-test.fr")) is None


def test_new_account_needs_a_password(client, admin):
    response = client.post(
        "/admin/utilisateurs/nouveau",
        data={"email": "sans.mdp@ac-test.fr", "display_name": "Sans Mot", "role": "agent"},
    )
    assert response.status_code == 422
    assert "Indiquez un mot de passe initial." in text_of(response)


def test_edit_director_schools(client, admin, make_user, make_school, db_session):
    first, second = make_school(), make_school()
    director = make_user("directeur", schools=[first])
    page = text_of(client.get(f"/admin/utilisateurs/{director.id}"))
    assert f'<option selected value="{first.id}">' in page
    assert f'<option value="{second.id}">' in page
    response = client.post(
        f"/admin/utilisateurs/{director.id}",
        data={
            "email": director.email,
            "display_name": director.display_name,
            "role": "directeur",
            "schools": [str(second.id)],
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert [s.id for s in db_session.get(User, director.id).schools] == [second.id]


def test_admin_cannot_remove_own_rights(client, admin, db_session):
    response = client.post(
        f"/admin/utilisateurs/{admin.id}",
        data={
            "email": admin.email,
            "display_name": admin.display_name,
            "role": "agent",
            "is_active": "y",
        },
    )
    assert response.status_code == 422
    assert "Vous ne pouvez pas retirer vos propres droits" in text_of(response)
    db_session.expire_all()
    assert db_session.get(User, admin.id).role == "admin"


def test_category_label_is_saved(client, admin, db_session):
    response = client.post(
        "/admin/categories",
        data={"kind": "motif", "code": "activation_sms", "label": "  Code SMS non reçu  "},
    )
    assert response.status_code == 302
    item = db_session.scalar(
        select(CategoryLabel).where(
            CategoryLabel.kind == "motif", CategoryLabel.code == "activation_sms"
        )
    )
    assert item is not None
    assert item.label == "Code SMS non reçu"
    assert item.is_active is False  # the box was not ticked
    page = text_of(client.get("/admin/categories"))
    assert "Libellé enregistré." in page
    assert 'value="Code SMS non reçu"' in page

    client.post(
        "/admin/categories",
        data={"kind": "motif", "code": "activation_sms", "label": "Code SMS", "is_active": "y"},
    )
    db_session.expire_all()
    item = db_session.get(CategoryLabel, item.id)
    assert (item.label, item.is_active) == ("Code SMS", True)


def test_category_errors_are_reported(client, admin, db_session):
    client.post("/admin/categories", data={"kind": "motif", "code": "autre", "label": ""})
    assert "Le libellé ne peut pas être vide." in text_of(client.get("/admin/categories"))
    client.post("/admin/categories", data={"kind": "motif", "code": "inexistant", "label": "X"})
    assert "Catégorie inconnue." in text_of(client.get("/admin/categories"))
    assert db_session.scalar(select(func.count()).select_from(CategoryLabel)) == 0


def test_sla_targets_are_saved(client, admin, db_session):
    response = client.post(
        "/admin/delais",
        data={"priority": "haute", "first_response_minutes": "120", "resolution_minutes": "720"},
    )
    assert response.status_code == 302
    target = db_session.get(SlaTarget, "haute")
    assert (target.first_response_minutes, target.resolution_minutes) == (120, 720)
    page = text_of(client.get("/admin/delais"))
    assert "Délais enregistrés." in page
    assert 'value="720"' in page
    assert "Soit 12 h (1,5 jour ouvré)" in page


def test_sla_errors_leave_targets_unchanged(client, admin, db_session):
    client.post(
        "/admin/delais",
        data={"priority": "basse", "first_response_minutes": "600", "resolution_minutes": "60"},
    )
    assert "ne peut pas précéder" in text_of(client.get("/admin/delais"))
    client.post(
        "/admin/delais",
        data={"priority": "basse", "first_response_minutes": "deux", "resolution_minutes": "60"},
    )
    assert "Indiquez des délais valides" in text_of(client.get("/admin/delais"))
    assert db_session.get(SlaTarget, "basse") is None


def test_canned_reply_create_and_edit(client, admin, db_session):
    response = client.post(
        "/admin/reponses/nouvelle",
        data={
            "title": "Code SMS non reçu",
            "motif": "activation_sms",
            "body": "Bonjour {demandeur}, vérifiez le numéro donné à l'école.",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    reply = db_session.scalar(select(CannedReply).where(CannedReply.title == "Code SMS non reçu"))
    assert reply.motif == "activation_sms" and reply.is_active
    listing = text_of(client.get("/admin/reponses"))
    assert "Code SMS non reçu" in listing
    assert "Auto-inscription : code SMS non reçu" in listing  # the motif's label

    form = text_of(client.get(f"/admin/reponses/{reply.id}"))
    assert '<option selected value="activation_sms">' in form
    client.post(
        f"/admin/reponses/{reply.id}",
        data={"title": "Code SMS", "motif": "", "body": "Texte revu."},
    )
    db_session.expire_all()
    reply = db_session.get(CannedReply, reply.id)
    assert (reply.title, reply.motif, reply.body, reply.is_active) == (
        "Code SMS",
        None,
        "Texte revu.",
        False,
    )
    assert "Tous les motifs" in text_of(client.get("/admin/reponses"))


def test_canned_reply_needs_title_and_body(client, admin, db_session):
    response = client.post("/admin/reponses/nouvelle", data={"title": "", "body": ""})
    page = text_of(response)
    assert "Indiquez un titre." in page
    assert "Écrivez le texte de la réponse." in page
    assert db_session.scalar(select(func.count()).select_from(CannedReply)) == 0


def test_audit_log_shows_an_agent_viewing_a_ticket(
    client, login_as, make_user, make_ticket, db_session
):
    ticket = make_ticket()
    agent = login_as(make_user("agent"))
    assert client.get(f"/tickets/{ticket.reference}").status_code == 200
    entry = db_session.scalar(
        select(AuditEntry).where(AuditEntry.user_id == agent.id, AuditEntry.ticket_id == ticket.id)
    )
    assert entry is not None

    login_as(make_user("admin"))
    page = text_of(client.get("/admin/journal"))
    assert agent.email in page
    assert "Consultation" in page
    assert f'href="/tickets/{ticket.reference}"' in page
    assert "Aucun accès enregistré" not in page


def test_audit_log_pages(client, admin, db_session):
    start = utcnow() - timedelta(days=2)
    for n in range(51):
        entry = record_access(db_session, admin, "export", "comptes_a_surveiller", f"lot-{n}")
        entry.created_at = start + timedelta(minutes=n)
    db_session.flush()

    first = text_of(client.get("/admin/journal"))
    assert "lot-50" in first and "lot-1<" in first and "lot-0<" not in first
    assert 'href="/admin/journal?page=2"' in first
    assert "Comptes à surveiller" in first

    second = text_of(client.get("/admin/journal?page=2"))
    assert "lot-0<" in second and "lot-1<" not in second
    assert 'href="/admin/journal?page=1"' in second
    assert 'href="/admin/journal?page=3"' not in second

    empty = text_of(client.get("/admin/journal?page=9"))
    assert "Aucune entrée sur cette page." in empty
