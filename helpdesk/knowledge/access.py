"""The article index of a running app: one per process, opened on first use, and kept in
step with the database by applying each committed article change."""

from __future__ import annotations

import logging

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from helpdesk.core.config import PROJECT_ROOT
from helpdesk.core.db import sqlite_write_intent
from helpdesk.knowledge import services
from helpdesk.knowledge.articles import ArticleDoc, load_articles
from helpdesk.knowledge.queries import all_docs, has_articles
from helpdesk.knowledge.search import ArticleIndex, IndexBusyError

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
EXTENSION_KEY = "helpdesk_article_index"
#: session.info key: an ArticleIndex to update after commit, for sessions outside an app.
SESSION_INDEX = "kb_index"

log = logging.getLogger(__name__)


def current_docs(app: Flask) -> tuple[str, list[ArticleDoc]]:
    """The articles to index and where they come from: the database when it holds any,
    else the shipped files."""
    # A read on a connection of its own: it must not wait for the write lock that the
    # current request may hold on SQLite.
    token = sqlite_write_intent.set(False)
    try:
        with app.extensions["helpdesk_db"].session_factory() as session:
            if has_articles(session):
                return "database", all_docs(session)
    finally:
        sqlite_write_intent.reset(token)
    return "files", load_articles(KNOWLEDGE_DIR)


def article_index(app: Flask) -> ArticleIndex:
    """The app's ArticleIndex; built from the current articles when it is new or outdated."""
    index = app.extensions.get(EXTENSION_KEY)
    if index is None:
        index = ArticleIndex(app.config["KB_INDEX_DIR"])
        if index.needs_rebuild:
            index.rebuild(current_docs(app)[1])
        app.extensions[EXTENSION_KEY] = index
    return index


def rebuild_index(app: Flask) -> tuple[str, int]:
    """Rebuild the index from the current articles; return their source and count."""
    source, docs = current_docs(app)
    index = app.extensions.get(EXTENSION_KEY) or ArticleIndex(app.config["KB_INDEX_DIR"])
    count = index.rebuild(docs)
    app.extensions[EXTENSION_KEY] = index
    return source, count


def keep_index_in_step() -> None:
    """Apply each committed article change to the article index, from any session.

    Articles are written by requests, commands and tests through sessions of several
    factories, so the hooks sit on the Session class; they are registered by the app factory
    rather than at import so that importing this module changes nothing, and registering
    again (one app per test) leaves a single pair of hooks.
    """
    for name, hook in (
        ("after_commit", _apply_committed_changes),
        ("after_transaction_end", _forget_changes),
    ):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def _apply_committed_changes(session: Session) -> None:
    changes = services.take_index_changes(session)
    if not changes:
        return
    index = session.info.get(SESSION_INDEX)
    if index is None and has_app_context():
        index = article_index(current_app)
    if index is None:
        return
    updated = [doc for doc in changes.values() if doc is not None]
    removed = [slug for slug, doc in changes.items() if doc is None]
    try:
        index.apply(updated=updated, removed=removed)
    except IndexBusyError:
        # The database change stands; `helpdesk reindex` brings the index back in step.
        log.exception("Index des articles non mis à jour : %s", ", ".join(changes))


def _forget_changes(session: Session, transaction) -> None:
    # Reached after a commit (whose changes were taken above) or a rollback or close.
    if transaction.parent is None:
        services.forget_index_changes(session)
