"""Liveness (`/sante`) and readiness (`/pret`) for the reverse proxy, the orchestrator and
the monitoring: no session, no sign-in, no rate limit, never cached."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from helpdesk.core.extensions import limiter
from helpdesk.core.health import database_checks, redis_check

bp = Blueprint("health", __name__)


@bp.route("/sante")
@limiter.exempt
def liveness():
    """The process answers (restart it when this fails)."""
    return jsonify(statut="ok")


@bp.route("/pret")
@limiter.exempt
def readiness():
    """The node can serve: database reachable and migrated, Redis reachable (503 otherwise,
    so the proxy sends requests elsewhere)."""
    engine = current_app.extensions["helpdesk_db"].engine
    checks = database_checks(engine)
    checks.append(redis_check(current_app.config.get("RATELIMIT_STORAGE_URI")))
    ready = all(check.ok for check in checks)
    body = {
        "statut": "prêt" if ready else "indisponible",
        "verifications": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    if not ready:
        response.headers["Retry-After"] = "5"
    return response
