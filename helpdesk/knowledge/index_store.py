"""The FAQ article index's folder: what is indexed, and how it is opened and written.

The index is a whoosh index in one folder shared by every process of the application:
French analysis at indexing time, postings, stored fields, a file lock that writers wait
for (so concurrent updates are serialised and none is lost), and generations that readers
follow (a commit by another process is visible to the next search).
"""

from __future__ import annotations

import os
import pickle
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import writing
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.searching import Searcher

from helpdesk.academie.settings import describe as describe_placeholders
from helpdesk.knowledge.analysis import (
    fold_word,
    folded_words,
    is_stopword,
    stem,
)
from helpdesk.knowledge.analysis import terms as index_terms
from helpdesk.knowledge.articles import ArticleDoc
from helpdesk.knowledge.render import markdown_to_text

SCHEMA_VERSION = "2"
_VERSION_FILE = "helpdesk-schema-version"
_INDEX_NAME = "articles"

# A word of the title weighs more than a word of the summary or tags, which weighs more
# than a word of the body.
FIELD_BOOSTS = (("title", 2.5), ("keywords", 1.5), ("content", 1.0))


#: What reading a schema pickled by code that has since moved raises.
_STALE_SCHEMA = (AttributeError, ImportError, EOFError, pickle.UnpicklingError)


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


class IndexStore:
    """The index folder: opened (or created empty when new or of an older schema), written
    under whoosh's lock, and read through one searcher per thread.

    `rebuild(docs)` replaces everything (the `reindex` command); `add_or_update(doc)` and
    `remove(slug)` follow each committed change of an article. `needs_rebuild` is true when
    opening had to create an empty index (new folder, or schema changed).
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 30.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.needs_rebuild = False
        self._local = threading.local()
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
            try:
                exists = storage.index_exists(_INDEX_NAME)
            except _STALE_SCHEMA:
                exists = True  # an index whose schema cannot be read: replaced below
            current = version_file.exists() and version_file.read_text().strip() == SCHEMA_VERSION
            if exists and current:
                try:
                    return storage.open_index(_INDEX_NAME)
                except _STALE_SCHEMA:
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

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and self._local.pid == os.getpid():
            searcher.close()
        self._local.searcher = None

    def slugs(self) -> set[str]:
        return {fields["slug"] for fields in self._searcher().documents()}

    def doc_count(self) -> int:
        return self._searcher().doc_count()
