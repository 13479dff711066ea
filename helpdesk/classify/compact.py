"""The categoriser as the predicting processes load it: arrays and vocabularies, numpy only.

A web worker must stay small (under 150 MB) and answer at once: importing scikit-learn and
SciPy alone costs it about 110 MB, and training on first use several seconds. A trained
`model.Classifier` is therefore exported here as its vocabularies, inverse document
frequencies and linear coefficients, and these reproduce its features (TF-IDF over words and
character n-grams, sublinear, L2-normalised per block) and its calibrated probabilities
(softmax of the temperature-scaled SVM decisions) to within float rounding. One such model,
trained on the shipped examples, ships with the package; retraining writes another beside
the full model in the cache folder.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from helpdesk.classify.documents import (
    SECOND_MOTIF_MIN_PROBABILITY,
    Prediction,
    compose,
    split_parts,
)
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE, MOTIF_NATURE
from helpdesk.util.language import detect_language

COMPACT_FORMAT = 1
CACHE_FILE_NAME = "classifier.joblib"
"""The full model (scikit-learn objects) in the cache folder; retraining starts from it."""
COMPACT_FILE_NAME = "classifier.compact.npz"
SHIPPED_COMPACT = Path(__file__).parent / "data" / "shipped.compact.npz"

_TOKEN = re.compile(r"(?u)\b\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")


class Predicting:
    """Prediction steps shared by the full and the compact model.

    A model provides `motifs`, `_motif_probabilities(documents)` and
    `_types_for(documents, motifs)`; this gives predictions with language and second motif.
    """

    @property
    def motifs(self) -> list[str]:
        raise NotImplementedError

    def _motif_probabilities(self, documents: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _types_for(self, documents: list[str], motifs: list[str]) -> list[str]:
        raise NotImplementedError

    def predict(self, subject: str | None, body: str | None) -> Prediction:
        return self.predict_many([(subject, body)])[0]

    def predict_many(self, requests: Iterable[tuple[str | None, str | None]]) -> list[Prediction]:
        requests = list(requests)
        documents = [compose(subject, body) for subject, body in requests]
        if not documents:
            return []
        probabilities = self._motif_probabilities(documents)
        classes = self.motifs
        best = probabilities.argmax(axis=1)
        motifs = [classes[index] for index in best]
        types = self._types_for(documents, motifs)
        return [
            Prediction(
                type=type_,
                nature=MOTIF_NATURE[motif],
                motif=motif,
                confidence=float(probabilities[row, index]),
                language=detect_language(*requests[row]),
                second_motif=self._second_motif(requests[row][1], motif),
            )
            for row, (index, motif, type_) in enumerate(zip(best, motifs, types, strict=True))
        ]

    def _second_motif(self, body: str | None, motif: str) -> str | None:
        """The motif of another part of the request, when one part is surely about another problem.

        A request that tells two problems ("mot de passe oublié, et il manque un enfant") gets
        the motif of the whole as its main one; each part that words like "et aussi", "par
        ailleurs", "also" introduce is then read alone, and the surest one that points
        elsewhere (never to `autre`) gives the second motif.
        """
        parts = split_parts(body)
        if len(parts) < 2:
            return None
        probabilities = self._motif_probabilities([compose("", part) for part in parts])
        classes = self.motifs
        second, surest = None, SECOND_MOTIF_MIN_PROBABILITY
        for row in probabilities:
            index = int(row.argmax())
            candidate = classes[index]
            if candidate not in (motif, "autre") and row[index] >= surest:
                second, surest = candidate, float(row[index])
        return second

    def rank_motifs(
        self, subject: str | None, body: str | None, k: int = 3
    ) -> list[tuple[str, float]]:
        """The k likeliest motifs with their probabilities, best first."""
        probabilities = self._motif_probabilities([compose(subject, body)])[0]
        order = probabilities.argsort()[::-1][:k]
        return [(self.motifs[index], float(probabilities[index])) for index in order]


def word_terms(document: str) -> list[str]:
    """Words and pairs of words, as the word vectoriser of training reads them."""
    tokens = _TOKEN.findall(document)
    return tokens + [
        f"{first} {second}" for first, second in zip(tokens[:-1], tokens[1:], strict=True)
    ]


def char_terms(document: str, shortest: int = 2, longest: int = 5) -> list[str]:
    """Character n-grams inside word boundaries (padded by a space), as in training."""
    terms: list[str] = []
    for word in _WHITE_SPACES.sub(" ", document).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(shortest, longest + 1):
            offset = 0
            terms.append(padded[offset : offset + n])
            while offset + n < size:
                offset += 1
                terms.append(padded[offset : offset + n])
            if offset == 0:
                break
    return terms


def _tfidf(terms: list[str], vocabulary: dict[str, int], idf: np.ndarray):
    counts: dict[int, int] = {}
    for term in terms:
        index = vocabulary.get(term)
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    if not counts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    frequencies = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    values = (1.0 + np.log(frequencies)) * idf[indices]
    norm = math.sqrt(float(values @ values))
    return indices, values / norm if norm else values


class CompactModel(Predicting):
    """Vocabularies and coefficients of a trained classifier; predicts without scikit-learn."""

    def __init__(
        self,
        *,
        word_terms: Sequence[str],
        word_idf: np.ndarray,
        char_terms: Sequence[str],
        char_idf: np.ndarray,
        motifs: Sequence[str],
        motif_coef: np.ndarray,
        motif_intercept: np.ndarray,
        inverse_temperature: float,
        types: Sequence[str] = (),
        type_coef: np.ndarray | None = None,
        type_intercept: np.ndarray | None = None,
        digest: str = "",
        corrections: Sequence[dict] = (),
    ) -> None:
        self._word = {term: index for index, term in enumerate(word_terms)}
        self._char = {term: index for index, term in enumerate(char_terms)}
        self._word_terms, self._char_terms = list(word_terms), list(char_terms)
        self._word_idf = np.asarray(word_idf, dtype=np.float64)
        self._char_idf = np.asarray(char_idf, dtype=np.float64)
        self._motifs = [str(motif) for motif in motifs]
        self._motif_coef = np.asarray(motif_coef, dtype=np.float32)
        self._motif_intercept = np.asarray(motif_intercept, dtype=np.float64)
        self._beta = float(inverse_temperature)
        self._types = [str(type_) for type_ in types]
        self._type_coef = None if type_coef is None else np.asarray(type_coef, dtype=np.float32)
        self._type_intercept = (
            None if type_intercept is None else np.asarray(type_intercept, dtype=np.float64)
        )
        #: Fingerprint of the examples (with corrections) the model was trained on.
        self.digest = digest
        #: Agents' corrections it was trained with, as example dictionaries.
        self.corrections = list(corrections)

    @property
    def motifs(self) -> list[str]:
        return self._motifs

    def _scores(self, document: str, coef: np.ndarray) -> np.ndarray:
        word_index, word_values = _tfidf(word_terms(document), self._word, self._word_idf)
        char_index, char_values = _tfidf(char_terms(document), self._char, self._char_idf)
        offset = len(self._word_terms)
        return coef[:, word_index] @ word_values + coef[:, offset + char_index] @ char_values

    def _motif_probabilities(self, documents: list[str]) -> np.ndarray:
        rows = []
        for document in documents:
            logits = self._beta * (self._scores(document, self._motif_coef) + self._motif_intercept)
            logits -= logits.max()
            weights = np.exp(logits)
            rows.append(weights / weights.sum())
        return np.vstack(rows)

    def _types_for(self, documents: list[str], motifs: list[str]) -> list[str]:
        if self._type_coef is None:
            return [MOTIF_DEFAULT_TYPE[motif] for motif in motifs]
        types = []
        for document in documents:
            scores = self._scores(document, self._type_coef) + self._type_intercept
            if scores.shape[0] == 1:
                types.append(self._types[int(scores[0] > 0)])
            else:
                types.append(self._types[int(scores.argmax())])
        return types

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the arrays and vocabularies (no pickle), replacing the file atomically."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": COMPACT_FORMAT,
            "digest": self.digest,
            "inverse_temperature": self._beta,
            "motifs": self._motifs,
            "types": self._types,
            "corrections": self.corrections,
        }
        arrays = {
            "meta": np.array(json.dumps(meta, ensure_ascii=False)),
            "word_terms": np.array(self._word_terms),
            "word_idf": self._word_idf,
            "char_terms": np.array(self._char_terms),
            "char_idf": self._char_idf,
            "motif_coef": self._motif_coef,
            "motif_intercept": self._motif_intercept,
        }
        if self._type_coef is not None:
            arrays["type_coef"] = self._type_coef
            arrays["type_intercept"] = self._type_intercept
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".compact-", suffix=".npz")
        os.close(handle)
        try:
            np.savez_compressed(temporary, **arrays)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CompactModel:
        """Read a saved compact model; ValueError when the file is not one of this format."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("format") != COMPACT_FORMAT:
                    raise ValueError(f"format {meta.get('format')!r}")
                return cls(
                    word_terms=[str(t) for t in data["word_terms"]],
                    word_idf=data["word_idf"],
                    char_terms=[str(t) for t in data["char_terms"]],
                    char_idf=data["char_idf"],
                    motifs=meta["motifs"],
                    motif_coef=data["motif_coef"],
                    motif_intercept=data["motif_intercept"],
                    inverse_temperature=meta["inverse_temperature"],
                    types=meta["types"],
                    type_coef=data["type_coef"] if "type_coef" in data else None,
                    type_intercept=data["type_intercept"] if "type_intercept" in data else None,
                    digest=meta["digest"],
                    corrections=meta.get("corrections", []),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ValueError(f"Modèle compact illisible : {path} ({exc})") from exc
