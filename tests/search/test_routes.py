"""The agents' global search: results page, header preview, permissions."""

from __future__ import annotations

import re

import pytest

from helpdesk.deflection.services import new_form_key
from helpdesk.tickets import services

ARTICLE_LINK = re.compile(r'href="/faq/([a-z0-9-]+)"')


@pytest.fixture
def agent(make_user, login_as):
    return login_as(make_user("agent"))


def test_a_word_only_in_a_later_message_and_an_article(
    client, ctx, db_session, kb, agent, make_ticket
):
    ticket = make_ticket(subject="Connexion impossible", body="Je n'arrive pas à me connecter.")
    other = make_ticket(subject="Autre demande", body="Rien à voir.")
    services.add_message(
        db_session, ctx, ticket, None, "J'ai aussi essayé FranceConnect, zéphyrin."
    )
    html = client.get("/recherche?q=zephyrin").get_data(as_text=True)
    assert ticket.reference in html and other.reference not in html
    assert "<mark>zéphyrin</mark>" in html
    html = client.get("/recherche?q=franceconnect").get_data(as_text=True)
    assert ticket.reference in html
    articles = ARTICLE_LINK.findall(html)
    assert "se-connecter-avec-franceconnect" in articles[:3]
    assert "<html" in html  # a full page without JavaScript


def test_htmx_gets_the_results_only(client, kb, agent, make_ticket):
    ticket = make_ticket(subject="Livret introuvable", body="Le livret scolaire n'apparaît pas.")
    response = client.get("/recherche?q=livret", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert ticket.reference in html
    assert "livret-scolaire-non-visible" in ARTICLE_LINK.findall(html)
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_preview_shows_five_of_each(client, kb, agent, make_ticket):
    tickets = [make_ticket(subject=f"Mot de passe bloqué {n}") for n in range(7)]
    html = client.get("/recherche/apercu?q=mot de passe").get_data(as_text=True)
    assert "<html" not in html
    shown = [t.reference for t in tickets if t.reference in html]
    assert shown == [t.reference for t in tickets[-5:]]  # newest first
    assert len(ARTICLE_LINK.findall(html)) == 5
    assert "Demandes (plus de 5)" in html
    assert 'href="/recherche?q=mot+de+passe"' in html
    assert client.get("/recherche/apercu?q=").get_data(as_text=True).strip() == ""
    assert client.get("/recherche/apercu?q=mo").get_data(as_text=True).strip() == ""


def test_drafts_and_agent_articles_are_found_and_marked(client, kb, agent):
    html = client.get("/recherche?q=lire un diagnostic").get_data(as_text=True)
    assert "agent-lire-un-diagnostic" in ARTICLE_LINK.findall(html)
    assert "Agents du centre de services" in html


def test_relevance_order_is_offered(client, kb, agent, make_ticket):
    weak = make_ticket(subject="Question", body="Un mot sur le livret scolaire.")
    strong = make_ticket(subject="Livret scolaire invisible", body="Le livret n'apparaît pas.")
    html = client.get("/recherche?q=livret&ordre=relevance").get_data(as_text=True)
    assert html.index(strong.reference) < html.index(weak.reference)
    html = client.get("/recherche?q=livret").get_data(as_text=True)
    assert html.index(strong.reference) < html.index(weak.reference)  # newest first


def test_staff_have_the_box_in_the_header(client, kb, agent):
    html = client.get("/accueil").get_data(as_text=True)
    assert 'hx-get="/recherche/apercu"' in html
    assert 'action="/recherche"' in html


def test_directors_get_404(client, kb, make_user, make_school, login_as, make_ticket):
    school = make_school()
    login_as(make_user("directeur", schools=[school]))
    make_ticket(subject="Notification zorglub", school_id=school.id)
    assert client.get("/recherche?q=zorglub").status_code == 404
    assert client.get("/recherche/apercu?q=zorglub").status_code == 404
    assert 'hx-get="/recherche/apercu"' not in client.get("/demandes").get_data(as_text=True)


def test_anonymous_visitors_never_get_tickets_or_agent_articles(
    app, client, kb, make_ticket, audiences_of
):
    """Every search endpoint, as a parent without an account."""
    ticket = make_ticket(subject="Diagnostic zorglub quasar", body="Procédure doublon zorglub sms")
    queries = ["zorglub", "zorglub sms", "lire un diagnostic", "procedure doublon agent"]
    search_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("search.", "deflection.")) or rule.endpoint == "knowledge.faq"
    ]
    assert {r.endpoint for r in search_rules} >= {
        "search.results",
        "search.preview",
        "deflection.contact_suggestions",
        "deflection.director_suggestions",
    }
    answered = 0
    for rule in search_rules:
        for query in queries:
            if "GET" in rule.methods:
                response = client.get(rule.rule, query_string={"q": query})
            else:
                data = {"subject": query, "message": query, "q": query, "deflection_shown": "x"}
                response = client.post(rule.rule, data={**data, "deflection_key": new_form_key()})
            if 300 <= response.status_code < 400:
                assert "/login" in response.headers["Location"], rule.rule
                continue
            answered += 1
            html = response.get_data(as_text=True)
            assert ticket.reference not in html, rule.rule
            assert "quasar" not in html and "Procédure doublon" not in html, rule.rule
            for slug in ARTICLE_LINK.findall(html):
                assert set(audiences_of[slug]) & {"parent", "eleve"}, (rule.rule, slug)
    assert answered >= len(queries)
    assert client.get("/recherche?q=zorglub").status_code == 302
