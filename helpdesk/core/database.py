"""One SQLAlchemy session per request, from the engine the app was configured with."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.core.db import make_engine, make_sessionmaker, sqlite_write_intent


@dataclass
class Database:
    engine: Engine
    session_factory: sessionmaker[Session]


def init_app(app: Flask) -> Database:
    engine = make_engine(app.config["DATABASE_URL"])
    database = Database(engine, make_sessionmaker(engine))
    app.extensions["helpdesk_db"] = database

    @app.before_request
    def _declare_write_intent() -> None:
        # Only requests that change something take SQLite's write lock up front.
        g._write_intent_token = sqlite_write_intent.set(
            request.method not in ("GET", "HEAD", "OPTIONS")
        )

    @app.teardown_request
    @app.teardown_appcontext
    def _close_session(exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()
        token = g.pop("_write_intent_token", None)
        if token is not None:
            sqlite_write_intent.reset(token)

    return database


def database() -> Database:
    return current_app.extensions["helpdesk_db"]


def session_factory() -> sessionmaker[Session]:
    """The running app's session factory, for commands and jobs that manage their sessions."""
    return database().session_factory


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = database().session_factory()
    return g.db_session
