"""The shipped FAQ articles in an index of their own, installed as the app's index."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.access import EXTENSION_KEY, KNOWLEDGE_DIR, write_generation
from helpdesk.knowledge.articles import load_articles
from helpdesk.knowledge.search import ArticleIndex


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory) -> ArticleIndex:
    index = ArticleIndex(tmp_path_factory.mktemp("shipped-kb"))
    index.rebuild(load_articles(KNOWLEDGE_DIR))
    # The suite's database holds no article outside a test's transaction (generation 0).
    write_generation(index.path, 0)
    return index


@pytest.fixture
def kb(app, shipped_index) -> ArticleIndex:
    saved = app.extensions.get(EXTENSION_KEY)
    app.extensions[EXTENSION_KEY] = shipped_index
    yield shipped_index
    if saved is None:
        app.extensions.pop(EXTENSION_KEY, None)
    else:
        app.extensions[EXTENSION_KEY] = saved


@pytest.fixture(scope="session")
def audiences_of() -> dict[str, tuple[str, ...]]:
    """Slug -> audiences of every shipped article."""
    return {doc.slug: doc.audiences for doc in load_articles(KNOWLEDGE_DIR)}
