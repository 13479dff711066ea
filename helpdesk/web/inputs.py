"""The request's own values checked before any route reads them.

Path segments go through bounded converters (a number no column can hold, or a NUL byte,
matches no route: 404). Query strings and form fields are refused as a whole (400) when they
carry a character no field accepts, and a body the client broke off or mis-framed is a 400,
not an error of the server. Routes then read typed values through ``helpdesk.util.params``.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, UnicodeConverter

from helpdesk.util.params import ID_MAX, InvalidParameter, forbidden_character

log = logging.getLogger(__name__)


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` limited to what an INTEGER primary key can hold."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


class CleanStringConverter(UnicodeConverter):
    """``<name>`` segments without control characters (a NUL byte matches no route)."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = 200, length=None):  # noqa: A002
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]")


def install_converters(app: Flask) -> None:
    """Called before any blueprint registers its rules."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = CleanStringConverter
    app.url_map.converters["string"] = CleanStringConverter


def init_app(app: Flask) -> None:
    app.before_request(_refuse_unreadable_input)
    app.register_error_handler(InvalidParameter, _invalid_parameter)
    app.register_error_handler(DataError, _data_error)


def _refuse_unreadable_input():
    for name, value in request.args.items(multi=True):
        if forbidden_character(name) or forbidden_character(value):
            raise InvalidParameter(name, "L'adresse contient un caractère interdit.")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    try:
        form = request.form
        files = request.files
    except HTTPException:
        raise
    except (ValueError, OSError, EOFError) as exc:
        # A chunked body with a broken frame, or a client that stopped sending.
        log.info("unreadable request body: %s", type(exc).__name__)
        return _bad_request("Le contenu de la requête est illisible.")
    except Exception as exc:  # the server's own parse errors (gunicorn's ChunkedReader)
        if type(exc).__module__.startswith("gunicorn"):
            return _bad_request("Le contenu de la requête est illisible.")
        raise
    return _check_form(form, files)


def _check_form(form, files) -> None:
    for name, value in form.items(multi=True):
        if forbidden_character(name) or forbidden_character(value):
            raise InvalidParameter(name, "Le formulaire contient un caractère interdit.")
    for name, upload in files.items(multi=True):
        if forbidden_character(name) or forbidden_character(upload.filename or ""):
            raise InvalidParameter(name, "Le nom du fichier contient un caractère interdit.")


def _invalid_parameter(exc: InvalidParameter):
    return _bad_request(str(exc))


def _data_error(exc: DataError):
    """A value the database refused (out of range, invalid encoding): the client's input."""
    log.warning("value refused by the database: %s", type(exc.orig).__name__)
    from helpdesk.core.database import get_session

    get_session().rollback()
    return _bad_request("Une valeur envoyée ne peut pas être enregistrée ni recherchée.")


def _bad_request(message: str):
    if request.headers.get("HX-Request"):
        return render_template("errors/_htmx_error.html", code=400, message=message), 400
    return render_template("errors/400.html", code=400, message=message), 400
