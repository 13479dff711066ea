"""Helpdesk: the ticketing and support assistant of an académie's EduConnect service centre."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpdesk.core.config import PROJECT_ROOT, load_config

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    # Flask is imported here, not above: `helpdesk mail ingest`, run by the mail server once
    # per message, imports this package and must not pay for the web framework.
    from flask import Flask

    settings = load_config(config)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings)

    from helpdesk import setup

    setup.init_app(app)
    return app
