"""WSGI entry point for gunicorn (`gunicorn helpdesk.wsgi:app`), and what the gunicorn master
loads once, before it forks the web workers.

A web worker's memory is mostly code and read-only data: the modules of Flask, SQLAlchemy,
numpy and ours, the compiled templates, the mapped classes, the categoriser's arrays. Loaded
in the master (``preload_app``), these pages are shared by every worker until one writes to
them. Two things would write to them at once: the cyclic garbage collector, which walks every
object it tracks, and the database pool, whose connections must not be shared across a fork.
So the master loads what the first pages would load, moves every object it holds out of the
collector's reach (``gc.freeze``) and closes its own connections before the fork.
"""

from __future__ import annotations

import gc
from datetime import date

from flask import Flask
from sqlalchemy.orm import configure_mappers

from helpdesk import create_app


def warm(app: Flask) -> None:
    """Load, in the master, what each worker would otherwise load on its first requests."""
    from helpdesk.core.runtime import service_context
    from helpdesk.knowledge.access import article_index
    from helpdesk.tickets.sla import french_public_holidays

    configure_mappers()
    _compile_templates(app)
    this_year = date.today().year
    for year in (this_year - 1, this_year, this_year + 1):
        french_public_holidays(year)
    with app.app_context():
        # The categoriser (when enabled): its vocabularies and coefficients are read once.
        service_context(app)
        article_index(app)


def _compile_templates(app: Flask) -> None:
    """Every page template, compiled into the environment's cache (about a hundred)."""
    env = app.jinja_env
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)


def before_fork(app: Flask) -> None:
    """Leave nothing in the master that a forked worker must not share or would copy."""
    app.extensions["helpdesk_db"].engine.dispose()
    gc.collect()
    gc.freeze()


app = create_app()
