"""The académie's details: the admin page, and where pages, mails and replies show them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from helpdesk.academie import settings
from helpdesk.academie.models import AcademieSetting
from helpdesk.tickets.canned import canned_replies_for
from helpdesk.tickets.models import CannedReply

VALID = {
    "nom": "Académie de Bourgogne-Test",
    "adresse_postale": "2 G rue Général Delaborde, 21000 Dijon",
    "courriel_assistance": "assistance1d@ac-test.fr",
    "site_web": "https://www.ac-test.fr",
    "telephone_assistance": "03 80 44 84 20",
    "horaires_assistance": "du lundi au vendredi, de 8 h à 12 h",
    "dpd_nom": "Délégué à la protection des données de test",
    "dpd_courriel": "dpd@ac-test.fr",
    "dpd_adresse": "DPD, 2 G rue Général Delaborde, 21000 Dijon",
}


@pytest.fixture
def admin(make_user, login_as):
    return login_as(make_user("admin"))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def stored(db_session) -> dict[str, str]:
    return {row.key: row.value for row in db_session.scalars(select(AcademieSetting))}


def test_page_shows_the_demo_values_before_any_change(client, admin):
    response = client.get("/admin/academie")
    assert response.status_code == 200
    page = text_of(response)
    assert "Académie et assistance" in page
    assert 'value="Académie de Démo"' in page
    assert "{telephone_assistance}" in page


def test_saving_stores_the_values_and_every_page_uses_them(client, admin, db_session):
    response = client.post("/admin/academie", data=VALID)
    assert response.status_code == 302
    assert stored(db_session) == VALID
    contact = text_of(client.get("/contact"))
    assert "03 80 44 84 20" in contact and 'href="tel:0380448420"' in contact
    assert "du lundi au vendredi, de 8 h à 12 h." in contact
    privacy = text_of(client.get("/donnees-personnelles"))
    assert "mailto:dpd@ac-test.fr" in privacy
    assert "Délégué à la protection des données de test" in privacy
    assert "dpd@ac-demo.fr" not in privacy


def test_invalid_values_are_refused_in_french_and_kept(client, admin, db_session):
    data = {
        **VALID,
        "dpd_courriel": "dpd@",
        "telephone_assistance": "12",
        "nom": "",
        "site_web": "pas une adresse",
    }
    response = client.post("/admin/academie", data=data)
    page = text_of(response)
    assert response.status_code == 422
    assert "Adresse électronique invalide" in page
    assert "Numéro de téléphone invalide" in page
    assert "Indiquez le nom de l&#39;académie." in page
    assert "Adresse de site invalide" in page
    assert 'value="dpd@"' in page and 'value="2 G rue Général Delaborde, 21000 Dijon"' in page
    assert stored(db_session) == {}


def test_overlong_value_is_refused(client, admin, db_session):
    response = client.post("/admin/academie", data={**VALID, "adresse_postale": "x" * 301})
    assert response.status_code == 422
    assert "300 caractères au plus." in text_of(response)
    assert stored(db_session) == {}


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("directeur", 404)])
def test_other_roles_can_neither_read_nor_change(
    client, login_as, make_user, make_school, db_session, role, status
):
    schools = [make_school()] if role == "directeur" else []
    login_as(make_user(role, schools=schools))
    assert client.get("/admin/academie").status_code == status
    assert client.post("/admin/academie", data=VALID).status_code == status
    assert stored(db_session) == {}


def test_anonymous_is_sent_to_sign_in(client, db_session):
    response = client.post("/admin/academie", data=VALID)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert stored(db_session) == {}


def test_post_without_csrf_token_is_refused(client, admin, app, monkeypatch, db_session):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/admin/academie", data=VALID).status_code == 400
    assert stored(db_session) == {}
    page = text_of(client.get("/admin/academie"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/academie", data={**VALID, "csrf_token": token})
    assert response.status_code == 302
    assert stored(db_session)["nom"] == VALID["nom"]


def test_canned_replies_fill_the_academie_placeholders(db_session, make_ticket):
    settings.save(db_session, VALID)
    db_session.add(
        CannedReply(
            title="Téléphone",
            body="Appelez le {telephone_assistance} ({horaires_assistance}) ; "
            "{academie} ; DPD : {contact_dpd} ; {inconnu}",
        )
    )
    db_session.flush()
    ticket = make_ticket()
    from datetime import date

    [reply] = canned_replies_for(db_session, ticket, date(2026, 9, 14))
    assert reply.text == (
        "Appelez le 03 80 44 84 20 (du lundi au vendredi, de 8 h à 12 h) ; "
        "Académie de Bourgogne-Test ; DPD : Délégué à la protection des données de test, "
        "dpd@ac-test.fr ; {inconnu}"
    )


def test_mail_footer_uses_the_stored_details(db_session, make_ticket):
    from helpdesk.mail.models import OutboxMessage

    settings.save(db_session, VALID)
    ticket = make_ticket()
    mail = db_session.scalar(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
    assert "03 80 44 84 20" in mail.body_text
    assert "Académie de Bourgogne-Test" in mail.body_text


def test_articles_show_the_academie_details(client, db_session, app):
    import datetime as dt

    from helpdesk.knowledge.articles import ArticleDoc
    from helpdesk.knowledge.services import create_article

    settings.save(db_session, VALID)
    create_article(
        db_session,
        ArticleDoc(
            slug="appeler-l-assistance",
            title="Appeler l'assistance",
            audiences=("parent",),
            motifs=("autre",),
            status="published",
            reviewed=dt.date(2026, 9, 1),
            summary="Le numéro et les horaires.",
            body="Appelez le {telephone_assistance}, {horaires_assistance}.\n",
        ),
    )
    db_session.flush()
    page = text_of(client.get("/faq/appeler-l-assistance"))
    assert "Appelez le 03 80 44 84 20, du lundi au vendredi, de 8 h à 12 h." in page
    assert "{telephone_assistance}" not in page
