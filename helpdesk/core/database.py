"""One SQLAlchemy session per request, from the engine the app was configured with.

Every request starts on a session of its own and ends by rolling back whatever it left
uncommitted, so a failed transaction never reaches the next request. When the database drops
the connection in the middle of a read-only request, the page is computed again once on a
fresh connection; a request that writes is never retried, and its client is told that
nothing was recorded (503) unless the commit went through.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, current_app, g, render_template, request
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.core.db import make_engine, make_sessionmaker, sqlite_write_intent

log = logging.getLogger(__name__)
READ_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass
class Database:
    engine: Engine
    session_factory: sessionmaker[Session]


def init_app(app: Flask) -> Database:
    engine = make_engine(app.config["DATABASE_URL"])
    database = Database(engine, make_sessionmaker(engine))
    app.extensions["helpdesk_db"] = database
    _retry_reads_once(app)
    app.register_error_handler(DBAPIError, _database_unavailable)

    @app.before_request
    def _declare_write_intent() -> None:
        # Only requests that change something take SQLite's write lock up front.
        g._write_intent_token = sqlite_write_intent.set(request.method not in READ_METHODS)

    @app.teardown_request
    @app.teardown_appcontext
    def _close_session(exc: BaseException | None) -> None:
        _discard_session()
        token = g.pop("_write_intent_token", None)
        if token is not None:
            sqlite_write_intent.reset(token)

    return database


def connection_lost(exc: BaseException) -> bool:
    """Whether the error is the database connection going away (not a refused statement)."""
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _discard_session() -> None:
    """Close the request's session: what it left uncommitted is rolled back as its
    connection goes back to the pool (the pool's reset on return)."""
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except DBAPIError:  # the connection is gone already: the pool replaces it
        log.info("closing a session whose connection was lost")


def _retry_reads_once(app: Flask) -> None:
    view = app.dispatch_request

    def dispatch_request():
        try:
            return view()
        except DBAPIError as exc:
            if request.method not in READ_METHODS or not connection_lost(exc):
                raise
            log.warning("database connection lost during a read: retrying once")
            _discard_session()
            # The signed-in user was loaded through the lost session: load it again.
            g.pop("_login_user", None)
            return view()

    app.dispatch_request = dispatch_request  # type: ignore[method-assign]


def _database_unavailable(exc: DBAPIError):
    """A lost or refused connection: the client learns that nothing was recorded."""
    if not (connection_lost(exc) or isinstance(exc, OperationalError)):
        # A refused statement leaves the session's transaction aborted: the error page is
        # drawn on a fresh one (it loads the signed-in user).
        _discard_session()
        raise exc
    log.error("database unavailable: %s", type(exc.orig).__name__)
    _discard_session()
    # The page is drawn for a visitor: loading the signed-in user needs the database.
    from helpdesk.core.extensions import login_manager

    g._login_user = login_manager.anonymous_user()
    message = (
        "La base de données ne répond pas. Rien n'a été enregistré : réessayez dans un instant."
    )
    body = render_template("errors/503.html", code=503, message=message)
    return body, 503, {"Retry-After": "5"}


def database() -> Database:
    return current_app.extensions["helpdesk_db"]


def session_factory() -> sessionmaker[Session]:
    """The running app's session factory, for commands and jobs that manage their sessions."""
    return database().session_factory


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = database().session_factory()
    return g.db_session
