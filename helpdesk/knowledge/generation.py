"""What the search computes once per index generation: masks of documents, titles, BM25
scores of terms (built on demand, in a bounded cache), vocabulary."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from whoosh.reading import IndexReader

from helpdesk.knowledge.analysis import (
    folded_words,
)
from helpdesk.knowledge.synonyms import SYNONYM_GROUPS

FACET_FIELDS = ("audience", "motif", "tag")
BM25_B, BM25_K1 = 0.75, 1.2
TERM_CACHE_SIZE = 4096


class Generation:
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
