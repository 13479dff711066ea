"""Full-text search of the FAQ articles: the only module that uses whoosh's index (the
analysis borrows whoosh's French stemmer and stop words).

The index is a whoosh index in one folder shared by every process of the application:
French analysis at indexing time, postings, stored fields, a file lock that writers wait
for (so concurrent updates are serialised and none is lost), and generations that readers
follow (a commit by another process is visible to the next search).

Queries are scored here rather than by whoosh's matchers, which walk a tree of Python
objects for every matching document: short French queries widened by synonyms match most
articles, and that walk took over 100 ms a query on 2,000 articles. Instead, the BM25
score of each term for every document is read from the postings once per index generation,
cached, and a query combines those vectors with numpy.
"""

from __future__ import annotations

import bisect
import math
import os
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import writing
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from helpdesk.academie.settings import describe as describe_placeholders
from helpdesk.knowledge.analysis import (
    WORD_RE,
    fold_word,
    folded_words,
    is_stopword,
    stem,
    term_for,
)
from helpdesk.knowledge.analysis import terms as index_terms
from helpdesk.knowledge.articles import ArticleDoc
from helpdesk.knowledge.highlight import Matched, excerpt, highlight
from helpdesk.knowledge.render import markdown_to_text
from helpdesk.knowledge.search_query import Unit, is_synonym, parse_query, with_synonyms
from helpdesk.knowledge.synonyms import SYNONYM_GROUPS

SCHEMA_VERSION = "2"
_VERSION_FILE = "helpdesk-schema-version"
_INDEX_NAME = "articles"

# A word of the title weighs more than a word of the summary or tags, which weighs more
# than a word of the body.
FIELD_BOOSTS = (("title", 2.5), ("keywords", 1.5), ("content", 1.0))
SYNONYM_BOOST = 0.9
TITLE_PHRASE_BONUS = 2.0
FUZZY_CANDIDATES = 3
PREFIX_EXPANSIONS = 20
FACET_FIELDS = ("audience", "motif", "tag")
BM25_B, BM25_K1 = 0.75, 1.2
TERM_CACHE_SIZE = 4096


class IndexBusyError(RuntimeError):
    """The index stayed locked by another writer longer than the timeout."""


class _FrenchFilter(Filter):
    """Fold, mark stop words, stem (see `analysis`). It holds no state, so the schema that
    whoosh pickles into the index always follows the current code."""

    def __call__(self, tokens):
        for token in tokens:
            folded = fold_word(token.text)
            if is_stopword(folded):
                token.stopped = True
                if token.removestops:
                    continue
                token.text = folded
            else:
                token.stopped = False
                token.text = stem(folded)
            yield token


class _FoldFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = fold_word(token.text)
            yield token


FRENCH_ANALYZER = RegexTokenizer(r"\w+") | _FrenchFilter()
WORDS_ANALYZER = RegexTokenizer(r"\w+") | _FoldFilter()


def _schema() -> Schema:
    return Schema(
        slug=ID(stored=True, unique=True),
        title=TEXT(analyzer=FRENCH_ANALYZER, stored=True, phrase=False),
        keywords=TEXT(analyzer=FRENCH_ANALYZER, phrase=False),
        content=TEXT(analyzer=FRENCH_ANALYZER, phrase=False),
        # Unstemmed words: the vocabulary for typing slips and as-you-type completion.
        words=TEXT(analyzer=WORDS_ANALYZER, phrase=False),
        summary=STORED,
        body_text=STORED,
        reviewed=STORED,
        audience=KEYWORD(stored=True),
        motif=KEYWORD(stored=True),
        tag=KEYWORD(stored=True, commas=True),
        status=ID(stored=True),
        title_sort=ID(sortable=True),
        # Number of terms of each scored field, read for every document at once by scoring.
        **{f"{name}_length": NUMERIC(sortable=True) for name, _boost in FIELD_BOOSTS},
    )


def _doc_fields(doc: ArticleDoc) -> dict[str, str | int]:
    body_text = describe_placeholders(markdown_to_text(doc.body))
    tags_text = " ".join(tag.replace("-", " ") for tag in doc.tags)
    content = "\n".join((doc.title, doc.summary, tags_text, body_text))
    keywords = f"{doc.summary}\n{tags_text}"
    return {
        "slug": doc.slug,
        "title": doc.title,
        "keywords": keywords,
        "content": content,
        "title_length": len(index_terms(doc.title)),
        "keywords_length": len(index_terms(keywords)),
        "content_length": len(index_terms(content)),
        "words": content,
        "summary": doc.summary,
        "body_text": body_text,
        "reviewed": doc.reviewed.isoformat() if doc.reviewed else "",
        "audience": " ".join(doc.audiences),
        "motif": " ".join(doc.motifs),
        "tag": ",".join(doc.tags),
        "status": doc.status,
        "title_sort": " ".join(folded_words(doc.title)),
    }


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


class _Generation:
    """What is computed once per index generation: masks of documents, titles, term scores
    (built on demand and kept in a bounded cache), vocabulary."""

    def __init__(self, reader: IndexReader):
        self.number = reader.generation()
        self.size = reader.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        self.live[list(reader.all_doc_ids())] = True
        self.masks: dict[str, dict[str, np.ndarray]] = {}
        for name in (*FACET_FIELDS, "status"):
            values = {}
            for value in reader.field_terms(name):
                mask = np.zeros(self.size, dtype=bool)
                mask[list(reader.postings(name, value).all_ids())] = True
                values[value] = mask & self.live
            self.masks[name] = values
        titles = [""] * self.size
        if self.size:
            column = reader.column_reader("title_sort")
            titles = [f" {column[docnum]} " for docnum in range(self.size)]
        self.titles = titles
        self.title_order = np.array(
            sorted(range(self.size), key=titles.__getitem__), dtype=np.int64
        )
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        self._scores: OrderedDict[tuple[str, str], np.ndarray | None] = OrderedDict()
        self._lock = threading.Lock()
        self._vocabulary: tuple[list[str], dict[int, list[str]]] | None = None

    def mask(self, name: str, values: Iterable[str]) -> np.ndarray:
        result = np.zeros(self.size, dtype=bool)
        for value in values:
            if value in self.masks[name]:
                result |= self.masks[name][value]
        return result

    def _field_lengths(self, reader: IndexReader, name: str) -> tuple[np.ndarray, float]:
        if name not in self._lengths:
            column = reader.column_reader(f"{name}_length")
            lengths = np.fromiter(column, dtype=np.float32, count=self.size)
            live = lengths[self.live]
            average = float(live.mean()) if live.size and live.mean() > 0 else 1.0
            self._lengths[name] = (lengths, average)
        return self._lengths[name]

    def term_scores(self, reader: IndexReader, name: str, term: str) -> np.ndarray | None:
        """BM25 score of `term` in field `name` for every document (None: absent)."""
        key = (name, term)
        with self._lock:
            if key in self._scores:
                self._scores.move_to_end(key)
                return self._scores[key]
            frequency = reader.doc_frequency(name, term)
            scores = None
            if frequency:
                ids, weights = [], []
                for docnum, weight in reader.postings(name, term).items_as("weight"):
                    ids.append(docnum)
                    weights.append(weight)
                lengths, average = self._field_lengths(reader, name)
                tf = np.array(weights, dtype=np.float32)
                norm = (1 - BM25_B) + BM25_B * lengths[ids] / average
                idf = math.log(self.size / (frequency + 1)) + 1
                scores = np.zeros(self.size, dtype=np.float32)
                scores[ids] = idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm)
            self._scores[key] = scores
            if len(self._scores) > TERM_CACHE_SIZE:
                self._scores.popitem(last=False)
            return scores

    def vocabulary(self, reader: IndexReader) -> tuple[list[str], dict[int, list[str]]]:
        """Every indexed word (folded, not stemmed) and the single-word synonyms, sorted,
        and the same grouped by length."""
        with self._lock:
            if self._vocabulary is None:
                words = set(reader.field_terms("words"))
                for group in SYNONYM_GROUPS:
                    for expression in group:
                        if len(parts := folded_words(expression)) == 1:
                            words.update(parts)
                ordered = sorted(words)
                by_length: dict[int, list[str]] = {}
                for word in ordered:
                    by_length.setdefault(len(word), []).append(word)
                self._vocabulary = (ordered, by_length)
            return self._vocabulary


class ArticleIndex:
    """The FAQ article index stored in one folder.

    `rebuild(docs)` replaces everything (the `reindex` command); `add_or_update(doc)` and
    `remove(slug)` follow each committed change of an article. `needs_rebuild` is true when
    opening had to create an empty index (new folder, or schema changed).
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 30.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.needs_rebuild = False
        self._local = threading.local()
        self._generation_lock = threading.Lock()
        self._generation: _Generation | None = None
        self._ix = self._open_or_create()

    # -- opening -----------------------------------------------------------------------

    def _acquire(self, lock, what: str) -> None:
        deadline = time.monotonic() + self.lock_timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise IndexBusyError(f"Index de recherche verrouillé ({what}) : {self.path}")
            time.sleep(0.02)

    def _open_or_create(self):
        self.path.mkdir(parents=True, exist_ok=True)
        storage = FileStorage(str(self.path))
        version_file = self.path / _VERSION_FILE
        create_lock = storage.lock("helpdesk-create.lock")
        self._acquire(create_lock, "création")
        try:
            exists = storage.index_exists(_INDEX_NAME)
            current = version_file.exists() and version_file.read_text().strip() == SCHEMA_VERSION
            if exists and current:
                try:
                    return storage.open_index(_INDEX_NAME)
                except (AttributeError, ImportError, EOFError, pickle.UnpicklingError):
                    pass  # a schema pickled by code that has since moved: start afresh
            write_lock = storage.lock(f"{_INDEX_NAME}_WRITELOCK") if exists else None
            if write_lock is not None:
                self._acquire(write_lock, "écriture")
            try:
                ix = storage.create_index(_schema(), indexname=_INDEX_NAME)
                tmp = version_file.with_suffix(".tmp")
                tmp.write_text(SCHEMA_VERSION + "\n")
                tmp.replace(version_file)
            finally:
                if write_lock is not None:
                    write_lock.release()
            self.needs_rebuild = True
            return ix
        finally:
            create_lock.release()

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def _writer(self, mergetype=None) -> Iterator[writing.SegmentWriter]:
        try:
            writer = self._ix.writer(timeout=self.lock_timeout, delay=0.02)
        except LockError as exc:
            raise IndexBusyError(f"Index de recherche verrouillé : {self.path}") from exc
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=mergetype)

    def rebuild(self, docs: Iterable[ArticleDoc]) -> int:
        """Replace the whole index by `docs`, in one commit; return how many were indexed."""
        count = 0
        with self._writer(mergetype=writing.CLEAR) as writer:
            for doc in docs:
                writer.add_document(**_doc_fields(doc))
                count += 1
        self.needs_rebuild = False
        return count

    def add_or_update(self, doc: ArticleDoc) -> None:
        with self._writer() as writer:
            writer.update_document(**_doc_fields(doc))

    def remove(self, slug: str) -> bool:
        """Remove an article; return whether it was indexed."""
        with self._writer() as writer:
            return writer.delete_by_term("slug", slug) > 0

    def apply(self, updated: Iterable[ArticleDoc] = (), removed: Iterable[str] = ()) -> None:
        """Add or update `updated` and remove the slugs `removed`, in one commit."""
        with self._writer() as writer:
            for slug in removed:
                writer.delete_by_term("slug", slug)
            for doc in updated:
                writer.update_document(**_doc_fields(doc))

    # -- reading -----------------------------------------------------------------------

    def _searcher(self) -> Searcher:
        """This thread's searcher, reopened when another writer has committed.

        (whoosh's `Searcher.refresh()` reuses the readers of unchanged segments, and with
        them stale deletion lists: a fresh searcher is opened instead.)
        """
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is not None and local.pid == os.getpid():
            if searcher.reader().generation() == self._ix.latest_generation():
                return searcher
            searcher.close()
        local.searcher, local.pid = self._ix.searcher(), os.getpid()
        return local.searcher

    def _open(self) -> tuple[Searcher, IndexReader, _Generation]:
        searcher = self._searcher()
        reader = searcher.reader()
        with self._generation_lock:
            generation = self._generation
            if generation is None or generation.number != reader.generation():
                generation = self._generation = _Generation(reader)
        return searcher, reader, generation

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and self._local.pid == os.getpid():
            searcher.close()
        self._local.searcher = None

    def slugs(self) -> set[str]:
        return {fields["slug"] for fields in self._searcher().documents()}

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    # -- scoring -----------------------------------------------------------------------

    def _units(self, words: list[str], reader: IndexReader, generation: _Generation) -> list[Unit]:
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
        unit: Unit, reader: IndexReader, generation: _Generation, matched: set[tuple[str, ...]]
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
        generation: _Generation,
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
        generation: _Generation, audiences: list[str] | None, include_drafts: bool
    ) -> np.ndarray:
        visible = generation.live.copy()
        if not include_drafts:
            visible &= generation.mask("status", ["published"])
        if audiences is not None:
            visible &= generation.mask("audience", audiences)
        return visible

    @staticmethod
    def _title_bonus(scores: np.ndarray, words: list[str], generation: _Generation) -> None:
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
    def _count(generation: _Generation, name: str, selection: np.ndarray) -> dict[str, int]:
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
        prefix: str, reader: IndexReader, generation: _Generation
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
