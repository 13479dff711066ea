"""Full-text search of the FAQ articles; the only module that knows the engine (whoosh).

One index folder is shared by every process of the application. Writers take whoosh's file
lock and wait for it, so concurrent updates are serialised and none is lost. Readers reopen
their searcher as soon as another process has committed.
"""

from __future__ import annotations

import bisect
import html
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import writing
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.matching import DisjunctionMaxMatcher, NullMatcher
from whoosh.query import And, AndMaybe, DisjunctionMax, Every, Query, Term
from whoosh.query.compound import DefaultOr as Or
from whoosh.searching import Searcher

from helpdesk.knowledge.analysis import (
    WORD_RE,
    fold_word,
    folded_words,
    is_stopword,
    stem,
    term_for,
)
from helpdesk.knowledge.articles import ArticleDoc
from helpdesk.knowledge.render import markdown_to_text
from helpdesk.knowledge.synonyms import SYNONYM_GROUPS, longest_expression, synonym_table

SCHEMA_VERSION = "1"
_VERSION_FILE = "helpdesk-schema-version"
_INDEX_NAME = "articles"

# Field boosts: a word of the title weighs more than a word of the summary or tags,
# which weighs more than a word of the body.
FIELD_BOOSTS = (("title", 2.5), ("keywords", 1.5), ("content", 1.0))
SYNONYM_BOOST = 0.9
TITLE_PHRASE_BONUS = 2.0
FUZZY_BOOST = 0.8
FUZZY_MIN_LENGTH = 5
FUZZY_CANDIDATES = 3
PREFIX_EXPANSIONS = 20
EXCERPT_CHARS = 220
FACET_FIELDS = ("audience", "motif", "tag")
_ELISIONS = ("qu", "c", "d", "j", "l", "m", "n", "s", "t")


class IndexBusyError(RuntimeError):
    """The index stayed locked by another writer longer than the timeout."""


class _FrenchFilter(Filter):
    """Fold, mark stop words, stem (see `analysis`); holds no state, so the pickled
    schema always follows the current code."""

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


class _MaxMatcher(DisjunctionMaxMatcher):
    """Scores a document with its best alternative. (whoosh's own DisjunctionMaxMatcher
    also counts a sub-matcher positioned on another document, and drops matches when
    one side runs out.)"""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        a_id, b_id = a.id(), b.id()
        if a_id == b_id:
            return max(a.score(), b.score())
        return a.score() if a_id < b_id else b.score()

    def replace(self, minquality=0):
        a_active, b_active = self.a.is_active(), self.b.is_active()
        if not (a_active or b_active):
            return NullMatcher()
        if not a_active:
            return self.b.replace(minquality)
        if not b_active:
            return self.a.replace(minquality)
        a, b = self.a.replace(minquality), self.b.replace(minquality)
        if not (a.is_active() or b.is_active()):
            return NullMatcher()
        if not a.is_active():
            return b
        if not b.is_active():
            return a
        if a is not self.a or b is not self.b:
            return self.__class__(a, b, tiebreak=self.tiebreak)
        return self


class _BestOf(DisjunctionMax):
    """Matches any alternative; the score is the best alternative's, not their sum."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(
            subs, _MaxMatcher, searcher, context, lambda q: q.estimate_size(reader)
        )


FRENCH_ANALYZER = RegexTokenizer(r"\w+") | _FrenchFilter()
WORDS_ANALYZER = RegexTokenizer(r"\w+") | _FoldFilter()


def _schema() -> Schema:
    return Schema(
        slug=ID(stored=True, unique=True),
        title=TEXT(analyzer=FRENCH_ANALYZER, stored=True, phrase=False),
        keywords=TEXT(analyzer=FRENCH_ANALYZER, phrase=False),
        content=TEXT(analyzer=FRENCH_ANALYZER, phrase=False),
        words=TEXT(analyzer=WORDS_ANALYZER, phrase=False),
        summary=STORED,
        body_text=STORED,
        reviewed=STORED,
        audience=KEYWORD(stored=True),
        motif=KEYWORD(stored=True),
        tag=KEYWORD(stored=True, commas=True),
        status=ID(stored=True),
        title_sort=ID(sortable=True),
    )


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


@dataclass(frozen=True)
class _Unit:
    """One thing the person asked for: a word, or an expression with its synonyms."""

    alternatives: tuple[tuple[str, ...], ...]
    boost: float = 1.0
    typed: tuple[str, ...] | None = None


@dataclass
class _Catalog:
    """Per index generation: facet values of every document, and the vocabulary."""

    doc_values: dict[str, dict[int, tuple[str, ...]]]
    postings: dict[str, dict[str, frozenset[int]]]
    titles: list[str]
    vocabulary: list[str] | None = None
    by_length: dict[int, list[str]] = field(default_factory=dict)


def _doc_fields(doc: ArticleDoc) -> dict[str, str]:
    body_text = markdown_to_text(doc.body)
    tags_text = " ".join(tag.replace("-", " ") for tag in doc.tags)
    content = "\n".join((doc.title, doc.summary, tags_text, body_text))
    return {
        "slug": doc.slug,
        "title": doc.title,
        "keywords": f"{doc.summary}\n{tags_text}",
        "content": content,
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


Matched = frozenset[tuple[str, ...]]


def _marks(text: str, matched: Matched) -> list[tuple[int, int, tuple[str, ...]]]:
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
        start, end, term = words[position]
        for terms in by_first.get(term, ()):
            size = len(terms)
            if tuple(w[2] for w in words[position : position + size]) == terms:
                marks.append((start, words[position + size - 1][1], terms))
                position += size
                break
        else:
            position += 1
    return marks


def _highlight_marks(text: str, marks: Iterable[tuple[int, int, tuple[str, ...]]]) -> str:
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
    return _highlight_marks(text, _marks(text, matched))


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
    passage = _highlight_marks(flat[begin:end], shown)
    return ("… " if begin else "") + passage + (" …" if end < len(flat) else "")


class ArticleIndex:
    """The FAQ article index stored in one folder.

    `rebuild(docs)` replaces everything (the `reindex` command), `add_or_update(doc)` and
    `remove(slug)` follow each committed change of an article. `needs_rebuild` is true when
    opening had to create an empty index (new folder, or schema changed).
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 30.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.needs_rebuild = False
        self._local = threading.local()
        self._catalog_lock = threading.Lock()
        self._catalogs: dict[int, _Catalog] = {}
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
                return storage.open_index(_INDEX_NAME)
            write_lock = None
            if exists:
                write_lock = storage.open_index(_INDEX_NAME).lock("WRITELOCK")
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

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and self._local.pid == os.getpid():
            searcher.close()
        self._local.searcher = None

    def _catalog(self, searcher: Searcher) -> _Catalog:
        generation = searcher.reader().generation()
        with self._catalog_lock:
            catalog = self._catalogs.get(generation)
            if catalog is None:
                catalog = self._build_catalog(searcher)
                self._catalogs = {generation: catalog}
            return catalog

    @staticmethod
    def _build_catalog(searcher: Searcher) -> _Catalog:
        reader = searcher.reader()
        postings: dict[str, dict[str, frozenset[int]]] = {}
        doc_values: dict[str, dict[int, tuple[str, ...]]] = {}
        for name in FACET_FIELDS:
            values: dict[str, frozenset[int]] = {}
            per_doc: dict[int, list[str]] = {}
            for value in reader.field_terms(name):
                docs = frozenset(reader.postings(name, value).all_ids())
                values[value] = docs
                for docnum in docs:
                    per_doc.setdefault(docnum, []).append(value)
            postings[name] = values
            doc_values[name] = {docnum: tuple(v) for docnum, v in per_doc.items()}
        column = reader.column_reader("title_sort")
        titles = [f" {column[docnum]} " for docnum in range(reader.doc_count_all())]
        return _Catalog(doc_values=doc_values, postings=postings, titles=titles)

    def _vocabulary(self, searcher: Searcher) -> _Catalog:
        catalog = self._catalog(searcher)
        with self._catalog_lock:
            if catalog.vocabulary is None:
                words = set(searcher.reader().field_terms("words"))
                for group in SYNONYM_GROUPS:
                    for expression in group:
                        if len(parts := folded_words(expression)) == 1:
                            words.update(parts)
                catalog.vocabulary = sorted(words)
                for word in catalog.vocabulary:
                    catalog.by_length.setdefault(len(word), []).append(word)
        return catalog

    def slugs(self) -> set[str]:
        return {fields["slug"] for fields in self._searcher().documents()}

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    # -- query building ----------------------------------------------------------------

    @staticmethod
    def _is_known(word: str, searcher: Searcher) -> bool:
        term = term_for(word)
        if term is None or (term,) in synonym_table()[0]:
            return True
        return searcher.doc_frequency("content", term) > 0

    def _repair_elisions(self, words: list[str], searcher: Searcher) -> list[str]:
        """`napparait` -> `apparait`, `lidentifiant` -> `identifiant` (apostrophe left out)."""
        repaired = []
        for word in words:
            if not self._is_known(word, searcher):
                for prefix in _ELISIONS:
                    rest = word[len(prefix) :]
                    if (
                        word.startswith(prefix)
                        and len(rest) >= 2
                        and rest[0] in "aeiouyh"
                        and self._is_known(rest, searcher)
                    ):
                        word = rest
                        break
            repaired.append(word)
        return repaired

    def _corrections(self, word: str, searcher: Searcher) -> list[str]:
        """Index terms of the known words within one typing slip of `word` (two if long)."""
        catalog = self._vocabulary(searcher)
        maxdist = 1 if len(word) < 9 else 2
        pool = [
            candidate
            for length in range(len(word) - maxdist, len(word) + maxdist + 1)
            for candidate in catalog.by_length.get(length, ())
        ]
        found = process.extract(word, pool, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
        ranked = sorted(
            (distance, -searcher.doc_frequency("words", candidate), term)
            for candidate, distance, _pos in found
            if candidate != word and (term := term_for(candidate)) is not None
        )
        return list(dict.fromkeys(term for _d, _f, term in ranked))[:FUZZY_CANDIDATES]

    @staticmethod
    def _alternatives(terms: Iterable[str]) -> list[tuple[str, ...]]:
        """Each term alone, or with its synonyms when it is an expression of a group."""
        index, groups = synonym_table()
        alternatives: list[tuple[str, ...]] = []
        for term in terms:
            if (term,) in index:
                alternatives.extend(groups[index[(term,)]])
            else:
                alternatives.append((term,))
        return list(dict.fromkeys(alternatives))

    def _units(self, words: list[str], searcher: Searcher) -> list[_Unit]:
        index, groups = synonym_table()
        longest = longest_expression()
        pairs = [
            (word, term)
            for word in self._repair_elisions(words, searcher)
            if (term := term_for(word)) is not None
        ]
        units: list[_Unit] = []
        used_groups: set[int] = set()
        position = 0
        while position < len(pairs):
            for size in range(min(longest, len(pairs) - position), 0, -1):
                key = tuple(term for _word, term in pairs[position : position + size])
                if key in index:
                    # Two expressions of one group ("numéro", "portable") ask for one thing.
                    if index[key] not in used_groups:
                        used_groups.add(index[key])
                        units.append(_Unit(groups[index[key]], typed=key))
                    position += size
                    break
            else:
                word, term = pairs[position]
                position += 1
                if self._is_known(word, searcher) or len(word) < FUZZY_MIN_LENGTH:
                    units.append(_Unit(((term,),), typed=(term,)))
                    continue
                corrections = self._alternatives(self._corrections(word, searcher))
                units.append(_Unit(tuple(corrections) or ((term,),), FUZZY_BOOST))
        return units

    @staticmethod
    def _unit_query(unit: _Unit, searcher: Searcher, matched: set[tuple[str, ...]]) -> Query | None:
        alternatives: list[Query] = []
        # The expression typed counts each of its words; a synonym counts as one word.
        for stems in sorted(unit.alternatives, key=lambda alternative: alternative != unit.typed):
            if stems == unit.typed:
                weight = unit.boost
            else:
                weight = unit.boost * SYNONYM_BOOST / len(stems)
            per_field = []
            for name, boost in FIELD_BOOSTS:
                # Terms absent from a field cannot match: leave them out of the query.
                if not all(searcher.doc_frequency(name, s) for s in stems):
                    continue
                clauses = [Term(name, s) for s in stems]
                clause = clauses[0] if len(clauses) == 1 else And(clauses)
                clause.boost = boost * weight
                per_field.append(clause)
            if per_field:
                matched.add(stems)
                alternatives.append(per_field[0] if len(per_field) == 1 else Or(per_field))
        if not alternatives:
            return None
        return alternatives[0] if len(alternatives) == 1 else _BestOf(alternatives)

    def _query(
        self, units: Sequence[_Unit], searcher: Searcher, terms: set[tuple[str, ...]]
    ) -> Query | None:
        queries = []
        for unit in dict.fromkeys(units):
            query = self._unit_query(unit, searcher, terms)
            if query is not None:
                queries.append(query)
        if not queries:
            return None
        return queries[0] if len(queries) == 1 else Or(queries)

    @staticmethod
    def _visibility(audiences: Iterable[str] | None, include_drafts: bool) -> Query | None:
        parts: list[Query] = []
        if not include_drafts:
            parts.append(Term("status", "published"))
        if audiences is not None:
            parts.append(Or([Term("audience", a) for a in audiences]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)

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
        if audiences is not None and not audiences:
            return SearchResult(hits=[], facets={name: {} for name in FACET_FIELDS}, total=0)
        searcher = self._searcher()
        terms: set[tuple[str, ...]] = set()
        visibility = self._visibility(audiences, include_drafts)
        words = [fold_word(m.group()) for m in WORD_RE.finditer(query or "")]
        if words:
            whoosh_query = self._query(self._units(words, searcher), searcher, terms)
            if whoosh_query is None:
                ranked: list[tuple[int, float]] = []
            else:
                results = searcher.search(whoosh_query, filter=visibility, limit=None)
                ranked = self._title_bonus(
                    [(docnum, score) for score, docnum in results.top_n], words, searcher
                )
        else:
            results = searcher.search(Every(), filter=visibility, limit=None, sortedby="title_sort")
            ranked = [(docnum, 0.0) for _score, docnum in results.top_n]

        catalog = self._catalog(searcher)
        motif_docs = self._selected(catalog, "motif", motifs)
        tag_docs = self._selected(catalog, "tag", tags)

        def keep(docnum: int, selected: frozenset[int] | None) -> bool:
            return selected is None or docnum in selected

        in_tags = [d for d, _s in ranked if keep(d, tag_docs)]
        in_motifs = [d for d, _s in ranked if keep(d, motif_docs)]
        kept = [(d, s) for d, s in ranked if keep(d, motif_docs) and keep(d, tag_docs)]
        facets = {
            "audience": self._count(catalog, "audience", (d for d, _s in kept)),
            "motif": self._count(catalog, "motif", in_tags),
            "tag": self._count(catalog, "tag", in_motifs),
        }
        hits = [self._hit(searcher, d, s, frozenset(terms)) for d, s in kept[: max(limit, 0)]]
        return SearchResult(hits=hits, facets=facets, total=len(kept))

    def _title_bonus(
        self, ranked: list[tuple[int, float]], words: list[str], searcher: Searcher
    ) -> list[tuple[int, float]]:
        """Put first the titles that contain the whole query as typed ("je n'ai pas de compte")."""
        if len(words) < 2:
            return ranked
        titles = self._catalog(searcher).titles
        phrase = f" {' '.join(words)} "
        boosted = [(d, s * TITLE_PHRASE_BONUS if phrase in titles[d] else s) for d, s in ranked]
        return sorted(boosted, key=lambda item: -item[1])

    @staticmethod
    def _selected(
        catalog: _Catalog, name: str, values: Iterable[str] | None
    ) -> frozenset[int] | None:
        if values is None:
            return None
        values = list(values)
        if not values:
            return None
        selected: set[int] = set()
        for value in values:
            selected |= catalog.postings[name].get(value, frozenset())
        return frozenset(selected)

    @staticmethod
    def _count(catalog: _Catalog, name: str, docnums: Iterable[int]) -> dict[str, int]:
        per_doc = catalog.doc_values[name]
        counts = Counter(value for docnum in docnums for value in per_doc.get(docnum, ()))
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, score: float, terms: Matched) -> Hit:
        stored = searcher.stored_fields(docnum)
        summary = stored.get("summary", "")
        snippet = excerpt(stored.get("body_text", ""), terms) if terms else ""
        if not snippet:
            snippet = highlight(summary, terms)
        return Hit(
            slug=stored["slug"],
            title=stored["title"],
            score=float(score),
            excerpt_html=snippet,
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
        if not words or (audiences is not None and not audiences):
            return []
        searcher = self._searcher()
        partial = words.pop() if not query[-1:].isspace() else None
        terms: set[tuple[str, ...]] = set()
        rest = self._query(self._units(words, searcher), searcher, terms) if words else None
        prefix_query = None
        if partial is not None and len(partial) >= 2:
            expansions = self._expand_prefix(partial, searcher)
            prefix_query = (
                self._unit_query(_Unit(expansions), searcher, terms) if expansions else None
            )
            if prefix_query is None and rest is None:
                return []
        if prefix_query is not None:
            whoosh_query = prefix_query if rest is None else AndMaybe(prefix_query, rest)
        elif rest is not None:
            whoosh_query = rest
        else:
            return []
        results = searcher.search(
            whoosh_query, filter=self._visibility(audiences, include_drafts), limit=limit
        )
        return [
            Suggestion(slug=hit["slug"], title=hit["title"], summary=hit.get("summary", ""))
            for hit in results
        ]

    def _expand_prefix(self, prefix: str, searcher: Searcher) -> tuple[tuple[str, ...], ...]:
        catalog = self._vocabulary(searcher)
        vocabulary = catalog.vocabulary or []
        start = bisect.bisect_left(vocabulary, prefix)
        matches = []
        for word in vocabulary[start:]:
            if not word.startswith(prefix):
                break
            if term_for(word) is not None:
                matches.append(word)
        matches.sort(key=lambda w: (-searcher.doc_frequency("words", w), w))
        terms = dict.fromkeys(term_for(word) for word in matches[:PREFIX_EXPANSIONS])
        return tuple(self._alternatives(t for t in terms if t is not None))
