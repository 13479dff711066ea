"""The article index of a running app: one per process, opened on first use."""

from __future__ import annotations

from flask import Flask

from helpdesk.config import PROJECT_ROOT
from helpdesk.knowledge.articles import load_articles
from helpdesk.knowledge.search import ArticleIndex

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"


def article_index(app: Flask) -> ArticleIndex:
    """The app's ArticleIndex; built from the shipped articles when it is new or outdated."""
    index = app.extensions.get("helpdesk_article_index")
    if index is None:
        index = ArticleIndex(app.config["KB_INDEX_DIR"])
        if index.needs_rebuild:
            index.rebuild(load_articles(KNOWLEDGE_DIR))
        app.extensions["helpdesk_article_index"] = index
    return index
