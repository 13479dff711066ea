import re

import pytest


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    """On a database of its own: a refused sign-in is journaled, and must not show elsewhere."""
    from helpdesk import create_app
    from helpdesk.core.migrate import upgrade
    from tests.plugins.database import fresh_database_url

    tmp_path = tmp_path_factory.mktemp("csrf")
    database_url = fresh_database_url(tmp_path, "csrf")
    upgrade(database_url)
    application = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "k",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "CLASSIFY_ENABLED": False,
        }
    )
    yield application
    application.extensions["helpdesk_db"].engine.dispose()


@pytest.mark.parametrize("url", ["/login", "/contact", "/logout", "/demandes/nouvelle"])
def test_posts_without_token_are_refused(csrf_app, engine, url):
    response = csrf_app.test_client().post(url, data={"email": "a@example.org"})
    assert response.status_code == 400


def test_post_with_token_is_accepted(csrf_app, engine):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"csrf_token": token, "email": "x@example.org", "password": "faux"}
    )
    assert response.status_code == 422
    assert "incorrect" in response.get_data(as_text=True)


def test_htmx_requests_carry_the_token_header(csrf_app, engine):
    page = csrf_app.test_client().get("/login").get_data(as_text=True)
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", page)
