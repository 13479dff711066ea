"""Shared fixtures: a migrated database (SQLite or PostgreSQL), the app, factories.

The helpers that test modules import live in `tests/plugins/`; the fixtures of those
plugins are registered below for the whole suite.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from helpdesk.auth.passwords import hash_password
from helpdesk.core.db import make_engine
from tests.plugins.database import PASSWORD, fresh_database_url, uai_for

pytest_plugins = ["tests.plugins.cli", "tests.plugins.processes", "tests.plugins.search"]

_PASSWORD_HASH = hash_password(PASSWORD)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    from helpdesk.core.migrate import upgrade

    url = fresh_database_url(tmp_path_factory.mktemp("db"), "suite")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url):
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from helpdesk import create_app

    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "tests-secret-key",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "ATTACHMENT_DIR": str(instance / "attachments"),
            "KB_INDEX_DIR": str(instance / "kb-index"),
            "PUBLIC_URL": "http://helpdesk.test",
            # One node: its tests count a page's queries, and those of the checks for changes
            # made on other nodes would come and go with the clock (tests/core and tests/nodes
            # run several nodes of their own).
            "KB_SYNC_SECONDS": 3600,
            "CLASSIFY_SYNC_SECONDS": 3600,
        }
    )
    return application


class RequestSession(Session):
    """A request's session that releases, on close, a savepoint it wrote nothing in.

    Requests share the test's connection, so the savepoint of a request's session encloses
    those of sessions opened during the request (audit entries are committed in their own
    short session). Rolling it back on close would undo that committed work, which separate
    connections keep in production.
    """

    def close(self) -> None:
        transaction = self.get_transaction()
        unchanged = not (self.info.get("flushed") or self.new or self.dirty or self.deleted)
        if transaction is not None and transaction.is_active and unchanged:
            self.commit()
        super().close()


@event.listens_for(RequestSession, "after_flush")
def _mark_flushed(session, flush_context) -> None:
    session.info["flushed"] = True


@event.listens_for(RequestSession, "after_commit")
@event.listens_for(RequestSession, "after_soft_rollback")
def _clear_flushed(session, *args) -> None:
    session.info.pop("flushed", None)


@pytest.fixture(autouse=True)
def request_limits_off():
    """Each test starts with the shared request limiter off and empty.

    Flask-Limiter is one object for the whole process: an application created with limits on
    (a test's own) switches them on for every later test of the worker. A test that checks
    the limits creates its limited application after this, which switches them back on.
    """
    from helpdesk.core.extensions import limiter

    limiter.enabled = False
    yield
    limiter.enabled = False


@pytest.fixture
def db_session(app, engine):
    """A session inside a transaction rolled back after the test; requests share it."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    database = app.extensions["helpdesk_db"]
    original = database.session_factory

    def _factory():
        return RequestSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    database.session_factory = _factory
    try:
        yield session
    finally:
        database.session_factory = original
        session.close()
        if outer.is_active:
            outer.rollback()
        connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def ctx(app):
    from helpdesk.core.runtime import service_context

    return service_context(app)


_counter = itertools.count(1)


@pytest.fixture
def make_school(db_session):
    from helpdesk.schools.models import School
    from helpdesk.util.text import search_key

    def _make(**overrides) -> School:
        n = next(_counter)
        values = {
            "uai": uai_for(2100000 + n),
            "name": f"École élémentaire Test {n}",
            "type": "elementaire",
            "commune": "Dijon",
        }
        values.update(overrides)
        values["search_key"] = search_key(values["name"], values["commune"], values["uai"])
        school = School(**values)
        db_session.add(school)
        db_session.flush()
        return school

    return _make


@pytest.fixture
def make_user(db_session):
    from helpdesk.auth.models import User

    def _make(role: str = "agent", schools=(), **overrides) -> User:
        n = next(_counter)
        values = {
            "email": f"{role}{n}@ac-test.fr",
            "display_name": f"{role.title()} {n}",
            "role": role,
            "password_hash": _PASSWORD_HASH,
            "schools": list(schools),
        }
        values.update(overrides)
        user = User(**values)
        db_session.add(user)
        db_session.flush()
        return user

    return _make


@pytest.fixture
def make_ticket(db_session, ctx):
    from helpdesk.tickets.services import TicketInput, open_ticket

    def _make(actor=None, **overrides):
        values = {
            "subject": "Je ne reçois pas le code SMS",
            "body": "Bonjour, je n'arrive pas à activer mon compte EduConnect.",
            "channel": "formulaire_contact",
            "requester_name": "Claire Martin",
            "requester_email": "claire.martin@example.org",
            "motif": "activation_sms",
        }
        values.update(overrides)
        return open_ticket(db_session, ctx, actor, TicketInput(**values))

    return _make


@pytest.fixture
def login_as(client, db_session):
    """Sign the client in as the user: a server-side session and the cookie that names it."""
    from helpdesk.auth.sessions import open_login_session

    def _login(user):
        token = open_login_session(db_session, user)
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
            sess["sid"] = token
        return user

    return _login


@pytest.fixture
def count_queries(engine):
    """Count the SQL statements run inside a `with` block."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def _count():
        statements: list[str] = []

        def _before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", _before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", _before)

    return _count


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Debian chromium per test process, driven by Playwright (which cannot run twice)."""
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or CHROMIUM
    if not Path(executable).exists():
        pytest.fail("chromium is missing: run `make browser` (Debian's package).")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
