"""Wire extensions, blueprints, security headers, error pages and template helpers, and connect
the features to what they follow: the ticket lifecycle's signals and the ticket pages' panels.

The top floor with the app factory and the command group: nothing imports it.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, render_template, request
from flask import session as cookie
from flask_login import AnonymousUserMixin
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, HTTPException
from werkzeug.exceptions import NotFound as HTTPNotFound
from werkzeug.middleware.proxy_fix import ProxyFix

from helpdesk.core import database, logs
from helpdesk.core.errors import NotFound, PermissionDenied
from helpdesk.core.extensions import babel, csrf, limiter, login_manager
from helpdesk.tickets import display
from helpdesk.web import filters, inputs

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class Anonymous(AnonymousUserMixin):
    role = None
    display_name = ""
    is_staff = False
    is_admin = False
    is_director = False
    school_ids: set[int] = set()


def init_app(app: Flask) -> None:
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        # The client and scheme the last `hops` proxies saw: rate limits key on the real client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    inputs.install_converters(app)
    logs.install()
    database.init_app(app)
    inputs.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "fr", timezone_selector=lambda: "Europe/Paris")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    _init_login(app)
    filters.init_app(app)
    display.init_app(app)
    _register_blueprints(app)
    _register_errors(app)
    _install_features(app)

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.headers.get("HX-Request"):
            response.headers.add("Vary", "HX-Request")
        if request.endpoint and not request.endpoint.startswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _init_login(app: Flask) -> None:
    from helpdesk.auth.models import User
    from helpdesk.auth.sessions import session_user

    login_manager.init_app(app)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(user_key: str):
        """The user of a live server-side session whose version still matches the cookie."""
        try:
            user_id, version = (int(part) for part in user_key.split(":", 1))
        except ValueError:
            return None
        user = session_user(
            database.get_session(),
            user_id,
            cookie.get("sid"),
            timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"]),
            options=(selectinload(User.schools),),
        )
        if user is None or user.session_version != version or not user.is_active:
            return None
        return user


def _install_features(app: Flask) -> None:
    """Features that follow the tickets: the categoriser for new requests, the e-mails of the
    lifecycle, the diagnosis on arrival, the RGPD holds, the panels of the ticket pages, and
    the article index kept in step with committed article changes."""
    from helpdesk.classify.services import classifier_for
    from helpdesk.core.runtime import CLASSIFIER_FACTORY, PERIODIC_TASKS
    from helpdesk.deflection.routes import home_panel
    from helpdesk.diagnostics import tickets as diagnosis
    from helpdesk.diagnostics.cli import diagnose_once
    from helpdesk.knowledge.access import keep_index_in_step
    from helpdesk.macros.routes import macros_panel
    from helpdesk.mail.outbound import lifecycle as mail
    from helpdesk.privacy import requests as rgpd
    from helpdesk.privacy.cli import retention_once, retrain_once
    from helpdesk.privacy.routes import queue_panel
    from helpdesk.search.routes import related_articles_panel
    from helpdesk.tickets.panels import add_panel

    app.extensions[CLASSIFIER_FACTORY] = classifier_for
    app.extensions[PERIODIC_TASKS] = {
        "retrain": retrain_once,
        "retention": retention_once,
        "diagnose": diagnose_once,
    }
    mail.subscribe()
    diagnosis.subscribe()
    rgpd.subscribe()
    keep_index_in_step()
    add_panel(app, "home", home_panel)
    add_panel(app, "queue", queue_panel)
    add_panel(app, "ticket", related_articles_panel)
    add_panel(app, "ticket", macros_panel)


def _register_blueprints(app: Flask) -> None:
    from helpdesk.academie.routes import academie_for_templates
    from helpdesk.academie.routes import bp as academie_bp
    from helpdesk.admin.routes import bp as admin_bp
    from helpdesk.auth.routes import bp as auth_bp
    from helpdesk.calls.routes import bp as calls_bp
    from helpdesk.deflection.routes import bp as deflection_bp
    from helpdesk.desk.routes import bp as desk_bp
    from helpdesk.diagnostics.routes import bp as diagnostics_bp
    from helpdesk.knowledge.routes import bp as knowledge_bp
    from helpdesk.macros.routes import bp as macros_bp
    from helpdesk.mail.routes import bp as mail_bp
    from helpdesk.mail.routes import catcher_bp
    from helpdesk.portal.routes import bp as portal_bp
    from helpdesk.privacy.routes import bp as privacy_bp
    from helpdesk.public.routes import bp as public_bp
    from helpdesk.reports.routes import bp as reports_bp
    from helpdesk.satisfaction.routes import bp as satisfaction_bp
    from helpdesk.search.routes import bp as search_bp
    from helpdesk.tickets.routes import bp as tickets_bp
    from helpdesk.watch.routes import bp as watch_bp
    from helpdesk.web.health import bp as health_bp
    from helpdesk.worker.routes import bp as worker_bp

    for bp in (
        health_bp,
        auth_bp,
        tickets_bp,
        portal_bp,
        public_bp,
        admin_bp,
        academie_bp,
        mail_bp,
        catcher_bp,
        satisfaction_bp,
        knowledge_bp,
        deflection_bp,
        search_bp,
        diagnostics_bp,
        watch_bp,
        privacy_bp,
        desk_bp,
        macros_bp,
        reports_bp,
        worker_bp,
        calls_bp,
    ):
        app.register_blueprint(bp)
    app.context_processor(academie_for_templates)


def _register_errors(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        return _http_error(HTTPNotFound())

    @app.errorhandler(PermissionDenied)
    def _permission_denied(exc: PermissionDenied):
        return _http_error(Forbidden())

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = exc.code or 500
        template = (
            f"errors/{code}.html" if code in (400, 403, 404, 410, 413, 429) else "errors/500.html"
        )
        if request.headers.get("HX-Request") and code in (400, 403, 404, 429):
            return render_template("errors/_htmx_error.html", code=code), code
        return render_template(template, code=code), code
