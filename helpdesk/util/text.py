"""Small text helpers shared by the domains: accent folding and search keys."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Élodie-Marie' -> 'elodie-marie'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("œ", "oe").replace("æ", "ae").strip()


def search_key(*parts: str | None) -> str:
    """Accent-free, lower-case words separated by single spaces."""
    return " ".join(_NON_ALNUM.sub(" ", fold(" ".join(p for p in parts if p))).split())
