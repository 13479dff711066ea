"""Links to FAQ articles, built in one place."""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app, url_for

ARTICLE_ENDPOINT = "knowledge.article"


def article_link(slug: str) -> str:
    """Path of an article's public page."""
    if ARTICLE_ENDPOINT in current_app.view_functions:
        return url_for(ARTICLE_ENDPOINT, slug=slug)
    return f"/faq/{quote(slug)}"


def article_url(slug: str) -> str:
    """Absolute address of an article, to paste in a reply sent by e-mail."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + article_link(slug)


def article_citation(title: str, slug: str) -> str:
    """How a reply quotes an article: its title and its address."""
    return f"{title} : {article_url(slug)}"
