"""Highlighted excerpts of search results: HTML-escaped text with <mark> around matches."""

from __future__ import annotations

import html
from collections.abc import Iterable

from helpdesk.knowledge.analysis import WORD_RE, term_for

EXCERPT_CHARS = 220

# What a search looked for: index terms alone, or runs of terms forming an expression.
Matched = frozenset[tuple[str, ...]]
_Mark = tuple[int, int, tuple[str, ...]]


def _marks(text: str, matched: Matched) -> list[_Mark]:
    """Spans of `text` to highlight: words whose term was searched for, and runs of words
    forming a searched expression (`mot de passe`), with the terms they stand for."""
    words = [
        (m.start(), m.end(), term)
        for m in WORD_RE.finditer(text)
        if (term := term_for(m.group())) is not None
    ]
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for terms in sorted(matched, key=len, reverse=True):
        by_first.setdefault(terms[0], []).append(terms)
    marks = []
    position = 0
    while position < len(words):
        start, _end, term = words[position]
        for terms in by_first.get(term, ()):
            size = len(terms)
            if tuple(w[2] for w in words[position : position + size]) == terms:
                marks.append((start, words[position + size - 1][1], terms))
                position += size
                break
        else:
            position += 1
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
