"""WSGI entry point for gunicorn: `gunicorn helpdesk.wsgi:app`."""

from helpdesk import create_app

app = create_app()
