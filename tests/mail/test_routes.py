"""Mail administration pages: settings, test message, outbox, templates, mailboxes, inbound."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from helpdesk.mail.inbound.ingest import ingest_message
from helpdesk.mail.models import InboundMessage, Mailbox, MailSetting, MailTemplate, OutboxMessage
from helpdesk.mail.outbound import notify
from helpdesk.mail.settings import effective
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.tickets import services
from helpdesk.tickets.models import TicketEvent
from tests.plugins.mail import mail
from tests.plugins.mail_servers import free_port
from tests.plugins.pages import Page

ADMIN_PAGES = {
    "/admin/courriels": ["Courriels", "Réglages d’envoi", "Message d’essai", "File d’envoi"],
    "/admin/courriels/file": ["File d’envoi", "Tous les états"],
    "/admin/courriels/modeles": ["Modèles de courriels", "Relance du demandeur", "Échéance proche"],
    "/admin/courriels/modeles/resolved": ["Demande résolue", "satisfaction_url", "Aperçu"],
    "/admin/courriels/boites": ["Boîtes relevées", "Ajouter une boîte"],
    "/admin/courriels/boites/nouvelle": ["Ajouter une boîte", "Dossier des messages traités"],
    "/admin/courriels/entrants": ["Messages reçus", "Tous les messages"],
}


@pytest.fixture
def admin(login_as, make_user):
    return login_as(make_user("admin", display_name="Alix Admin"))


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def filled(db_session, ctx, make_ticket):
    """An outbox row, a failed one, an inbound message and a mailbox, for the pages to show."""
    ticket = make_ticket()
    failed = OutboxMessage(
        kind="new_reply",
        to_address="perdu@example.org",
        subject="Réponse perdue",
        body_text="Texte",
        body_html="<p>Texte <script>alert(1)</script></p>",
        message_id="<perdu@ac-demo.fr>",
        status="failed",
        attempts=12,
        last_error="Destinataire refusé par le serveur : 550",
    )
    db_session.add(failed)
    db_session.add(
        Mailbox(
            name="Boîte de l'assistance",
            host="127.0.0.1",
            port=free_port(),
            security="none",
            username="assistance",
            password="secret-boite",
            folder="INBOX",
            processed_folder="Traités",
        )
    )
    result = ingest_message(db_session, ctx, mail(subject="Compte bloqué"))
    broken = ingest_message(db_session, ctx, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200)
    db_session.flush()
    return {"ticket": ticket, "failed": failed, "inbound": result, "broken": broken}


@pytest.mark.parametrize("url", list(ADMIN_PAGES))
def test_admin_sees_every_page(client, admin, filled, url):
    response = client.get(url)
    assert response.status_code == 200
    page = text_of(response)
    for expected in ADMIN_PAGES[url]:
        assert expected in page, expected


def test_pages_are_csp_clean_and_forms_carry_csrf_tokens(client, admin, app, filled, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    urls = [
        *ADMIN_PAGES,
        f"/admin/courriels/file/{filled['failed'].id}",
        f"/admin/courriels/entrants/{filled['inbound'].inbound_id}",
        f"/admin/courriels/entrants/{filled['broken'].inbound_id}",
        "/admin/courriels/file?statut=failed",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        page = Page(text)
        assert page.inline_scripts == 0, url
        assert "<script>alert" not in text, url
        for tag, attributes in page.elements:
            assert "style" not in attributes, (url, tag)
            assert not [name for name in attributes if name.startswith("on")], (url, tag)
        for form in page.forms:
            if (form.get("method") or "").lower() == "post":
                assert form["inputs"].get("csrf_token"), (url, form.get("action"))
        assert len(page.find("caption")) == len(page.find("table")), url


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("directeur", 404)])
def test_admin_pages_are_closed_to_other_roles(
    client, login_as, make_user, make_school, role, status
):
    schools = [make_school()] if role == "directeur" else []
    login_as(make_user(role, schools=schools))
    for url in ADMIN_PAGES:
        if url == "/admin/courriels/entrants":
            continue
        assert client.get(url).status_code == status, url
    inbound = client.get("/admin/courriels/entrants")
    assert inbound.status_code == (200 if role == "agent" else 404)


def test_agents_read_inbound_messages_and_download_them(
    client, login_as, make_user, filled, db_session
):
    login_as(make_user("agent"))
    broken = filled["broken"].inbound_id
    listing = text_of(client.get("/admin/courriels/entrants?statut=unparseable"))
    assert "Illisible" in listing and "Outlook" in listing
    assert "Compte bloqué" not in listing
    detail = client.get(f"/admin/courriels/entrants/{broken}")
    assert detail.status_code == 200 and "Télécharger le message" in text_of(detail)
    raw = client.get(f"/admin/courriels/entrants/{broken}/brut")
    assert raw.data == db_session.get(InboundMessage, broken).raw
    assert "attachment" in raw.headers["Content-Disposition"]
    assert raw.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    shown = text_of(client.get(f"/admin/courriels/entrants/{filled['inbound'].inbound_id}"))
    assert filled["inbound"].reference in shown


def test_saving_outbound_settings_keeps_the_password_when_left_empty(
    client, admin, app, db_session
):
    data = {
        "smtp_host": "smtp.ac-test.fr",
        "smtp_port": "587",
        "smtp_security": "starttls",
        "smtp_user": "relais",
        "smtp_password": "Mot-de-passe-smtp",
        "mail_from": "Assistance <assistance@ac-test.fr>",
        "mail_reply_to": "assistance@ac-test.fr",
        "plus_addressing": "y",
        "reminder_days": "3",
        "autoclose_days": "7",
        "resolved_close_days": "10",
        "reopen_days": "7",
    }
    assert client.post("/admin/courriels/envoi", data=data).status_code == 302
    assert (
        client.post(
            "/admin/courriels/envoi", data={**data, "smtp_password": "", "smtp_port": "2525"}
        ).status_code
        == 302
    )

    settings = effective(db_session, app.config)
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_security) == (
        "smtp.ac-test.fr",
        2525,
        "starttls",
    )
    assert settings.smtp_password == "Mot-de-passe-smtp"
    assert settings.plus_addressing and settings.reminder_days == 3
    page = text_of(client.get("/admin/courriels"))
    assert "Mot-de-passe-smtp" not in page and "Un mot de passe est enregistré" in page

    bad = client.post("/admin/courriels/envoi", data={**data, "smtp_port": "99999"})
    assert bad.status_code == 422 and "Port invalide" in text_of(bad)
    client.post(
        "/admin/courriels/envoi", data={**data, "smtp_password": "", "forget_password": "y"}
    )
    assert db_session.get(MailSetting, "smtp_password") is None


def test_test_message_reaches_the_server_or_says_why_not(client, admin, db_session, smtp_server):
    base = {
        "smtp_host": "127.0.0.1",
        "smtp_port": str(smtp_server.port),
        "smtp_security": "none",
        "mail_from": "Assistance <assistance@ac-test.fr>",
        "mail_reply_to": "assistance@ac-test.fr",
        "reminder_days": "5",
        "autoclose_days": "10",
        "resolved_close_days": "15",
        "reopen_days": "14",
    }
    client.post("/admin/courriels/envoi", data=base)

    sent = client.post(
        "/admin/courriels/essai", data={"to_address": "admin@ac-test.fr"}, follow_redirects=True
    )
    assert "Message d&#39;essai remis au serveur 127.0.0.1" in text_of(sent)
    [received] = smtp_server.received
    assert received.rcpt_tos == ["admin@ac-test.fr"]
    assert "Message d'essai" in received.message["Subject"]

    smtp_server.stop()
    failed = client.post(
        "/admin/courriels/essai", data={"to_address": "admin@ac-test.fr"}, follow_redirects=True
    )
    assert "n&#39;est pas parti" in text_of(failed) and "Connexion refusée" in text_of(failed)
    invalid = client.post("/admin/courriels/essai", data={"to_address": "pas-une-adresse"})
    assert invalid.status_code == 422


def test_failed_messages_can_be_retried_or_discarded(client, admin, filled, db_session):
    failed = filled["failed"]
    listing = text_of(client.get("/admin/courriels/file?statut=failed"))
    assert "Réponse perdue" in listing and "550" in listing

    client.post(f"/admin/courriels/file/{failed.id}/relancer")
    db_session.refresh(failed)
    assert (failed.status, failed.attempts) == ("pending", 0)
    client.post(f"/admin/courriels/file/{failed.id}/abandonner")
    db_session.refresh(failed)
    assert failed.status == "discarded"

    failed.status = "sent"
    db_session.flush()
    refused = client.post(f"/admin/courriels/file/{failed.id}/relancer", follow_redirects=True)
    assert "déjà été envoyé" in text_of(refused)
    assert client.post("/admin/courriels/file/999999/relancer").status_code == 404
    assert client.post(f"/admin/courriels/file/{failed.id}/effacer").status_code == 404


def test_a_template_is_previewed_saved_used_and_reset(client, admin, db_session, ctx, make_ticket):
    url = "/admin/courriels/modeles/request_received"
    subject, text, html = notify.default_sources("request_received")
    draft = {
        "subject": "Bien reçu : {{ ticket.subject }}",
        "body_text": "Bonjour {{ ticket.requester_name }}, suivez ici : {{ tracking_url }}\n",
        "body_html": '{% extends "_layout.html" %}{% block body %}<p>Bonjour '
        "{{ ticket.requester_name }} <em>merci</em></p>{% endblock %}",
    }

    preview = client.post(url, data={**draft, "action": "apercu"})
    page = text_of(preview)
    assert preview.status_code == 200
    assert "Bien reçu : Je ne reçois pas le code d&#39;activation par SMS" in page
    assert "Bonjour Camille Exemple <em>merci</em>" in page
    assert db_session.get(MailTemplate, "request_received") is None

    client.post(url, data={**draft, "action": "enregistrer"})
    ticket = make_ticket(requester_name="Léa <b>Durand</b>")
    row = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id)
    ).one()
    assert row.subject == f"[{ticket.reference}] Bien reçu : {ticket.subject}"
    assert row.body_text.startswith("Bonjour Léa <b>Durand</b>, suivez ici : http://")
    assert "Léa &lt;b&gt;Durand&lt;/b&gt; <em>merci</em>" in row.body_html
    assert "Modifié" in text_of(client.get("/admin/courriels/modeles"))

    client.post(f"{url}/reinitialiser")
    assert db_session.get(MailTemplate, "request_received") is None
    assert text_of(client.get(url)).count("Revenir au modèle d’origine") == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body_text", "Bonjour {{ ticket.requester_name ", "erreur"),
        ("subject", "{% for x in %}", "erreur"),
        ("body_html", "", "Écrivez la version HTML"),
    ],
)
def test_a_broken_template_is_refused(client, admin, db_session, field, value, message):
    url = "/admin/courriels/modeles/new_reply"
    subject, text, html = notify.default_sources("new_reply")
    data = {"subject": subject, "body_text": text, "body_html": html, field: value}
    response = client.post(url, data={**data, "action": "enregistrer"})
    assert response.status_code == 422 and message in text_of(response)
    assert db_session.get(MailTemplate, "new_reply") is None


def test_templates_run_in_a_sandbox(client, admin):
    url = "/admin/courriels/modeles/new_reply"
    _, text, html = notify.default_sources("new_reply")
    data = {
        "subject": "{{ ticket.__class__.__mro__ }}",
        "body_text": "{{ ticket.__init__.__globals__ }}",
        "body_html": html,
        "action": "apercu",
    }
    response = client.post(url, data=data)
    page = text_of(response)
    assert response.status_code == 422 and "is unsafe" in page
    assert "Aperçu avec" not in page
    assert "tests-secret-key" not in page and "__builtins__" not in page


def test_mailboxes_are_added_tested_and_removed(client, admin, db_session, dovecot):
    user, password = dovecot.add_user()
    data = {
        "name": "Assistance",
        "host": "127.0.0.1",
        "port": str(dovecot.imaps_port),
        "security": "ssl",
        "username": user,
        "password": "",
        "folder": "INBOX",
        "processed_folder": "Traités",
        "is_active": "y",
    }
    missing = client.post("/admin/courriels/boites/nouvelle", data=data)
    assert missing.status_code == 422 and "Indiquez le mot de passe" in text_of(missing)
    client.post("/admin/courriels/boites/nouvelle", data={**data, "password": password})
    box = db_session.scalars(select(Mailbox)).one()
    assert box.password == password
    client.post(f"/admin/courriels/boites/{box.id}", data={**data, "name": "Assistance DSI"})
    db_session.refresh(box)
    assert (box.name, box.password) == ("Assistance DSI", password)
    edit = text_of(client.get(f"/admin/courriels/boites/{box.id}"))
    assert password not in edit

    client.application.config["MAIL_CA_FILE"] = dovecot.ca_file
    try:
        tested = client.post(f"/admin/courriels/boites/{box.id}/tester", follow_redirects=True)
    finally:
        client.application.config["MAIL_CA_FILE"] = None
    assert "réussie : 0 message(s)" in text_of(tested)

    client.post(f"/admin/courriels/boites/{box.id}/supprimer")
    assert db_session.scalars(select(Mailbox)).all() == []


def test_an_inbound_message_in_error_is_handled_again(
    client, login_as, make_user, db_session, ctx, monkeypatch
):
    from helpdesk.mail.inbound import ingest as ingest_module

    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(ingest_module.services, "open_ticket", broken)
    result = ingest_message(db_session, ctx, mail())
    monkeypatch.undo()
    login_as(make_user("agent"))
    page = text_of(client.get(f"/admin/courriels/entrants/{result.inbound_id}"))
    assert "Traiter de nouveau" in page and "panne" in page

    done = client.post(
        f"/admin/courriels/entrants/{result.inbound_id}/retraiter", follow_redirects=True
    )

    assert "Message retraité : nouvelle demande" in text_of(done)
    db_session.expire_all()
    assert db_session.get(InboundMessage, result.inbound_id).ticket_id is not None


def test_the_satisfaction_link_of_the_resolved_mail_records_a_rating(
    client, db_session, ctx, make_ticket, make_user
):
    agent = make_user("agent")
    ticket = make_ticket()
    services.change_status(db_session, ctx, ticket, agent, "resolu")
    resolved = db_session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.ticket_id == ticket.id, OutboxMessage.kind == "resolved"
        )
    ).one()
    link = re.search(r"http://helpdesk\.test(/suivi/\S+/avis)", resolved.body_text).group(1)
    assert link in resolved.body_html

    form = client.get(link)
    assert form.status_code == 200 and "Très satisfait" in text_of(form)
    assert client.post(link, data={"rating": "9"}).status_code == 422
    client.post(link, data={"rating": "4", "comment": "Rapide, merci."})
    client.post(link, data={"rating": "5", "comment": ""})

    rating = db_session.get(SatisfactionRating, ticket.id)
    assert (rating.rating, rating.comment) == (5, None)
    kinds = db_session.scalars(
        select(TicketEvent.new_value).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "satisfaction"
        )
    ).all()
    assert kinds == ["4/5 – Satisfait", "5/5 – Très satisfait"]
    assert client.get(link.replace("/avis", "x/avis")).status_code == 404


def test_no_rating_before_the_ticket_is_resolved(client, db_session, ctx, make_ticket):
    ticket = make_ticket()
    link = notify.satisfaction_url(ctx, ticket).replace("http://helpdesk.test", "")
    assert "encore en cours" in text_of(client.get(link))
    response = client.post(link, data={"rating": "5"})
    assert response.status_code == 422
    assert db_session.get(SatisfactionRating, ticket.id) is None
