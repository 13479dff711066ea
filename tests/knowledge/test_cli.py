"""`helpdesk kb import`, `helpdesk kb export`, `helpdesk reindex`, and the demo's articles."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from helpdesk.core.db import make_engine, make_sessionmaker
from helpdesk.knowledge.models import Article, ArticleRevision
from helpdesk.knowledge.search import ArticleIndex
from tests.plugins.cli import run
from tests.plugins.knowledge import KNOWLEDGE


def counts(url) -> tuple[int, int]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        articles = session.scalar(select(func.count()).select_from(Article))
        revisions = session.scalar(select(func.count()).select_from(ArticleRevision))
    engine.dispose()
    return articles, revisions


def index_of(tmp_path) -> ArticleIndex:
    return ArticleIndex(tmp_path / "instance" / "kb-index")


def test_import_export_round_trip_and_reindex(cli_env, tmp_path):  # noqa: F811
    shipped = sorted(KNOWLEDGE.glob("*.md"))
    run("db", "upgrade")
    imported = run("kb", "import")
    assert imported.exit_code == 0, imported.output
    assert f"{len(shipped)} article(s) créé(s), 0 mis à jour, 0 inchangé(s)." in imported.output
    assert counts(cli_env) == (len(shipped), len(shipped))

    again = run("kb", "import", str(KNOWLEDGE))
    assert f"0 article(s) créé(s), 0 mis à jour, {len(shipped)} inchangé(s)." in again.output
    assert counts(cli_env) == (len(shipped), len(shipped))

    out = tmp_path / "export"
    exported = run("kb", "export", str(out))
    assert exported.exit_code == 0, exported.output
    assert f"{len(shipped)} article(s) écrit(s)" in exported.output
    assert sorted(p.name for p in out.glob("*.md")) == [p.name for p in shipped]
    for path in shipped:
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name

    reindexed = run("reindex")
    assert reindexed.exit_code == 0, reindexed.output
    assert f"{len(shipped)} article(s) de la base" in reindexed.output
    index = index_of(tmp_path)
    assert index.doc_count() == len(shipped)
    assert index.search("code sms jamais recu", audiences=["parent"]).hits[0].slug == (
        "code-sms-non-recu"
    )


def test_import_of_a_changed_file_updates_the_index(cli_env, tmp_path):  # noqa: F811
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("code-sms-non-recu.md", "identifiant-oublie.md"):
        shutil.copy(KNOWLEDGE / name, folder / name)
    run("db", "upgrade")
    assert "2 article(s) créé(s)" in run("kb", "import", str(folder)).output
    path = folder / "identifiant-oublie.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Wombat et ", 1), encoding="utf-8")
    result = run("kb", "import", str(folder))
    assert "0 article(s) créé(s), 1 mis à jour, 1 inchangé(s)." in result.output
    assert counts(cli_env) == (2, 3)
    hits = index_of(tmp_path).search("wombat").hits
    assert [hit.slug for hit in hits] == ["identifiant-oublie"]


def test_import_refuses_invalid_files_and_says_why(cli_env, tmp_path):  # noqa: F811
    shutil.copy(KNOWLEDGE / "code-sms-non-recu.md", tmp_path / "code-sms-non-recu.md")
    (tmp_path / "mauvais.md").write_text("pas d'en-tête\n", encoding="utf-8")
    run("db", "upgrade")
    result = run("kb", "import", str(tmp_path))
    assert result.exit_code == 1
    assert "Aucun article importé" in result.output
    assert "mauvais.md : Le fichier doit commencer par un en-tête YAML" in result.output
    assert counts(cli_env) == (0, 0)
    missing = run("kb", "import", str(tmp_path / "absent"))
    assert missing.exit_code != 0


def test_reindex_on_an_empty_database_uses_the_shipped_files(cli_env, tmp_path):  # noqa: F811
    run("db", "upgrade")
    result = run("reindex")
    assert result.exit_code == 0, result.output
    assert "des fichiers livrés (base vide)" in result.output
    assert index_of(tmp_path).doc_count() == len(list(KNOWLEDGE.glob("*.md")))


def test_demo_imports_the_shipped_articles(cli_env, tmp_path):  # noqa: F811
    result = run("demo", "--tickets", "20")
    assert result.exit_code == 0, result.output
    shipped = len(list(KNOWLEDGE.glob("*.md")))
    assert f"{shipped} articles de la FAQ importés." in result.output
    assert counts(cli_env) == (shipped, shipped)
    assert index_of(tmp_path).doc_count() == shipped
