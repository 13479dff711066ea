"""Articles in the database: import/export round trip, revisions, validation, the index
following each committed change, articles due for review."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest
from sqlalchemy import func, select, update

from helpdesk.knowledge import queries, services
from helpdesk.knowledge.access import EXTENSION_KEY, article_index
from helpdesk.knowledge.articles import ArticleError
from helpdesk.knowledge.models import Article, ArticleRevision
from tests.plugins.knowledge import KNOWLEDGE, make_doc


def slugs_found(index, query, **kwargs) -> list[str]:
    return [hit.slug for hit in index.search(query, **kwargs).hits]


def revision_count(session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleRevision))


def test_import_then_export_gives_back_the_same_files(db_session, tmp_path):
    shipped = sorted(KNOWLEDGE.glob("*.md"))
    report = services.import_directory(db_session, KNOWLEDGE)
    db_session.commit()
    assert sorted(report.created) == [path.stem for path in shipped]
    assert revision_count(db_session) == len(shipped)

    out = tmp_path / "export"
    services.export_directory(db_session, out)
    exported = sorted(out.glob("*.md"))
    assert [p.name for p in exported] == [p.name for p in shipped]
    for path in shipped:
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name

    again = services.import_directory(db_session, out)
    assert again.created == [] and again.updated == []
    assert len(again.unchanged) == len(shipped)
    assert revision_count(db_session) == len(shipped)


def test_import_updates_changed_files_and_export_prunes(db_session, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("code-sms-non-recu.md", "identifiant-oublie.md"):
        shutil.copy(KNOWLEDGE / name, folder / name)
    services.import_directory(db_session, folder)
    path = folder / "code-sms-non-recu.md"
    path.write_text(path.read_text().replace("\n\n", "\n\nUne phrase ajoutée.\n\n", 1))
    report = services.import_directory(db_session, folder)
    assert report.updated == ["code-sms-non-recu"]
    assert report.unchanged == ["identifiant-oublie"]
    article = queries.get_article(db_session, "code-sms-non-recu")
    assert article.revision == 2 and "Une phrase ajoutée." in article.body

    (folder / "ancien-article.md").write_text("plus en base")
    export = services.export_directory(db_session, folder, prune=True)
    assert [p.name for p in export.removed] == ["ancien-article.md"]
    assert path.read_text().count("Une phrase ajoutée.") == 1


def test_import_refuses_a_folder_with_an_invalid_file(db_session, tmp_path):
    shutil.copy(KNOWLEDGE / "code-sms-non-recu.md", tmp_path / "code-sms-non-recu.md")
    (tmp_path / "casse.md").write_text(
        "---\ntitle: Sans rien\nslug: casse\nmotifs: [inconnu]\n---\n\nTexte.\n"
    )
    with pytest.raises(ArticleError) as caught:
        services.import_directory(db_session, tmp_path)
    message = str(caught.value)
    assert "Motif inconnu : « inconnu »" in message
    assert "Indiquez au moins un public" in message
    assert db_session.scalar(select(func.count()).select_from(Article)) == 0


def test_saving_validates_in_french(db_session, make_user):
    agent = make_user("agent")
    bad = make_doc("Pas Un Slug", motifs=("nope",), summary=" ", title="x" * 201)
    with pytest.raises(services.ArticleInvalid) as caught:
        services.create_article(db_session, bad, agent)
    problems = " ".join(caught.value.problems)
    assert "Identifiant (slug) invalide" in problems
    assert "Motif inconnu : « nope »" in problems
    assert "Le résumé (summary) est obligatoire." in problems

    services.create_article(db_session, make_doc("doublon"), agent)
    with pytest.raises(services.ArticleInvalid, match="déjà l'identifiant « doublon »"):
        services.create_article(db_session, make_doc("doublon"), agent)


def test_each_save_records_a_revision_and_the_index_follows(db_session, kb_index, make_user):
    agent = make_user("agent", display_name="Sophie Relectrice")
    article = services.create_article(
        db_session, make_doc("essai-revisions", title="Quadrature du cercle"), agent
    )
    db_session.commit()
    assert slugs_found(kb_index, "quadrature") == ["essai-revisions"]

    doc = dataclasses.replace(services.to_doc(article), title="Hippopotame des marais")
    assert services.update_article(db_session, article, doc, agent, "Nouveau titre")
    db_session.commit()
    assert slugs_found(kb_index, "hippopotames") == ["essai-revisions"]
    assert slugs_found(kb_index, "quadrature") == []

    assert not services.update_article(db_session, article, doc, agent, "Rien")
    revisions = queries.revisions_of(db_session, article)
    assert [(r.number, r.note, r.author_label) for r in revisions] == [
        (2, "Nouveau titre", "Sophie Relectrice"),
        (1, "Création", "Sophie Relectrice"),
    ]
    assert revisions[0].author_id == agent.id
    assert "title: Hippopotame des marais" in revisions[0].content
    assert "title: Quadrature du cercle" in revisions[1].content
    assert article.updated_by_id == agent.id and article.revision == 2


def test_rolled_back_changes_never_reach_the_index(db_session, kb_index):
    services.create_article(db_session, make_doc("annule", title="Ornithorynque masqué"))
    db_session.rollback()
    assert slugs_found(kb_index, "ornithorynque") == []
    services.create_article(db_session, make_doc("garde", title="Tamanoir distrait"))
    db_session.commit()
    assert slugs_found(kb_index, "ornithorynque") == []
    assert slugs_found(kb_index, "tamanoir") == ["garde"]


def test_an_edit_based_on_an_old_version_is_refused(db_session, make_article):
    article = make_article("concurrence")
    doc = dataclasses.replace(services.to_doc(article), summary="Première modification.")
    services.update_article(db_session, article, doc, expected_revision=1)
    db_session.commit()
    late = dataclasses.replace(doc, summary="Modification tardive.")
    with pytest.raises(services.ArticleConflict, match="modifié entre-temps"):
        services.update_article(db_session, article, late, expected_revision=1)

    # Another process saved since this session read the row: the UPDATE finds nothing.
    db_session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(revision=Article.revision + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(services.ArticleConflict):
        services.update_article(db_session, article, late)


def test_the_slug_does_not_change(db_session, make_article):
    article = make_article("slug-fixe")
    doc = dataclasses.replace(services.to_doc(article), slug="autre-slug")
    with pytest.raises(services.ArticleInvalid, match="ne change pas"):
        services.update_article(db_session, article, doc)


def test_publish_unpublish_and_delete_follow_in_the_index(db_session, kb_index, make_article):
    article = make_article("cycle-de-vie", title="Axolotl mexicain")
    services.set_status(db_session, article, "draft")
    db_session.commit()
    assert slugs_found(kb_index, "axolotl") == []
    assert slugs_found(kb_index, "axolotl", include_drafts=True) == ["cycle-de-vie"]
    services.set_status(db_session, article, "published")
    db_session.commit()
    assert slugs_found(kb_index, "axolotl") == ["cycle-de-vie"]

    article_id = article.id
    services.delete_article(db_session, article)
    db_session.commit()
    assert slugs_found(kb_index, "axolotl", include_drafts=True) == []
    assert queries.get_article(db_session, "cycle-de-vie") is None
    history = db_session.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.slug == "cycle-de-vie")
        .order_by(ArticleRevision.number)
    ).all()
    assert [r.note for r in history] == [
        "Création",
        "Retour en brouillon",
        "Publication",
        "Suppression",
    ]
    assert all(r.article_id is None for r in history)
    assert db_session.get(Article, article_id) is None


def test_restore_an_old_revision(db_session, make_article):
    article = make_article("retour-arriere", summary="Version d'origine.")
    doc = dataclasses.replace(services.to_doc(article), summary="Version remplacée.")
    services.update_article(db_session, article, doc)
    first = queries.get_revision(db_session, article, 1)
    assert services.restore_revision(db_session, article, first)
    assert article.summary == "Version d'origine." and article.revision == 3
    assert queries.revisions_of(db_session, article)[0].note == "Retour à la version 1"


def test_articles_due_for_review(db_session, make_article):
    today = dt.date(2026, 11, 30)
    make_article("relu-recemment", reviewed=dt.date(2026, 9, 1))
    make_article("relu-il-y-a-longtemps", reviewed=dt.date(2025, 10, 2))
    make_article("relu-pile-un-an", reviewed=dt.date(2025, 11, 30))
    cutoff = queries.review_cutoff(today, 12)
    assert cutoff == dt.date(2025, 11, 30)
    due = queries.list_articles(db_session, due_on_or_before=cutoff)
    assert [a.slug for a in due] == ["relu-il-y-a-longtemps", "relu-pile-un-an"]
    assert queries.count_due(db_session, cutoff) == 2
    assert queries.count_due(db_session, queries.review_cutoff(today, 2)) == 3

    article = queries.get_article(db_session, "relu-pile-un-an")
    services.mark_reviewed(db_session, article, today)
    assert queries.count_due(db_session, cutoff) == 1
    assert queries.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert queries.months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_list_filters_match_whole_codes(db_session, make_article):
    make_article("pour-directeurs", audiences=("directeur",), motifs=("notification_directeur",))
    make_article("pour-tous", audiences=("parent", "directeur"), motifs=("compte_eleve",))
    make_article("brouillon-eleve", audiences=("eleve",), status="draft")
    by_audience = queries.list_articles(db_session, audience="directeur")
    assert {a.slug for a in by_audience} == {"pour-directeurs", "pour-tous"}
    by_motif = queries.list_articles(db_session, motif="compte_eleve")
    assert [a.slug for a in by_motif] == ["pour-tous"]
    # "_" is a LIKE wildcard: a code must not match a look-alike.
    assert queries.list_articles(db_session, motif="compte-eleve") == []
    assert [a.slug for a in queries.list_articles(db_session, status="draft")] == [
        "brouillon-eleve"
    ]


def test_the_app_index_is_built_from_the_database_when_it_has_articles(
    app, db_session, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, None)
    monkeypatch.setitem(app.config, "KB_INDEX_DIR", str(tmp_path / "from-files"))
    from_files = article_index(app)
    assert from_files.doc_count() == len(list(KNOWLEDGE.glob("*.md")))
    from_files.close()

    services.create_article(db_session, make_doc("seul-en-base", title="Pangolin solitaire"))
    db_session.commit()
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, None)
    monkeypatch.setitem(app.config, "KB_INDEX_DIR", str(tmp_path / "from-database"))
    from_database = article_index(app)
    assert from_database.slugs() == {"seul-en-base"}
    assert article_index(app) is from_database
    from_database.close()
