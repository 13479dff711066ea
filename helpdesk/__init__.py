"""Helpdesk: the ticketing and support assistant of an académie's EduConnect service centre."""

from __future__ import annotations

from flask import Flask

from helpdesk.core.config import PROJECT_ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
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
