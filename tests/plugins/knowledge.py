"""Helpers of the knowledge-base tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpdesk.knowledge.articles import ArticleDoc

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def make_doc(slug: str, **overrides) -> ArticleDoc:
    values = {
        "slug": slug,
        "title": f"Article {slug}",
        "audiences": ("parent",),
        "motifs": ("activation_sms",),
        "tags": ("essai",),
        "status": "published",
        "reviewed": dt.date(2026, 11, 1),
        "summary": "Un article d'essai.",
        "body": "Un texte d'essai.\n",
    }
    values.update(overrides)
    return ArticleDoc(**values)
