"""Connections the database drops, transactions a request leaves broken.

The app runs on a database of its own with a small pool that hands out the connection
returned last first, so the request after a failure reuses the one it went through.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from helpdesk.core.db import make_engine, make_sessionmaker, session_scope
from tests.plugins.database import fresh_database_url, is_postgres

postgres_only = pytest.mark.skipif(not is_postgres(), reason="pg_terminate_backend")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    from helpdesk import create_app
    from helpdesk.auth.models import User
    from helpdesk.auth.passwords import hash_password
    from helpdesk.core.migrate import upgrade
    from helpdesk.core.runtime import service_context
    from helpdesk.tickets.services import TicketInput, open_ticket
    from tests.plugins.database import PASSWORD

    instance = tmp_path_factory.mktemp("faults")
    url = fresh_database_url(instance, "faults")
    upgrade(url)
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": url,
            "SECRET_KEY": "faults-secret-key",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "ATTACHMENT_DIR": str(instance / "attachments"),
            "KB_INDEX_DIR": str(instance / "kb-index"),
            "PUBLIC_URL": "http://helpdesk.test",
            "SMTP_PORT": 9,
            "CLASSIFY_ENABLED": False,
        }
    )
    database = app.extensions["helpdesk_db"]
    database.engine.dispose()
    database.engine = make_engine(
        url, pool_size=3, max_overflow=0, pool_use_lifo=True, pool_timeout=5
    )
    database.session_factory = make_sessionmaker(database.engine)

    @app.route("/essai/transaction-en-echec")
    def failed_transaction():
        """A page that meets a database error and neither rolls back nor re-raises."""
        from helpdesk.core.database import get_session

        try:
            get_session().execute(text("SELECT * FROM table_qui_n_existe_pas"))
        except Exception:
            pass
        return "poursuivi"

    with session_scope(database.session_factory) as session:
        agent = User(
            email="agent@ac-test.fr",
            display_name="Agent",
            role="agent",
            password_hash=hash_password(PASSWORD),
        )
        session.add(agent)
        session.flush()
        ticket = open_ticket(
            session,
            service_context(app),
            None,
            TicketInput(
                subject="Code SMS jamais reçu",
                body="Bonjour, je ne reçois pas le code.",
                channel="formulaire_contact",
                requester_name="Claire Martin",
                requester_email="claire.martin@example.org",
            ),
        )
        app.config["FAULTS_AGENT"] = agent.get_id()
        app.config["FAULTS_REFERENCE"] = ticket.reference
        app.config["FAULTS_TICKET_ID"] = ticket.id
    yield app
    database.engine.dispose()


@pytest.fixture
def agent_client(live):
    from helpdesk.auth.models import User
    from helpdesk.auth.sessions import open_login_session

    client = live.test_client()
    user_key = live.config["FAULTS_AGENT"]
    with live.extensions["helpdesk_db"].session_factory() as session:
        token = open_login_session(session, session.get(User, int(user_key.split(":")[0])))
        session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user_key
        sess["_fresh"] = True
        sess["sid"] = token
    return client


class Killer:
    """Terminates the backend of the app's own connection at a chosen moment."""

    def __init__(self, live) -> None:
        self.engine = live.extensions["helpdesk_db"].engine
        self.admin = create_engine(make_url(live.config["DATABASE_URL"]), poolclass=NullPool)
        self.kills = 0

    def terminate(self, pid: int) -> None:
        with self.admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.commit()
        self.kills += 1

    def terminate_all(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            conn.commit()
        self.kills += 1


def _pid(conn) -> int:
    return conn.connection.dbapi_connection.info.backend_pid


@postgres_only
def test_read_is_retried_once_when_the_connection_drops_mid_request(live, agent_client):
    killer = Killer(live)
    reference = live.config["FAULTS_REFERENCE"]

    def _kill_once(conn, cursor, statement, *args):
        if killer.kills == 0 and "FROM ticket" in statement:
            killer.terminate(_pid(conn))

    event.listen(killer.engine, "before_cursor_execute", _kill_once)
    try:
        response = agent_client.get(f"/tickets/{reference}")
    finally:
        event.remove(killer.engine, "before_cursor_execute", _kill_once)
    assert killer.kills == 1
    assert response.status_code == 200
    assert "Code SMS jamais reçu" in response.get_data(as_text=True)


@postgres_only
def test_read_that_fails_twice_is_a_clear_503(live, agent_client):
    killer = Killer(live)

    def _kill_always(conn, cursor, statement, *args):
        if "FROM ticket" in statement:
            killer.terminate(_pid(conn))

    event.listen(killer.engine, "before_cursor_execute", _kill_always)
    try:
        response = agent_client.get(f"/tickets/{live.config['FAULTS_REFERENCE']}")
    finally:
        event.remove(killer.engine, "before_cursor_execute", _kill_always)
    assert killer.kills == 2  # the first try and the single retry
    assert response.status_code == 503
    assert "réessayez dans un instant" in response.get_data(as_text=True)
    assert agent_client.get(f"/tickets/{live.config['FAULTS_REFERENCE']}").status_code == 200


@postgres_only
def test_write_whose_commit_is_lost_is_not_acknowledged(live, agent_client):
    from helpdesk.tickets.models import Message

    killer = Killer(live)
    reference = live.config["FAULTS_REFERENCE"]

    def _kill_at_commit(conn):
        if killer.kills == 0:
            killer.terminate(_pid(conn))

    event.listen(killer.engine, "commit", _kill_at_commit)
    try:
        response = agent_client.post(
            f"/tickets/{reference}/repondre", data={"reply-body": "Réponse jamais enregistrée."}
        )
    finally:
        event.remove(killer.engine, "commit", _kill_at_commit)
    assert killer.kills == 1
    assert response.status_code == 503
    assert "réessayez dans un instant" in response.get_data(as_text=True)
    with session_scope(live.extensions["helpdesk_db"].session_factory) as session:
        stored = session.scalar(
            select(func.count()).where(Message.body == "Réponse jamais enregistrée.")
        )
    assert stored == 0
    # The same write sent again goes through, once.
    again = agent_client.post(
        f"/tickets/{reference}/repondre", data={"reply-body": "Réponse jamais enregistrée."}
    )
    assert again.status_code == 302
    with session_scope(live.extensions["helpdesk_db"].session_factory) as session:
        stored = session.scalar(
            select(func.count()).where(Message.body == "Réponse jamais enregistrée.")
        )
    assert stored == 1


@postgres_only
def test_pool_recovers_after_every_backend_was_terminated(live, agent_client):
    killer = Killer(live)
    assert agent_client.get("/tickets").status_code == 200
    killer.terminate_all()
    assert agent_client.get("/tickets").status_code == 200
    assert agent_client.get(f"/tickets/{live.config['FAULTS_REFERENCE']}").status_code == 200


def test_request_after_a_failed_transaction_starts_clean(live, agent_client):
    assert agent_client.get("/essai/transaction-en-echec").get_data(as_text=True) == "poursuivi"
    # The pool hands out the latest connection first: the one the failure went through.
    for _ in range(2):
        assert agent_client.get("/tickets").status_code == 200
        assert agent_client.get(f"/tickets/{live.config['FAULTS_REFERENCE']}").status_code == 200
        assert agent_client.get("/essai/transaction-en-echec").status_code == 200


def test_write_refused_by_the_database_leaves_the_next_request_clean(live, agent_client):
    # A NUL byte is refused before any query; the page after it works on the same connection.
    response = agent_client.post("/login", data={"email": "a\x00b@ac-test.fr", "password": "x"})
    assert response.status_code == 400
    assert "caractère interdit" in response.get_data(as_text=True)
    assert agent_client.get("/tickets").status_code == 200
