"""FAQ search: French analysis, synonyms, typos, highlighting, facets, visibility, writers."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from pathlib import Path

import pytest

from helpdesk.knowledge.articles import ArticleDoc, load_articles
from helpdesk.knowledge.search import SCHEMA_VERSION, ArticleIndex, IndexBusyError
from helpdesk.util.text import search_key

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def make_doc(slug: str, **overrides) -> ArticleDoc:
    values = {
        "slug": slug,
        "title": f"Article {slug}",
        "audiences": ("parent",),
        "motifs": ("autre",),
        "tags": ("essai",),
        "status": "published",
        "reviewed": dt.date(2026, 11, 1),
        "summary": "Un article d'essai.",
        "body": "Un texte d'essai.\n",
    }
    values.update(overrides)
    return ArticleDoc(**values)


@pytest.fixture(scope="module")
def docs() -> list[ArticleDoc]:
    return load_articles(KNOWLEDGE)


@pytest.fixture(scope="module")
def index(docs, tmp_path_factory) -> ArticleIndex:
    ix = ArticleIndex(tmp_path_factory.mktemp("kb-index"))
    assert ix.rebuild(docs) == len(docs)
    return ix


@pytest.fixture
def empty_index(tmp_path) -> ArticleIndex:
    return ArticleIndex(tmp_path / "index")


def top(index: ArticleIndex, query: str, audiences=("parent",)) -> str | None:
    result = index.search(query, audiences=None if audiences is None else list(audiences))
    return result.hits[0].slug if result.hits else None


PARENT_QUERIES = [
    ("code sms jamais recu", "code-sms-non-recu"),
    ("texto pas arrivé", "code-sms-non-recu"),
    ("mdp oublie", "mot-de-passe-oublie"),
    ("mot de passe oublié", "mot-de-passe-oublie"),
    ("mon fils napparait pas", "enfant-absent-du-compte"),
    ("ma fille n'apparaît pas sur mon compte", "enfant-absent-du-compte"),
    ("educonnet bloque", "compte-bloque"),
    ("mail de confirmation pas recu", "mail-de-confirmation-non-recu"),
    ("lien expiré", "lien-activation-expire"),
    ("changer numero portable", "changer-numero-de-portable"),
    ("changer adresse mail", "changer-adresse-mail"),
    ("fc marche pas", "franceconnect-ne-fonctionne-pas"),
    ("livret pas visible", "livret-scolaire-non-visible"),
    ("identifiant perdu", "identifiant-oublie"),
    ("date de naissance refusée", "date-de-naissance-refusee"),
    ("j'ai deux comptes", "regrouper-enfants-deux-comptes"),
    ("ma fille est en maternelle", "maternelle-aucun-service"),
    ("bourse college", "teleservices-bourses-orientation"),
    ("supprimer mes données", "donnees-personnelles-rgpd"),
    ("horaires assistance telephone", "contacter-assistance"),
    ("mot de passe provisoire expiré", "mot-de-passe-provisoire-refuse"),
    ("mot de passe refusé caractères", "regles-du-mot-de-passe"),
    ("numero inconnu", "numero-inconnu-ou-different"),
    ("pas d'adresse mail", "pas-d-adresse-mail"),
    ("grand mere", "grands-parents-familles-accueil"),
    ("pronote marche pas", "educonnect-fonctionne-mais-pas-ent"),
    ("enfant pas le mien", "enfant-qui-n-est-pas-le-mien"),
    ("changement d'école", "changement-d-ecole"),
    ("je n'ai pas de compte", "je-n-ai-pas-de-compte"),
]

DIRECTOR_QUERIES = [
    ("notifier les parents", "directeur-notifier-les-responsables"),
    ("parents sans portable", "directeur-parents-sans-portable"),
    ("statistiques activation", "directeur-statistiques-etats-des-comptes"),
    ("renotifier sans reinitialiser mot de passe", "directeur-renotifier-reinitialiser"),
    ("rentrée notification", "directeur-rentree-scolaire"),
    ("delai synchronisation siecle", "directeur-delais-synchronisation"),
    ("doublon responsable", "directeur-doublon-responsable"),
    ("dépannage élève délégation", "directeur-comptes-eleves"),
]


@pytest.mark.parametrize(("query", "expected"), PARENT_QUERIES)
def test_what_parents_type_finds_the_right_article_first(index, query, expected):
    assert top(index, query) == expected


@pytest.mark.parametrize(("query", "expected"), DIRECTOR_QUERIES)
def test_what_directors_type_finds_the_right_article_first(index, query, expected):
    assert top(index, query, audiences=("directeur",)) == expected


def test_agents_find_their_procedures(index):
    assert top(index, "lire un diagnostic", audiences=None) == "agent-lire-un-diagnostic"
    assert top(index, "demande rgpd dpd", audiences=("agent",)) == "agent-traiter-demande-rgpd"


@pytest.mark.parametrize(
    "variants",
    [
        ("compte bloqué", "compte bloquée", "compte bloquer", "compte bloquee", "COMPTE BLOQUE"),
        ("élève identifiant perdu", "eleve identifiant perdu", "ÉLÈVES identifiants perdus"),
        ("notification", "notifications", "notifier", "notifié"),
    ],
)
def test_accents_plurals_and_verb_forms_give_the_same_results(index, variants):
    rankings = {
        tuple(h.slug for h in index.search(v, audiences=None, limit=5).hits) for v in variants
    }
    assert len(rankings) == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("confirmaton mail", "mail-de-confirmation-non-recu"),
        ("identifaint oublié", "identifiant-oublie"),
        ("mot de pase oublie", "mot-de-passe-oublie"),
        ("materenlle", "maternelle-aucun-service"),
    ],
)
def test_typos_are_tolerated(index, query, expected):
    assert top(index, query) == expected


def test_typo_needs_a_word_of_five_letters(index):
    assert index.search("lsx", audiences=["parent"]).total == 0


def test_exact_word_ranks_before_a_near_spelling(empty_index):
    empty_index.rebuild(
        [
            make_doc("exact", title="Réglage du parent", body="Le parent règle tout.\n"),
            make_doc("voisin", title="Réglage du patent", body="Le patent règle tout.\n"),
        ]
    )
    assert [h.slug for h in empty_index.search("parent").hits] == ["exact"]
    assert [h.slug for h in empty_index.search("pareny").hits] == ["exact"]


def test_synonyms_reach_articles_written_in_other_words(empty_index):
    empty_index.rebuild(
        [
            make_doc("mdp", title="Changer son mot de passe", body="Texte.\n"),
            make_doc("courriel", title="Adresse électronique", body="Le courriel.\n"),
            make_doc("autre", title="Tout autre chose", body="Rien.\n"),
        ]
    )
    assert [h.slug for h in empty_index.search("mdp").hits] == ["mdp"]
    assert [h.slug for h in empty_index.search("password").hits] == ["mdp"]
    assert [h.slug for h in empty_index.search("e-mail").hits] == ["courriel"]
    assert [h.slug for h in empty_index.search("email").hits] == ["courriel"]


def test_excerpts_highlight_matches_and_escape_everything_else(empty_index):
    body = "Préambule.\n\nTapez `<b>gras</b>` & votre mot de passe, puis le mot suivant.\n"
    empty_index.add_or_update(make_doc("html", title="Essai <i>titre</i>", body=body))
    hit = empty_index.search("mdp essai").hits[0]
    assert "<mark>mot de passe</mark>" in hit.excerpt_html
    assert "&lt;b&gt;gras&lt;/b&gt;" in hit.excerpt_html and "&amp;" in hit.excerpt_html
    assert hit.title_html == "<mark>Essai</mark> &lt;i&gt;titre&lt;/i&gt;"
    for html in (hit.excerpt_html, hit.title_html):
        assert re.sub(r"</?mark>", "", html).count("<") == 0
    assert "<mark>mot</mark> suivant" not in hit.excerpt_html


def test_excerpt_shows_the_passage_with_the_matches(index):
    hit = index.search("code sms 30 minutes", audiences=["parent"]).hits[0]
    assert hit.slug == "code-sms-non-recu"
    assert "<mark>30</mark> <mark>minutes</mark>" in hit.excerpt_html
    assert len(re.sub(r"</?mark>", "", hit.excerpt_html)) < 300


def test_facets_count_matches_and_filters_combine(index):
    everything = index.search("mot de passe", audiences=None, limit=100)
    by_motif = index.search("mot de passe", audiences=None, motifs=["compte_eleve"], limit=100)
    assert by_motif.total == everything.facets["motif"]["compte_eleve"]
    assert all("compte_eleve" in h.motifs for h in by_motif.hits)
    # A facet ignores its own filter, so the other choices stay visible.
    assert by_motif.facets["motif"] == everything.facets["motif"]
    both = index.search(
        "mot de passe", audiences=None, motifs=["compte_eleve"], tags=["depannage-eleve"]
    )
    assert both.total == by_motif.facets["tag"]["depannage-eleve"]
    assert all("depannage-eleve" in h.tags for h in both.hits)
    assert sum(everything.facets["audience"].values()) >= everything.total
    assert everything.total == len(everything.hits)


def test_drafts_are_hidden_unless_asked(index):
    draft = "resultats-examens-educonnect"
    assert draft not in [h.slug for h in index.search("résultats examens", limit=50).hits]
    found = index.search("résultats examens", include_drafts=True).hits
    assert found[0].slug == draft and found[0].status == "draft"
    assert draft not in [s.slug for s in index.suggest("résultats exam", audiences=None)]


@pytest.mark.parametrize(
    "query",
    ["diagnostic", "doublon responsable", "procédure", "demande rgpd", "notifier", "statistiques"],
)
def test_parents_never_get_agent_or_director_articles(index, docs, query):
    allowed = {d.slug for d in docs if "parent" in d.audiences and d.is_published}
    result = index.search(query, audiences=["parent"], limit=100)
    assert {h.slug for h in result.hits} <= allowed
    assert set(result.facets["audience"]) <= {"parent", "eleve", "directeur"}
    assert all("parent" in h.audiences for h in result.hits)
    suggested = index.suggest(query[:-1], audiences=["parent"], limit=10)
    assert {s.slug for s in suggested} <= allowed


def test_no_audience_means_no_article(index):
    assert index.search("mot de passe", audiences=[]).total == 0


def test_empty_query_lists_visible_articles_by_title(index, docs):
    result = index.search("", audiences=["directeur"], limit=100)
    expected = [d for d in docs if "directeur" in d.audiences and d.is_published]
    assert result.total == len(expected)
    titles = [h.title for h in result.hits]
    assert titles == sorted(titles, key=search_key)
    assert titles[0].startswith("Accéder")


def test_stop_words_only_match_nothing(index):
    assert index.search("le la les de", audiences=None).total == 0


def test_suggestions_complete_the_last_word(index):
    assert index.suggest("mot de pa", audiences=["parent"])[0].slug == "mot-de-passe-oublie"
    assert index.suggest("date de nai", audiences=["parent"])[0].slug == (
        "date-de-naissance-refusee"
    )
    assert index.suggest("notif", audiences=["directeur"])[0].slug == (
        "directeur-notifier-les-responsables"
    )
    assert len(index.suggest("compte", audiences=["parent"], limit=3)) == 3
    assert index.suggest("", audiences=["parent"]) == []
    assert index.suggest("zzzzq", audiences=["parent"]) == []


def test_index_follows_add_update_and_remove(empty_index):
    assert empty_index.needs_rebuild
    assert empty_index.search("cantine").total == 0
    assert empty_index.search("").total == 0
    assert empty_index.suggest("cant") == []
    empty_index.rebuild([make_doc("premier", title="Premier article sur la cantine")])
    assert not empty_index.needs_rebuild
    assert empty_index.search("cantine").total == 1

    empty_index.add_or_update(make_doc("second", title="Horaires de la garderie"))
    assert [h.slug for h in empty_index.search("garderie").hits] == ["second"]

    empty_index.add_or_update(make_doc("second", title="Horaires du périscolaire"))
    assert empty_index.search("garderie").total == 0
    assert [h.slug for h in empty_index.search("périscolaire").hits] == ["second"]
    assert empty_index.slugs() == {"premier", "second"}

    assert empty_index.remove("second") is True
    assert empty_index.remove("second") is False
    assert empty_index.search("périscolaire").total == 0
    assert empty_index.slugs() == {"premier"}

    empty_index.add_or_update(make_doc("premier", status="draft"))
    assert empty_index.search("cantine").total == 0
    assert empty_index.doc_count() == 1


def test_a_commit_by_another_instance_is_visible_to_a_reader(tmp_path):
    reader = ArticleIndex(tmp_path)
    writer = ArticleIndex(tmp_path)
    reader.rebuild([make_doc("ancien", title="Ancien article")])
    assert reader.search("nouveau").total == 0
    writer.add_or_update(make_doc("nouveau", title="Nouveau sujet"))
    assert [h.slug for h in reader.search("nouveau sujet").hits] == ["nouveau"]
    writer.remove("ancien")
    assert reader.search("ancien").total == 0


def _write_articles(path: str, prefix: str, count: int) -> None:
    index = ArticleIndex(path, lock_timeout=60)
    for number in range(count):
        index.add_or_update(make_doc(f"{prefix}-{number}", title=f"Sujet {prefix} {number}"))


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    ArticleIndex(tmp_path).rebuild([make_doc("socle")])
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_write_articles, args=(str(tmp_path), name, 20))
        for name in ("alpha", "beta")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    expected = {"socle"} | {f"{p}-{n}" for p in ("alpha", "beta") for n in range(20)}
    assert ArticleIndex(tmp_path).slugs() == expected


def test_a_writer_that_cannot_get_the_lock_fails_clearly(tmp_path):
    from whoosh.filedb.filestore import FileStorage

    ArticleIndex(tmp_path).rebuild([make_doc("socle")])
    lock = FileStorage(str(tmp_path)).lock("articles_WRITELOCK")
    assert lock.acquire()
    try:
        with pytest.raises(IndexBusyError):
            ArticleIndex(tmp_path, lock_timeout=0.2).add_or_update(make_doc("bloque"))
    finally:
        lock.release()
    ArticleIndex(tmp_path).add_or_update(make_doc("apres"))
    assert ArticleIndex(tmp_path).slugs() == {"socle", "apres"}


def test_an_index_of_another_schema_version_is_recreated(tmp_path):
    ArticleIndex(tmp_path).rebuild([make_doc("socle")])
    assert not ArticleIndex(tmp_path).needs_rebuild
    (tmp_path / "helpdesk-schema-version").write_text(SCHEMA_VERSION + "-ancien\n")
    reopened = ArticleIndex(tmp_path)
    assert reopened.needs_rebuild
    assert reopened.doc_count() == 0
    assert not ArticleIndex(tmp_path).needs_rebuild


def test_an_index_whose_schema_cannot_be_read_is_started_afresh(tmp_path, monkeypatch):
    from whoosh.filedb.filestore import FileStorage

    ArticleIndex(tmp_path).close()

    def unreadable(self, indexname=None):
        raise AttributeError("Can't get attribute '_FrenchFilter'")

    monkeypatch.setattr(FileStorage, "index_exists", unreadable)
    monkeypatch.setattr(FileStorage, "open_index", unreadable)
    reopened = ArticleIndex(tmp_path)

    assert reopened.needs_rebuild
