"""Knowledge-base fixtures: a private article index per test, an article factory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpdesk.knowledge.access import (
    EXTENSION_KEY,
    SESSION_INDEX,
    database_generation,
    write_generation,
)
from helpdesk.knowledge.articles import load_articles
from helpdesk.knowledge.search import ArticleIndex
from tests.plugins.knowledge import KNOWLEDGE, make_doc


@pytest.fixture(scope="session")
def kb_index_template(tmp_path_factory) -> Path:
    """An index of the shipped articles, built once and copied for each test."""
    path = tmp_path_factory.mktemp("kb-index-template")
    index = ArticleIndex(path)
    index.rebuild(load_articles(KNOWLEDGE))
    index.close()
    return path


@pytest.fixture
def kb_index(app, db_session, tmp_path, kb_index_template) -> ArticleIndex:
    """This test's own copy of the index, used by the app and by `db_session`'s commits
    (the database changes are rolled back after the test: the index must not outlive them)."""
    path = tmp_path / "kb-index"
    shutil.copytree(kb_index_template, path)
    # The copy reflects the database as the test finds it: only the test's own commits (which
    # the index follows) change it, so no check of the generation rebuilds it under the test.
    write_generation(path, database_generation(app))
    index = ArticleIndex(path)
    previous = app.extensions.get(EXTENSION_KEY)
    app.extensions[EXTENSION_KEY] = index
    db_session.info[SESSION_INDEX] = index
    try:
        yield index
    finally:
        index.close()
        db_session.info.pop(SESSION_INDEX, None)
        if previous is None:
            app.extensions.pop(EXTENSION_KEY, None)
        else:
            app.extensions[EXTENSION_KEY] = previous


@pytest.fixture
def make_article(db_session, kb_index):
    """Create an article through the service and commit it (the index follows)."""
    from helpdesk.knowledge.services import create_article

    def _make(slug: str, actor=None, **overrides):
        article = create_article(db_session, make_doc(slug, **overrides), actor)
        db_session.commit()
        return article

    return _make
