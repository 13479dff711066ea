from helpdesk.auth.passwords import verify_password

PASSWORD = "Motdepasse-2026"


def test_login_and_logout(client, make_user):
    agent = make_user("agent")
    response = client.post("/login", data={"email": agent.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/accueil")
    assert client.get("/tickets").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/tickets").status_code == 302


def test_director_lands_on_portal(client, make_user, make_school):
    director = make_user("directeur", schools=[make_school()])
    response = client.post("/login", data={"email": director.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/demandes")


def test_wrong_password_keeps_email_and_says_why(client, make_user):
    agent = make_user("agent")
    response = client.post("/login", data={"email": agent.email, "password": "mauvais"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Adresse électronique ou mot de passe incorrect" in page
    assert f'value="{agent.email}"' in page


def test_open_redirect_is_refused(client, make_user):
    agent = make_user("agent")
    response = client.post(
        "/login?next=https://exemple.invalid/", data={"email": agent.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/accueil")


def test_password_change(client, login_as, make_user, db_session):
    agent = login_as(make_user("agent"))
    response = client.post(
        "/compte/mot-de-passe",
        data={"current": "faux", "new": "Nouveau-mot-2027", "confirm": "Nouveau-mot-2027"},
    )
    assert "Le mot de passe actuel est incorrect" in response.get_data(as_text=True)
    response = client.post(
        "/compte/mot-de-passe",
        data={"current": PASSWORD, "new": "Nouveau-mot-2027", "confirm": "Nouveau-mot-2027"},
    )
    assert response.status_code == 302
    db_session.refresh(agent)
    assert verify_password(agent.password_hash, "Nouveau-mot-2027")


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp and "*" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    page = response.get_data(as_text=True)
    assert "<script>" not in page and ' style="' not in page and " onclick=" not in page
