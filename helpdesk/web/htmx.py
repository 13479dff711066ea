"""One URL, two shapes: the whole page, or the fragment htmx asked for."""

from __future__ import annotations

from flask import render_template, request


def is_htmx() -> bool:
    # A history restore (back button, nothing cached) wants the whole page.
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and not headers.get("HX-Boosted")
        and not headers.get("HX-History-Restore-Request")
    )


def render_page(page_template: str, fragment_template: str, **context) -> str:
    return render_template(fragment_template if is_htmx() else page_template, **context)
