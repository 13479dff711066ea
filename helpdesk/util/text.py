"""Small text helpers shared by the domains: accent folding, search keys, invisible marks."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

#: Characters that show nothing but change how a line reads: bidirectional embeddings,
#: overrides and isolates (a name that displays reversed), zero-width spaces and joiners, the
#: word joiner and invisible operators, soft hyphens, byte-order marks and Hangul fillers.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_LINE_SPACES_RE = re.compile(r"\s+")


def strip_invisible(text: str) -> str:
    """Drop bidirectional controls and zero-width characters (see ``_INVISIBLE_RE``)."""
    return _INVISIBLE_RE.sub("", text)


def single_line(text: str) -> str:
    """A name or subject as one line: invisible marks dropped, runs of spaces made one."""
    return _LINE_SPACES_RE.sub(" ", strip_invisible(text)).strip()


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Élodie-Marie' -> 'elodie-marie'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("œ", "oe").replace("æ", "ae").strip()


def search_key(*parts: str | None) -> str:
    """Accent-free, lower-case words separated by single spaces."""
    return " ".join(_NON_ALNUM.sub(" ", fold(" ".join(p for p in parts if p))).split())


def mask_login(login: str | None) -> str | None:
    """Enough of a login for its owner to recognise it: "j.dupont2" -> "j.d****2".

    The one writing of a masked login, in the panel, the evidence and the replies alike.
    """
    login = (login or "").strip()
    if not login:
        return None
    if len(login) <= 5:
        return login[:1] + "****"
    return login[:3] + "****" + login[-1:]
