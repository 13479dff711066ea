"""Highlighted excerpts of search results: HTML-escaped text with <mark> around matches."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from helpdesk.knowledge.analysis import IRREGULAR_FORMS_BY_TERM, WORD_RE, term_for

EXCERPT_CHARS = 220

# What a search looked for: index terms alone, or runs of terms forming an expression.
Matched = frozenset[tuple[str, ...]]
_Mark = tuple[int, int, tuple[str, ...]]


# Letters as they may be written in the text, accented or not (terms are folded).
_LETTER_CLASSES = {
    "a": "[aàâäáã]",
    "c": "[cç]",
    "e": "[eéèêë]",
    "i": "[iîïí]",
    "n": "[nñ]",
    "o": "[oôöó]",
    "u": "[uùûüú]",
    "y": "[yÿ]",
}


def _pattern_for(start: str) -> str:
    parts = []
    for chunk in start.split("oe"):
        parts.append("".join(_LETTER_CLASSES.get(char, re.escape(char)) for char in chunk))
    return "(?:oe|œ)".join(parts)


@lru_cache(maxsize=1024)
def _candidates(firsts: frozenset[str]) -> re.Pattern[str]:
    """Words that may have one of these terms: they start like the term (Snowball changes
    at most the last two letters of a long stem), or are a listed irregular form."""
    starts = {term if len(term) <= 4 else term[:-2] for term in firsts}
    starts |= {form for term in firsts for form in IRREGULAR_FORMS_BY_TERM.get(term, ())}
    ordered = sorted(starts, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(_pattern_for, ordered))})\w*", re.IGNORECASE)


def _marks(text: str, matched: Matched) -> list[_Mark]:
    """Spans of `text` to highlight: words whose term was searched for, and runs of words
    forming a searched expression (`mot de passe`), with the terms they stand for."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for terms in sorted(matched, key=len, reverse=True):
        by_first.setdefault(terms[0], []).append(terms)
    if not by_first:
        return []
    marks: list[_Mark] = []
    covered = 0
    for match in _candidates(frozenset(by_first)).finditer(text):
        if match.start() < covered:
            continue
        first = term_for(text[match.start() : match.end()])
        for terms in by_first.get(first, ()) if first else ():
            end = match.end()
            following: list[str] = []
            for word in WORD_RE.finditer(text, end) if len(terms) > 1 else ():
                if (term := term_for(word.group())) is not None:
                    following.append(term)
                    end = word.end()
                    if len(following) == len(terms) - 1:
                        break
            if (first, *following) == terms:
                marks.append((match.start(), end, terms))
                covered = end
                break
    return marks


def _render(text: str, marks: Iterable[_Mark]) -> str:
    out: list[str] = []
    last = 0
    for start, end, _terms in marks:
        out.append(html.escape(text[last:start], quote=False))
        out.append(f"<mark>{html.escape(text[start:end], quote=False)}</mark>")
        last = end
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def highlight(text: str, matched: Matched) -> str:
    """HTML-escaped text with the searched words and expressions wrapped in <mark>."""
    return _render(text, _marks(text, matched))


def excerpt(text: str, matched: Matched, width: int = EXCERPT_CHARS) -> str:
    """The passage of `text` showing the most distinct searched terms, highlighted;
    empty when nothing matches."""
    flat = " ".join(text.split())
    marks = _marks(flat, matched)
    if not marks:
        return ""
    best_start, best_score = 0, (-1, -1)
    right = 0
    for left, (start, _end, _terms) in enumerate(marks):
        right = max(right, left)
        while right + 1 < len(marks) and marks[right + 1][1] <= start + width - 40:
            right += 1
        window = marks[left : right + 1]
        score = (len({terms for _s, _e, terms in window}), len(window))
        if score > best_score:
            best_start, best_score = start, score
    begin = max(0, best_start - 40)
    if begin:
        space = flat.find(" ", begin)
        begin = space + 1 if 0 <= space < best_start else best_start
    end = min(len(flat), begin + width)
    if end < len(flat):
        space = flat.rfind(" ", begin, end)
        end = space if space > best_start else end
    shown = [(s - begin, e - begin, t) for s, e, t in marks if s >= begin and e <= end]
    passage = _render(flat[begin:end], shown)
    return ("… " if begin else "") + passage + (" …" if end < len(flat) else "")
