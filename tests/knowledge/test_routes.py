"""FAQ pages and the agents' article editor."""

from __future__ import annotations

import re

import pytest

from helpdesk.knowledge import queries

HTMX = {"HX-Request": "true"}


@pytest.fixture
def catalogue(make_article):
    """One article per visibility case, all about the same rare word."""
    make_article(
        "zebu-parents",
        title="Le zébu des parents",
        body="Le zébu broute. Voir [l'autre](zebu-directeurs.md).\n\n<script>alert(1)</script>\n",
    )
    make_article(
        "zebu-directeurs",
        title="Le zébu des directeurs",
        audiences=("directeur",),
        motifs=("notification_directeur",),
    )
    make_article("zebu-brouillon", title="Le zébu en brouillon", status="draft")
    make_article("zebu-agents", title="Le zébu des agents", audiences=("agent",))


def hit_slugs(html: str) -> list[str]:
    return re.findall(r'<h2 class="fr-h6 fr-mb-1v"><a href="/faq/([a-z0-9-]+)"', html)


# -- public pages -----------------------------------------------------------------------


def test_faq_browses_the_parents_topics_by_default(client, catalogue):
    page = client.get("/faq").get_data(as_text=True)
    assert "Parcourir par sujet" in page
    assert 'id="sujet-activation_sms"' in page
    assert "Auto-inscription : code SMS non reçu ou numéro inconnu" in page
    assert "/faq/zebu-parents" in page and "/faq/code-sms-non-recu" in page
    for hidden in ("zebu-directeurs", "zebu-brouillon", "zebu-agents"):
        assert f"/faq/{hidden}" not in page

    directors = client.get("/faq?public=directeur").get_data(as_text=True)
    assert "/faq/zebu-directeurs" in directors and "/faq/zebu-parents" not in directors


def test_search_as_you_type_returns_highlighted_results_and_facets(client, catalogue):
    response = client.get("/faq?q=zebus", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert hit_slugs(fragment) == ["zebu-parents"]
    assert "<mark>zébu</mark>" in fragment
    assert "Affiner par sujet" in fragment and "?motif=activation_sms" in fragment
    assert response.headers["Vary"] == "HX-Request" or "HX-Request" in response.headers["Vary"]

    full = client.get("/faq?q=zebus").get_data(as_text=True)
    assert "<html" in full and 'value="zebus"' in full and hit_slugs(full) == ["zebu-parents"]


def test_search_never_shows_drafts_or_agents_articles_to_the_public(
    client, catalogue, make_user, login_as
):
    for section in ("", "&public=parent", "&public=directeur", "&public=agent"):
        found = hit_slugs(client.get(f"/faq?q=zebu{section}").get_data(as_text=True))
        assert "zebu-brouillon" not in found and "zebu-agents" not in found
    login_as(make_user("directeur"))
    assert sorted(hit_slugs(client.get("/faq?q=zebu").get_data(as_text=True))) == [
        "zebu-directeurs",
        "zebu-parents",
    ]


def test_agents_see_their_own_articles_in_the_faq(client, catalogue, make_user, login_as):
    login_as(make_user("agent"))
    found = hit_slugs(client.get("/faq?q=zebu").get_data(as_text=True))
    assert sorted(found) == ["zebu-agents", "zebu-directeurs", "zebu-parents"]


def test_motif_filter_narrows_the_results(client, catalogue, make_user, login_as):
    login_as(make_user("directeur"))
    page = client.get("/faq?q=zebu&motif=notification_directeur").get_data(as_text=True)
    assert hit_slugs(page) == ["zebu-directeurs"]
    assert "Administration des comptes (directeur, secrétariat)" in page


def test_article_page_renders_safe_markdown_with_links_between_articles(client, catalogue):
    response = client.get("/faq/zebu-parents")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 id="article-titre">Le zébu des parents</h1>' in page
    assert 'href="/faq/zebu-directeurs"' in page
    assert "alert(1)" not in page
    assert 'class="fr-breadcrumb"' in page and 'href="/faq?public=parent"' in page
    assert "/faq?public=parent&amp;motif=activation_sms" in page
    assert "Modifier l’article" not in page


@pytest.mark.parametrize("slug", ["zebu-brouillon", "zebu-agents"])
def test_drafts_and_agents_articles_are_not_found_publicly(
    client, catalogue, make_user, login_as, slug
):
    assert client.get(f"/faq/{slug}").status_code == 404
    login_as(make_user("directeur"))
    assert client.get(f"/faq/{slug}").status_code == 404
    login_as(make_user("agent"))
    page = client.get(f"/faq/{slug}")
    assert page.status_code == 200
    assert "Modifier l’article" in page.get_data(as_text=True)


def test_shipped_files_stand_in_until_articles_are_imported(client, kb_index, make_article):
    assert client.get("/faq/code-sms-non-recu").status_code == 200
    assert client.get("/faq/agent-lire-un-diagnostic").status_code == 404
    assert client.get("/faq/n-existe-pas").status_code == 404
    make_article("seul-article-en-base")
    assert client.get("/faq/code-sms-non-recu").status_code == 404
    assert client.get("/faq/seul-article-en-base").status_code == 200


def test_faq_link_for_everyone_and_editor_link_for_staff(client, kb_index, make_user, login_as):
    assert 'href="/faq"' in client.get("/faq").get_data(as_text=True)
    login_as(make_user("agent"))
    page = client.get("/faq").get_data(as_text=True)
    assert 'href="/base-de-connaissances"' in page and "Base de connaissances" in page


# -- editor -----------------------------------------------------------------------------


EDITOR_URLS = [
    ("get", "/base-de-connaissances"),
    ("get", "/base-de-connaissances/nouvel-article"),
    ("post", "/base-de-connaissances/nouvel-article"),
    ("get", "/base-de-connaissances/zebu-parents/modifier"),
    ("post", "/base-de-connaissances/zebu-parents/statut"),
    ("get", "/base-de-connaissances/zebu-parents/historique"),
    ("post", "/base-de-connaissances/apercu"),
    ("post", "/base-de-connaissances/zebu-parents/supprimer"),
]


@pytest.mark.parametrize(("method", "url"), EDITOR_URLS)
def test_editor_is_closed_to_the_public_and_directors(
    client, db_session, make_article, make_user, login_as, method, url
):
    make_article("zebu-parents")
    response = getattr(client, method)(url, data={"status": "draft"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login_as(make_user("directeur"))
    assert getattr(client, method)(url, data={"status": "draft"}).status_code == 404
    article = queries.get_article(db_session, "zebu-parents")
    assert article.status == "published" and article.revision == 1


def form_data(**overrides) -> dict:
    data = {
        "title": "Le tapir a oublié son code",
        "slug": "",
        "summary": "Que faire quand le tapir oublie son code.",
        "audiences": ["parent", "eleve"],
        "motifs": ["mot_de_passe_oublie"],
        "tags": "tapir, code-oublie",
        "body": "## Étapes\n\n1. Respirer.\n2. Cliquer sur **Mot de passe oublié**.\n",
        "status": "published",
        "reviewed": "2026-11-30",
        "note": "",
    }
    data.update(overrides)
    return data


def test_agent_creates_then_edits_an_article(client, db_session, kb_index, make_user, login_as):
    agent = login_as(make_user("agent", display_name="Nadia Rédactrice"))
    created = client.post("/base-de-connaissances/nouvel-article", data=form_data())
    assert created.status_code == 302
    assert created.headers["Location"].endswith(
        "/base-de-connaissances/le-tapir-a-oublie-son-code/modifier"
    )
    article = queries.get_article(db_session, "le-tapir-a-oublie-son-code")
    assert article.audience_list == ("parent", "eleve")
    assert article.tag_list == ("tapir", "code-oublie")
    assert article.updated_by_id == agent.id
    assert hit_slugs(client.get("/faq?q=tapirs").get_data(as_text=True)) == [article.slug]

    edit_url = f"/base-de-connaissances/{article.slug}/modifier"
    form = client.get(edit_url).get_data(as_text=True)
    assert 'name="revision" type="hidden" value="1"' in form
    edited = client.post(
        edit_url,
        data=form_data(
            title="Le capybara a oublié son code",
            summary="Que faire quand le capybara oublie son code.",
            tags="capybara",
            revision="1",
            note="Animal",
        ),
    )
    assert edited.status_code == 302
    assert hit_slugs(client.get("/faq?q=capybara").get_data(as_text=True)) == [article.slug]
    assert hit_slugs(client.get("/faq?q=tapir").get_data(as_text=True)) == []

    history = client.get(f"/base-de-connaissances/{article.slug}/historique")
    text = history.get_data(as_text=True)
    assert "2 versions" in text and "Nadia Rédactrice" in text and "Animal" in text
    old = client.get(f"/base-de-connaissances/{article.slug}/historique/1").get_data(as_text=True)
    assert "Rétablir cette version" in old and "Le tapir a oublié son code" in old
    changes = client.get(f"/base-de-connaissances/{article.slug}/historique/2")
    diff = changes.get_data(as_text=True)
    assert "- title: Le tapir a oublié son code" in diff
    assert "+ title: Le capybara a oublié son code" in diff


def test_form_errors_are_shown_in_french(client, kb_index, make_article, make_user, login_as):
    login_as(make_user("agent"))
    response = client.post(
        "/base-de-connaissances/nouvel-article",
        data=form_data(slug="Mauvais Slug", audiences=[], tags="deux mots"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choisissez un public." in page

    make_article("existe-deja")
    response = client.post(
        "/base-de-connaissances/nouvel-article",
        data=form_data(slug="existe-deja", tags="deux mots"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Un article porte déjà l&#39;identifiant « existe-deja »" in page
    assert "Mot-clé invalide : « deux mots »" in page


def test_a_stale_edit_is_refused(client, db_session, make_article, make_user, login_as):
    login_as(make_user("agent"))
    article = make_article("deux-agents")
    url = f"/base-de-connaissances/{article.slug}/modifier"
    first = client.post(url, data=form_data(title="Premier agent", revision="1"))
    assert first.status_code == 302
    second = client.post(url, data=form_data(title="Second agent", revision="1"))
    assert second.status_code == 422
    assert "modifié entre-temps" in second.get_data(as_text=True)
    db_session.expire_all()
    assert queries.get_article(db_session, article.slug).title == "Premier agent"


def test_preview_returns_sanitised_html(client, kb_index, make_user, login_as):
    login_as(make_user("agent"))
    body = "**gras** [lien](code-sms-non-recu.md)\n\n<script>alert(1)</script><img src=x onerror=y>"
    response = client.post("/base-de-connaissances/apercu", data={"body": body}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<strong>gras</strong>" in html
    assert 'href="/faq/code-sms-non-recu"' in html
    assert "script" not in html and "onerror" not in html and "<img" not in html


def test_publish_toggle_and_admin_delete(client, catalogue, kb_index, make_user, login_as):
    login_as(make_user("agent"))
    url = "/base-de-connaissances/zebu-parents"
    assert client.post(f"{url}/statut", data={"status": "draft"}).status_code == 302
    assert hit_slugs(client.get("/faq?q=zebu&public=parent").get_data(as_text=True)) == []
    assert client.get("/faq/zebu-parents").status_code == 200  # agents still see it
    assert client.post(f"{url}/statut", data={"status": "published"}).status_code == 302
    assert hit_slugs(client.get("/faq?q=zebu&public=parent").get_data(as_text=True)) == [
        "zebu-parents"
    ]
    assert client.post(f"{url}/supprimer").status_code == 403

    login_as(make_user("admin"))
    assert "Supprimer définitivement" in client.get(f"{url}/supprimer").get_data(as_text=True)
    assert client.post(f"{url}/supprimer").status_code == 302
    assert client.get("/faq/zebu-parents").status_code == 404
    assert "zebu-parents" not in kb_index.slugs()


def test_editor_list_filters_and_review_list(client, make_article, make_user, login_as):
    import datetime as dt

    login_as(make_user("agent"))
    make_article("vieux-lama", title="Le lama ancien", reviewed=dt.date(2024, 1, 10))
    make_article("jeune-lama", title="Le lama récent", status="draft")
    page = client.get("/base-de-connaissances").get_data(as_text=True)
    assert "1 article à relire" in page
    assert "Le lama ancien" in page and "Le lama récent" in page

    due = client.get("/base-de-connaissances?relire=1", headers=HTMX).get_data(as_text=True)
    assert "Le lama ancien" in due and "Le lama récent" not in due and "Marquer relu" in due
    drafts = client.get("/base-de-connaissances?statut=draft", headers=HTMX)
    assert "Le lama récent" in drafts.get_data(as_text=True)
    assert "Le lama ancien" not in drafts.get_data(as_text=True)
    searched = client.get("/base-de-connaissances?q=lamas", headers=HTMX).get_data(as_text=True)
    assert "Le lama ancien" in searched and "Le lama récent" in searched

    done = client.post(
        "/base-de-connaissances/vieux-lama/relu", data={"next": "https://ailleurs.example/"}
    )
    assert done.status_code == 302 and done.headers["Location"].startswith("/base-de")
    assert "à relire" not in client.get("/base-de-connaissances").get_data(as_text=True)


def test_pages_keep_to_the_content_security_policy(client, catalogue, make_user, login_as):
    login_as(make_user("admin"))
    urls = [
        "/faq",
        "/faq?q=zebu",
        "/faq/zebu-parents",
        "/base-de-connaissances",
        "/base-de-connaissances/nouvel-article",
        "/base-de-connaissances/zebu-parents/modifier",
        "/base-de-connaissances/zebu-parents/historique",
        "/base-de-connaissances/zebu-parents/historique/1",
        "/base-de-connaissances/zebu-parents/supprimer",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert not re.search(r"\sstyle=|\son[a-z]+=|<script>", page), url


SOURCE_LINE = "000_56091cbdd3bbe7de.txt | les synchronisations ont lieu toutes les nuits"


def test_editor_keeps_the_sources_and_flags_passages_not_found(
    client, db_session, kb_index, make_user, login_as
):
    login_as(make_user("agent"))
    created = client.post(
        "/base-de-connaissances/nouvel-article", data=form_data(sources=SOURCE_LINE)
    )
    assert created.status_code == 302
    article = queries.get_article(db_session, "le-tapir-a-oublie-son-code")
    assert article.sources == [
        {
            "seed": "000_56091cbdd3bbe7de.txt",
            "passage": "les synchronisations ont lieu toutes les nuits",
        }
    ]
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert SOURCE_LINE in page
    assert "sources-avertissement" not in page
    # A passage the document does not hold is saved but flagged to the editor.
    wrong = "000_56091cbdd3bbe7de.txt | les synchronisations ont lieu toutes les heures"
    edited = client.post(created.headers["Location"], data=form_data(sources=wrong, revision="1"))
    assert edited.status_code == 302
    page = client.get(edited.headers["Location"]).get_data(as_text=True)
    assert "sources-avertissement" in page and "Passage absent de 000_56091cbdd3bbe7de.txt" in page


def test_editor_refuses_a_source_that_names_no_document(
    client, db_session, kb_index, make_user, login_as
):
    login_as(make_user("agent"))
    response = client.post(
        "/base-de-connaissances/nouvel-article", data=form_data(sources="les nuits, page 3")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "document inconnu" in page and "les nuits, page 3" in page
    assert queries.get_article(db_session, "le-tapir-a-oublie-son-code") is None


def test_article_without_sources_is_flagged_to_its_editor(client, kb_index, make_user, login_as):
    login_as(make_user("agent"))
    page = client.get("/base-de-connaissances/nouvel-article").get_data(as_text=True)
    assert "Aucune source" in page
