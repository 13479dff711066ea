"""The article index of a running app: one per process, opened on first use, and kept in
step with the database.

Each node of the application keeps its own index folder. A change committed through this
process is applied to the index at once; a change committed elsewhere (another node, a
command) raises the database's index generation, which every process compares with the one
its folder reflects, at most once every ``KB_SYNC_SECONDS``, rebuilding the folder when it is
behind. The generation is one primary-key read; a rebuild of the 49 shipped articles costs
about 0.2 s of CPU.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from helpdesk.core import shared
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
#: File of the index folder: the database generation the folder reflects.
GENERATION_FILE = "db-generation"
CHECKED_KEY = "helpdesk_article_index_checked"

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
    """The app's ArticleIndex; rebuilt from the current articles when it is new, or behind
    a change committed by another node."""
    index = app.extensions.get(EXTENSION_KEY)
    if index is None:
        index = ArticleIndex(app.config["KB_INDEX_DIR"])
        app.extensions[EXTENSION_KEY] = index
        if index.needs_rebuild:
            _rebuild(app, index)
            return index
    _follow_database(app, index)
    return index


def rebuild_index(app: Flask) -> tuple[str, int]:
    """Rebuild the index from the current articles; return their source and count."""
    index = app.extensions.get(EXTENSION_KEY) or ArticleIndex(app.config["KB_INDEX_DIR"])
    source, count = _rebuild(app, index)
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


def _rebuild(app: Flask, index: ArticleIndex) -> tuple[str, int]:
    # The generation is read first: the folder never claims a change it did not index.
    generation = database_generation(app)
    source, docs = current_docs(app)
    count = index.rebuild(docs)
    write_generation(index.path, generation)
    app.extensions[CHECKED_KEY] = time.monotonic()
    return source, count


def database_generation(app: Flask) -> int:
    token = sqlite_write_intent.set(False)
    try:
        with app.extensions["helpdesk_db"].session_factory() as session:
            return shared.generation(session, services.INDEX_GENERATION)
    finally:
        sqlite_write_intent.reset(token)


def indexed_generation(path: Path) -> int | None:
    """The database generation the index folder reflects (None: unknown, rebuild)."""
    try:
        return int((Path(path) / GENERATION_FILE).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def write_generation(path: Path, generation: int) -> None:
    target = Path(path) / GENERATION_FILE
    tmp = target.with_name(f"{GENERATION_FILE}.{os.getpid()}.tmp")
    tmp.write_text(f"{generation}\n")
    tmp.replace(target)


def _follow_database(app: Flask, index: ArticleIndex) -> None:
    """Rebuild the index when another node changed the articles since it was written."""
    every = float(app.config.get("KB_SYNC_SECONDS", 2.0))
    now = time.monotonic()
    if now - app.extensions.get(CHECKED_KEY, float("-inf")) < every:
        return
    app.extensions[CHECKED_KEY] = now
    if database_generation(app) == indexed_generation(index.path):
        return
    try:
        _rebuild(app, index)
    except IndexBusyError:
        # Another process of this node is rebuilding the same folder: searches go on with
        # the index as it stands, and the next check looks again.
        log.warning("Index des articles occupé : reconstruction remise")


def _apply_committed_changes(session: Session) -> None:
    changes, generation = services.take_index_changes(session)
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
        # The database change stands; the next check of the generation rebuilds the index.
        log.exception("Index des articles non mis à jour : %s", ", ".join(changes))
        return
    if generation is not None and indexed_generation(index.path) == generation - 1:
        # Nothing committed elsewhere in between: the folder is now at this generation.
        write_generation(index.path, generation)


def _forget_changes(session: Session, transaction) -> None:
    # Reached after a commit (whose changes were taken above) or a rollback or close.
    if transaction.parent is None:
        services.forget_index_changes(session)
