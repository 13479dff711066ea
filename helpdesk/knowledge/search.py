"""Full-text search of the FAQ articles (the folder and its writing are in `index_store`).

Queries are scored here rather than by whoosh's matchers, which walk a tree of Python
objects for every matching document: short French queries widened by synonyms match most
articles, and that walk took over 100 ms a query on 2,000 articles. Instead, the BM25
score of each term for every document is read from the postings once per index generation,
cached, and a query combines those vectors with numpy.
"""

from __future__ import annotations

import bisect
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from helpdesk.knowledge import index_store
from helpdesk.knowledge.analysis import (
    WORD_RE,
    fold_word,
    term_for,
)
from helpdesk.knowledge.generation import Generation
from helpdesk.knowledge.highlight import Matched, excerpt, highlight
from helpdesk.knowledge.index_store import (
    FIELD_BOOSTS,
    SCHEMA_VERSION,
    IndexBusyError,
    IndexStore,
)
from helpdesk.knowledge.search_query import Unit, is_synonym, parse_query, with_synonyms

__all__ = ["SCHEMA_VERSION", "ArticleIndex", "Hit", "IndexBusyError", "SearchResult", "Suggestion"]

#: Indexes written before the index store had a module of its own name its analysis filters
#: here in their pickled schema: they still open without a rebuild.
_FrenchFilter, _FoldFilter = index_store._FrenchFilter, index_store._FoldFilter

SYNONYM_BOOST = 0.9
TITLE_PHRASE_BONUS = 2.0
FUZZY_CANDIDATES = 3
PREFIX_EXPANSIONS = 20


@dataclass(frozen=True)
class Hit:
    slug: str
    title: str
    score: float
    excerpt_html: str
    audiences: tuple[str, ...]
    motifs: tuple[str, ...]
    tags: tuple[str, ...]
    title_html: str = ""
    summary: str = ""
    status: str = "published"


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    total: int


@dataclass(frozen=True)
class Suggestion:
    slug: str
    title: str
    summary: str


class ArticleIndex(IndexStore):
    """The FAQ article index: search, facets and suggestions over the index folder."""

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 30.0):
        self._generation_lock = threading.Lock()
        self._generation: Generation | None = None
        super().__init__(path, lock_timeout=lock_timeout)

    def _open(self) -> tuple[Searcher, IndexReader, Generation]:
        searcher = self._searcher()
        reader = searcher.reader()
        with self._generation_lock:
            generation = self._generation
            if generation is None or generation.number != reader.generation():
                generation = self._generation = Generation(reader)
        return searcher, reader, generation

    # -- scoring -----------------------------------------------------------------------

    def _units(self, words: list[str], reader: IndexReader, generation: Generation) -> list[Unit]:
        def is_known(word: str) -> bool:
            term = term_for(word)
            return term is None or is_synonym(term) or reader.doc_frequency("content", term) > 0

        def corrections(word: str) -> list[str]:
            _ordered, by_length = generation.vocabulary(reader)
            maxdist = 1 if len(word) < 9 else 2
            pool = [
                candidate
                for length in range(len(word) - maxdist, len(word) + maxdist + 1)
                for candidate in by_length.get(length, ())
            ]
            found = process.extract(
                word, pool, scorer=OSA.distance, score_cutoff=maxdist, limit=None
            )
            ranked = sorted(
                (distance, -reader.doc_frequency("words", candidate), term)
                for candidate, distance, _position in found
                if candidate != word and (term := term_for(candidate)) is not None
            )
            return list(dict.fromkeys(term for _d, _f, term in ranked))[:FUZZY_CANDIDATES]

        return parse_query(words, is_known, corrections)

    @staticmethod
    def _unit_scores(
        unit: Unit, reader: IndexReader, generation: Generation, matched: set[tuple[str, ...]]
    ) -> np.ndarray | None:
        """Best alternative's score per document. The expression typed counts each of its
        words; a synonym counts as one word."""
        best = None
        for terms in unit.alternatives:
            if terms == unit.typed:
                weight = unit.boost
            else:
                weight = unit.boost * SYNONYM_BOOST / len(terms)
            total = None
            for name, boost in FIELD_BOOSTS:
                vectors = [generation.term_scores(reader, name, term) for term in terms]
                if any(vector is None for vector in vectors):
                    continue
                field_scores = np.sum(vectors, axis=0) if len(vectors) > 1 else vectors[0]
                if len(vectors) > 1:
                    field_scores = field_scores * np.logical_and.reduce([v > 0 for v in vectors])
                field_scores = field_scores * (boost * weight)
                total = field_scores if total is None else total + field_scores
            if total is None or not total.any():
                continue
            matched.add(terms)
            best = total if best is None else np.maximum(best, total)
        return best

    def _scores(
        self,
        units: Iterable[Unit],
        reader: IndexReader,
        generation: Generation,
        matched: set[tuple[str, ...]],
    ) -> np.ndarray:
        scores = np.zeros(generation.size, dtype=np.float32)
        for unit in units:
            unit_scores = self._unit_scores(unit, reader, generation, matched)
            if unit_scores is not None:
                scores += unit_scores
        return scores

    @staticmethod
    def _visible(
        generation: Generation, audiences: list[str] | None, include_drafts: bool
    ) -> np.ndarray:
        visible = generation.live.copy()
        if not include_drafts:
            visible &= generation.mask("status", ["published"])
        if audiences is not None:
            visible &= generation.mask("audience", audiences)
        return visible

    @staticmethod
    def _title_bonus(scores: np.ndarray, words: list[str], generation: Generation) -> None:
        """Put first the titles that contain the whole query as typed ("je n'ai pas de compte")."""
        if len(words) < 2:
            return
        phrase = f" {' '.join(words)} "
        for docnum in np.flatnonzero(scores):
            if phrase in generation.titles[docnum]:
                scores[docnum] *= TITLE_PHRASE_BONUS

    # -- searching ---------------------------------------------------------------------

    def search(
        self,
        query: str,
        audiences: Iterable[str] | None = None,
        motifs: Iterable[str] | None = None,
        tags: Iterable[str] | None = None,
        include_drafts: bool = False,
        limit: int = 10,
    ) -> SearchResult:
        """Articles matching `query`, best first.

        `audiences` restricts to articles meant for one of them (None: no restriction);
        `motifs` and `tags` filter (any of the values given). Facets count the values over
        the matches, each facet ignoring its own filter. An empty query lists every visible
        article by title.
        """
        audiences = None if audiences is None else list(audiences)
        searcher, reader, generation = self._open()
        visible = self._visible(generation, audiences, include_drafts)
        words = [fold_word(m.group()) for m in WORD_RE.finditer(query or "")]
        matched: set[tuple[str, ...]] = set()
        if words:
            scores = self._scores(
                self._units(words, reader, generation), reader, generation, matched
            )
            scores *= visible
            self._title_bonus(scores, words, generation)
            candidates = np.flatnonzero(scores)
            order = candidates[np.argsort(-scores[candidates], kind="stable")]
        else:
            scores = np.zeros(generation.size, dtype=np.float32)
            order = generation.title_order[visible[generation.title_order]]

        found = np.zeros(generation.size, dtype=bool)
        found[order] = True
        motif_ok = generation.mask("motif", motifs) if motifs else generation.live
        tag_ok = generation.mask("tag", tags) if tags else generation.live
        kept = found & motif_ok & tag_ok
        facets = {
            "audience": self._count(generation, "audience", kept),
            "motif": self._count(generation, "motif", found & tag_ok),
            "tag": self._count(generation, "tag", found & motif_ok),
        }
        ordered = order[kept[order]]
        terms = frozenset(matched)
        hits = [
            self._hit(searcher, int(docnum), float(scores[docnum]), terms)
            for docnum in ordered[: max(limit, 0)]
        ]
        return SearchResult(hits=hits, facets=facets, total=int(ordered.size))

    @staticmethod
    def _count(generation: Generation, name: str, selection: np.ndarray) -> dict[str, int]:
        counts = {
            value: int(np.count_nonzero(mask & selection))
            for value, mask in generation.masks[name].items()
        }
        ranked = sorted((item for item in counts.items() if item[1]), key=lambda i: (-i[1], i[0]))
        return dict(ranked)

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, score: float, terms: Matched) -> Hit:
        stored = searcher.stored_fields(docnum)
        summary = stored.get("summary", "")
        snippet = excerpt(stored.get("body_text", ""), terms) if terms else ""
        return Hit(
            slug=stored["slug"],
            title=stored["title"],
            score=score,
            excerpt_html=snippet or highlight(summary, terms),
            audiences=tuple(stored.get("audience", "").split()),
            motifs=tuple(stored.get("motif", "").split()),
            tags=tuple(t for t in stored.get("tag", "").split(",") if t),
            title_html=highlight(stored["title"], terms),
            summary=summary,
            status=stored.get("status", ""),
        )

    def suggest(
        self,
        query: str,
        audiences: Iterable[str] | None = None,
        limit: int = 3,
        include_drafts: bool = False,
    ) -> list[Suggestion]:
        """As-you-type suggestions: the last word, unless followed by a space, is a prefix."""
        audiences = None if audiences is None else list(audiences)
        words = [fold_word(m.group()) for m in WORD_RE.finditer(query or "")]
        if not words:
            return []
        searcher, reader, generation = self._open()
        partial = words.pop() if not query[-1:].isspace() else None
        matched: set[tuple[str, ...]] = set()
        scores = self._scores(self._units(words, reader, generation), reader, generation, matched)
        if partial is not None and len(partial) >= 2:
            expansions = self._expand_prefix(partial, reader, generation)
            prefix = self._unit_scores(Unit(expansions), reader, generation, matched)
            if prefix is not None:
                scores = (scores + prefix) * (prefix > 0)
        scores *= self._visible(generation, audiences, include_drafts)
        candidates = np.flatnonzero(scores)
        best = candidates[np.argsort(-scores[candidates], kind="stable")][: max(limit, 0)]
        suggestions = []
        for docnum in best:
            stored = searcher.stored_fields(int(docnum))
            suggestions.append(Suggestion(stored["slug"], stored["title"], stored["summary"]))
        return suggestions

    @staticmethod
    def _expand_prefix(
        prefix: str, reader: IndexReader, generation: Generation
    ) -> tuple[tuple[str, ...], ...]:
        """The most frequent known words starting with `prefix`, with their synonyms."""
        vocabulary, _by_length = generation.vocabulary(reader)
        start = bisect.bisect_left(vocabulary, prefix)
        words = []
        for word in vocabulary[start:]:
            if not word.startswith(prefix):
                break
            if term_for(word) is not None:
                words.append(word)
        words.sort(key=lambda w: (-reader.doc_frequency("words", w), w))
        terms = dict.fromkeys(term_for(word) for word in words[:PREFIX_EXPANSIONS])
        return with_synonyms(term for term in terms if term is not None)
