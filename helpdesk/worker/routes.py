"""The administrator's view of the background worker: alive or not, and what waits for it."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, render_template

from helpdesk.core.database import get_session
from helpdesk.core.db import utcnow
from helpdesk.web.access import admin_required
from helpdesk.worker.queries import worker_health

bp = Blueprint("worker", __name__, url_prefix="/admin/tache-de-fond")


def _health():
    stale = timedelta(seconds=current_app.config["WORKER_STALE_SECONDS"])
    return worker_health(get_session(), utcnow(), stale)


@bp.route("")
@admin_required
def health():
    return render_template("worker/health.html", health=_health())


@bp.route("/etat.json")
@admin_required
def health_json():
    """The same figures for a monitoring probe signed in as an administrator."""
    return jsonify(_health().as_dict())
