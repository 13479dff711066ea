"""Articles proposed while a request is typed, and "this answers my question"."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from helpdesk.deflection.models import DeflectionEvent
from helpdesk.deflection.services import new_form_key

SLUG_LINK = re.compile(r'href="/faq/([a-z0-9-]+)"')


def slugs_in(html: str) -> list[str]:
    return SLUG_LINK.findall(html)


def events(db_session, key: str, outcome: str | None = None) -> list[DeflectionEvent]:
    stmt = select(DeflectionEvent).where(DeflectionEvent.form_key == key)
    if outcome:
        stmt = stmt.where(DeflectionEvent.outcome == outcome)
    return list(db_session.scalars(stmt.order_by(DeflectionEvent.id)))


def suggest(client, key: str, subject: str, message: str = "", **extra):
    return client.post(
        "/contact/articles",
        data={"subject": subject, "message": message, "deflection_key": key, **extra},
        headers={"HX-Request": "true"},
    )


def test_the_sms_article_comes_first_and_is_recorded_as_shown(client, db_session, kb):
    key = new_form_key()
    response = suggest(client, key, "code sms jamais recu")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = slugs_in(html)
    assert found[0] == "code-sms-non-recu"
    assert len(found) == 3
    assert "Cet article répond à ma question" in html
    assert "<mark>" in html
    assert "<html" not in html
    shown = events(db_session, key, "shown")
    assert [e.article_slug for e in shown] == found
    assert {e.audience for e in shown} == {"parent"}
    assert shown[0].query == "code sms jamais recu"


def test_same_articles_on_screen_are_left_alone_and_not_recorded_twice(client, db_session, kb):
    key = new_form_key()
    first = slugs_in(suggest(client, key, "code sms jamais recu").get_data(as_text=True))
    again = suggest(client, key, "code sms jamais recu", deflection_shown=",".join(first))
    assert again.status_code == 204
    # Typing on: new articles are added to the record, the old ones are not repeated.
    more = suggest(
        client, key, "code sms jamais recu", "et mon mot de passe oublie", deflection_shown="x"
    )
    assert more.status_code == 200
    recorded = [e.article_slug for e in events(db_session, key, "shown")]
    assert len(recorded) == len(set(recorded))
    assert set(first) | set(slugs_in(more.get_data(as_text=True))) == set(recorded)


def test_too_little_text_clears_the_suggestions(client, db_session, kb):
    key = new_form_key()
    response = suggest(client, key, "co", deflection_shown="code-sms-non-recu")
    assert response.status_code == 200
    assert slugs_in(response.get_data(as_text=True)) == []
    assert 'name="deflection_shown" value=""' in response.get_data(as_text=True)
    assert events(db_session, key) == []


def test_a_pupil_is_recorded_as_such(client, db_session, kb):
    key = new_form_key()
    suggest(client, key, "mot de passe perdu", requester_kind="eleve")
    assert {e.audience for e in events(db_session, key)} == {"eleve"}


def test_answered_is_recorded_once(client, db_session, kb):
    key = new_form_key()
    suggest(client, key, "code sms jamais recu", "mon telephone 06 12 34 56 78")
    data = {"deflection_key": key, "article": "code-sms-non-recu"}
    response = client.post("/articles-proposes/utile", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Merci" in response.get_data(as_text=True)
    client.post("/articles-proposes/utile", data=data, headers={"HX-Request": "true"})
    answered = events(db_session, key, "answered")
    assert len(answered) == 1
    assert answered[0].article_slug == "code-sms-non-recu"
    assert answered[0].audience == "parent"
    assert "06" not in answered[0].query and "[numéro]" in answered[0].query
    # Shown again after the click: the article keeps its thanks instead of the button.
    html = suggest(client, key, "code sms jamais recu", deflection_shown="x").get_data(as_text=True)
    assert html.count("Cet article répond à ma question") == 2
    assert "data-deflection-answered" in html


def test_without_htmx_answered_opens_the_article(client, kb):
    key = new_form_key()
    suggest(client, key, "code sms jamais recu")
    response = client.post(
        "/articles-proposes/utile", data={"deflection_key": key, "article": "code-sms-non-recu"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/faq/code-sms-non-recu")


def test_only_a_proposed_article_can_be_answered(client, db_session, kb):
    key = new_form_key()
    suggest(client, key, "code sms jamais recu")
    response = client.post(
        "/articles-proposes/utile",
        data={"deflection_key": key, "article": "agent-lire-un-diagnostic"},
    )
    assert response.status_code == 404
    assert events(db_session, key, "answered") == []


@pytest.mark.parametrize("key", ["", "court", "x" * 40, "clé avec espaces!"])
def test_a_form_key_is_required(client, kb, key):
    assert suggest(client, key, "code sms jamais recu").status_code == 400


AGENT_WORDS = "diagnostic procedure doublon responsable traiter demande rgpd agent constat gravite"


def test_parents_never_get_agent_articles_nor_tickets(
    client, db_session, kb, make_ticket, audiences_of
):
    ticket = make_ticket(subject="Diagnostic zorglub sms", body="Procédure doublon zorglub")
    key = new_form_key()
    seen: set[str] = set()
    for text in (AGENT_WORDS, "zorglub sms", ticket.reference, "lire un diagnostic de compte"):
        html = suggest(client, key, text, deflection_shown="x").get_data(as_text=True)
        assert ticket.reference not in html
        seen.update(slugs_in(html))
    assert seen, "the queries must find public articles"
    for slug in seen:
        assert set(audiences_of[slug]) & {"parent", "eleve"}, slug
    # The audience cannot be chosen by the request.
    html = suggest(client, key, AGENT_WORDS, audience="agent", deflection_shown="x")
    assert all(
        set(audiences_of[s]) & {"parent", "eleve"} for s in slugs_in(html.get_data(as_text=True))
    )


def test_directors_get_their_articles(client, db_session, kb, make_user, login_as, audiences_of):
    login_as(make_user("directeur"))
    key = new_form_key()
    response = client.post(
        "/demandes/nouvelle/articles",
        data={"subject": "notifier les parents", "description": "", "deflection_key": key},
    )
    found = slugs_in(response.get_data(as_text=True))
    assert found[0] == "directeur-notifier-les-responsables"
    assert all("directeur" in audiences_of[slug] for slug in found)
    assert {e.audience for e in events(db_session, key)} == {"directeur"}


def test_the_directors_endpoint_is_for_directors(client, kb, make_user, login_as):
    data = {"subject": "notifier", "deflection_key": new_form_key()}
    assert client.post("/demandes/nouvelle/articles", data=data).status_code == 302
    login_as(make_user("agent"))
    assert client.post("/demandes/nouvelle/articles", data=data).status_code == 403


def test_forms_carry_the_widget(client, kb, make_user, login_as):
    contact = client.get("/contact").get_data(as_text=True)
    assert 'hx-post="/contact/articles"' in contact
    assert 'hx-trigger="input changed delay:400ms"' in contact
    assert re.search(r'name="deflection_key" value="[A-Za-z0-9_-]{16}"', contact)
    login_as(make_user("directeur"))
    new = client.get("/demandes/nouvelle").get_data(as_text=True)
    assert 'hx-post="/demandes/nouvelle/articles"' in new
    assert 'id="articles-suggeres"' in new


@pytest.fixture
def limited_app(database_url, tmp_path, shipped_index):
    from helpdesk import create_app
    from helpdesk.knowledge.access import EXTENSION_KEY

    application = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "k",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_SUGGEST": "2 per minute",
            "CLASSIFY_ENABLED": False,
        }
    )
    application.extensions[EXTENSION_KEY] = shipped_index
    yield application
    application.extensions["helpdesk_db"].engine.dispose()


def test_suggestions_are_rate_limited_quietly(limited_app):
    client = limited_app.test_client()
    # Too short to search: nothing is written, but every request counts.
    data = {"subject": "co", "deflection_key": new_form_key(), "deflection_shown": "x"}
    codes = [client.post("/contact/articles", data=data).status_code for _ in range(3)]
    assert codes == [200, 200, 204]
    answer = {"deflection_key": data["deflection_key"], "article": "code-sms-non-recu"}
    codes = [
        client.post("/articles-proposes/utile", data=answer, headers={"HX-Request": "true"})
        for _ in range(3)
    ]
    assert [r.status_code for r in codes] == [404, 404, 429]
    assert "Trop de requêtes" in codes[2].get_data(as_text=True)
