"""Liveness and readiness through HTTP: ready on a migrated database with Redis, 503 with
what failed when the database is behind, unreachable, or Redis does not answer."""

from __future__ import annotations

import pytest

from helpdesk.core.migrate import upgrade
from tests.plugins.database import fresh_database_url
from tests.plugins.mail_servers import free_port

REDIS = "redis://127.0.0.1:6379/0"


_made: list = []


@pytest.fixture(autouse=True)
def _dispose_engines():
    """Each app made here lets its connections go when its test ends."""
    yield
    while _made:
        _made.pop().extensions["helpdesk_db"].engine.dispose()


def _app(tmp_path, url: str, redis_url: str = REDIS):
    from helpdesk import create_app

    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": url,
            "SECRET_KEY": "health-secret",
            "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_ENABLED": False,
            "CLASSIFY_ENABLED": False,
        }
    )
    _made.append(app)
    return app


@pytest.fixture(scope="module")
def migrated_url(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory.mktemp("health"), "health")
    upgrade(url)
    return url


def test_liveness_answers_without_database_or_session(tmp_path):
    app = _app(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/absent")
    response = app.test_client().get("/sante")
    assert response.status_code == 200
    assert response.get_json() == {"statut": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_on_a_migrated_database_with_redis(tmp_path, migrated_url):
    response = _app(tmp_path, migrated_url).test_client().get("/pret")
    assert response.status_code == 200, response.get_json()
    checks = response.get_json()["verifications"]
    assert {name: c["ok"] for name, c in checks.items()} == {
        "base": True,
        "migrations": True,
        "redis": True,
    }


def test_not_ready_when_migrations_are_behind(tmp_path):
    url = fresh_database_url(tmp_path, "health_behind")
    upgrade(url, "0017_ticket_merge")
    response = _app(tmp_path, url).test_client().get("/pret")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["statut"] == "indisponible"
    assert body["verifications"]["base"]["ok"] is True
    assert body["verifications"]["migrations"]["ok"] is False
    assert "0017_ticket_merge au lieu de" in body["verifications"]["migrations"]["detail"]


def test_not_ready_when_the_database_is_unreachable(tmp_path):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/absent"
    response = _app(tmp_path, url).test_client().get("/pret")
    assert response.status_code == 503
    checks = response.get_json()["verifications"]
    assert checks["base"]["ok"] is False and checks["migrations"]["ok"] is False
    # The answer names the failure, never the address or the credentials.
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_not_ready_when_redis_does_not_answer(tmp_path, migrated_url):
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    response = _app(tmp_path, migrated_url, redis_url).test_client().get("/pret")
    assert response.status_code == 503
    checks = response.get_json()["verifications"]
    assert checks["redis"]["ok"] is False and checks["base"]["ok"] is True
