"""Signing out ends the session on the server: a copy of the old cookie opens nothing."""

from sqlalchemy import func, select

from helpdesk.auth.models import LoginSession

PASSWORD = "Motdepasse-2026"


def sign_in(client, user) -> str:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return session_cookie(client)


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, value: str):
    """A fresh browser that presents a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def open_sessions(db_session, user) -> int:
    return db_session.scalar(
        select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id)
    )


def test_old_cookie_no_longer_works_after_logout(app, client, make_user, db_session):
    agent = make_user("agent")
    stolen = sign_in(client, agent)
    assert replay(app, stolen).get("/tickets").status_code == 200
    assert open_sessions(db_session, agent) == 1

    assert client.post("/logout").status_code == 302
    assert open_sessions(db_session, agent) == 0
    response = replay(app, stolen).get("/tickets")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_elsewhere_leaves_this_browser_signed_in(app, client, make_user, db_session):
    agent = make_user("agent")
    sign_in(client, agent)
    laptop = app.test_client()
    sign_in(laptop, agent)
    assert laptop.post("/logout").status_code == 302
    assert client.get("/tickets").status_code == 200
    assert open_sessions(db_session, agent) == 1


def test_log_out_everywhere_closes_every_session(app, client, make_user, db_session):
    agent = make_user("agent")
    first = sign_in(client, agent)
    laptop = app.test_client()
    sign_in(laptop, agent)
    page = laptop.get("/compte/mot-de-passe").get_data(as_text=True)
    assert "Votre compte est ouvert dans 2 sessions" in page
    assert "Se déconnecter partout" in page

    response = laptop.post("/deconnexion-partout", follow_redirects=True)
    assert "Vous êtes déconnecté partout : 2 session(s)" in response.get_data(as_text=True)
    assert open_sessions(db_session, agent) == 0
    assert client.get("/tickets").status_code == 302
    assert replay(app, first).get("/tickets").status_code == 302
    # Signing in again works as before.
    sign_in(client, agent)
    assert client.get("/tickets").status_code == 200


def test_log_out_everywhere_needs_a_session(client):
    response = client.post("/deconnexion-partout")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_forged_cookie_without_a_server_session_is_refused(app, make_user):
    agent = make_user("agent")
    forged = app.test_client()
    with forged.session_transaction() as sess:
        sess["_user_id"] = agent.get_id()
        sess["sid"] = "jeton-invente"
    assert forged.get("/tickets").status_code == 302


def test_session_older_than_its_lifetime_is_refused(app, client, make_user, db_session):
    from datetime import timedelta

    from helpdesk.core.db import utcnow

    agent = make_user("agent")
    sign_in(client, agent)
    row = db_session.scalar(select(LoginSession).where(LoginSession.user_id == agent.id))
    row.created_at = utcnow() - timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"] + 60)
    db_session.flush()
    assert client.get("/tickets").status_code == 302
