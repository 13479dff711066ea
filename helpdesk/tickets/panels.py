"""What other features show on the ticket pages, installed by the application's set-up.

The home page, the queue and a ticket's page name no feature of their own: the set-up adds,
page by page, functions that return more of the page's template context (the FAQ's figures,
the RGPD deadlines, the related articles, the macros), so that the ticket package imports none
of the packages that build on it, and a page without a feature simply lacks its panel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from flask import Flask, current_app
from sqlalchemy.orm import Session

PANELS_KEY = "helpdesk_ticket_panels"

#: ``home``: the agent's dashboard (subject: the user); ``queue``: a page of the queue
#: (subject: its tickets); ``ticket``: one ticket's page (subject: the ticket).
Page = Literal["home", "queue", "ticket"]
Panel = Callable[[Session, Any], dict[str, Any]]


def add_panel(app: Flask, page: Page, panel: Panel) -> None:
    app.extensions.setdefault(PANELS_KEY, {}).setdefault(page, []).append(panel)


def panels_context(page: Page, session: Session, subject: Any) -> dict[str, Any]:
    """The template context every panel of the page adds for this subject."""
    context: dict[str, Any] = {}
    for panel in current_app.extensions.get(PANELS_KEY, {}).get(page, ()):
        context.update(panel(session, subject))
    return context
