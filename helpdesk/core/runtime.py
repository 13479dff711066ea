"""The services' context of the running app, built once from its configuration.

The categoriser is a feature of its own: the application's set-up installs the function
that makes it (``CLASSIFIER_FACTORY``), so that the core imports no domain package.
"""

from __future__ import annotations

from flask import Flask

from helpdesk.core.context import ServiceContext

CONTEXT_KEY = "helpdesk_service_context"
CLASSIFIER_FACTORY = "helpdesk_classifier_factory"
#: Work the mail worker runs besides the mail's own, installed by the set-up: name ->
#: function returning the lines to print and whether anything was done.
PERIODIC_TASKS = "helpdesk_periodic_tasks"


def service_context(app: Flask) -> ServiceContext:
    ctx = app.extensions.get(CONTEXT_KEY)
    if ctx is None:
        ctx = ServiceContext.from_config(app.config, classifier=_classifier(app))
        app.extensions[CONTEXT_KEY] = ctx
    return ctx


def _classifier(app: Flask):
    factory = app.extensions.get(CLASSIFIER_FACTORY)
    if factory is None or not app.config.get("CLASSIFY_ENABLED", True):
        return None
    database = app.extensions.get("helpdesk_db")
    if database is None:
        return factory(app.config)
    # Looked up at each use: the session maker can be replaced after the app is set up.
    return factory(app.config, lambda: app.extensions["helpdesk_db"].session_factory())
