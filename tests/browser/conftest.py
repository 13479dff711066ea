"""A real server in a thread, on its own database, driven by Debian's chromium."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from helpdesk.auth.passwords import hash_password
from tests.plugins.database import PASSWORD, fresh_database_url, uai_for


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind `live_server`, for tests that add their own data to its database."""
    from helpdesk import create_app
    from helpdesk.auth.models import User
    from helpdesk.core.db import session_scope
    from helpdesk.core.migrate import upgrade
    from helpdesk.schools.models import School
    from helpdesk.util.text import search_key

    folder = tmp_path_factory.mktemp("live")
    url = fresh_database_url(folder, "live")
    upgrade(url)
    app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "DATABASE_URL": url,
            "SECRET_KEY": "live-secret",
            "RATELIMIT_ENABLED": False,
            "PRESENCE_POLL_SECONDS": 1,
            "ATTACHMENT_DIR": str(folder / "attachments"),
            "KB_INDEX_DIR": str(folder / "kb-index"),
        }
    )
    hashed = hash_password(PASSWORD)
    with session_scope(app.extensions["helpdesk_db"].session_factory) as session:
        school = School(
            uai=uai_for(2155555),
            name="École élémentaire des Tilleuls",
            type="elementaire",
            commune="Beaune",
            search_key=search_key("École élémentaire des Tilleuls", "Beaune"),
        )
        session.add(school)
        session.flush()
        session.add_all(
            [
                User(
                    email="agent@ac-test.fr",
                    display_name="Sophie Agent",
                    role="agent",
                    password_hash=hashed,
                ),
                User(
                    email="directeur@ac-test.fr",
                    display_name="Pierre Directeur",
                    role="directeur",
                    password_hash=hashed,
                    schools=[school],
                ),
            ]
        )
    yield app
    app.extensions["helpdesk_db"].engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    app.extensions.pop("helpdesk_service_context", None)
    yield app.config["PUBLIC_URL"]
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
