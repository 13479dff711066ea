"""Build the services' context from the running app's configuration."""

from __future__ import annotations

from flask import Flask

from helpdesk.core.context import ServiceContext


def service_context(app: Flask) -> ServiceContext:
    ctx = app.extensions.get("helpdesk_service_context")
    if ctx is None:
        ctx = ServiceContext.from_config(app.config, classifier=_classifier(app))
        app.extensions["helpdesk_service_context"] = ctx
    return ctx


def _classifier(app: Flask):
    if not app.config.get("CLASSIFY_ENABLED", True):
        return None
    try:
        from helpdesk.classify.services import classifier_for
    except ImportError:
        return None
    return classifier_for(app.config)
