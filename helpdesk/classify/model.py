"""Statistical categoriser: predicts type, nature and motif of a request from its free text.

Features are TF-IDF over words (1-2 grams) and over character n-grams inside word
boundaries (2-5), computed on normalised text (lowercase, accents folded, contact data and
dates masked) followed by the French key terms that `lexicon` finds in any language. The
motif comes from a linear SVM calibrated by temperature scaling on cross-validated decision
values, the nature follows from the motif, and the type comes from a second linear SVM on
the same features (or from the motif's default type). Each prediction also carries the
request's language and, when one part of it tells another problem, a second motif.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import joblib
import numpy as np
import sklearn
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from helpdesk.classify.lexicon import key_terms
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE, MOTIF_NATURE, check_labels
from helpdesk.util.language import DEFAULT_LANGUAGE, detect_language

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
SHIPPED_EXAMPLES = Path(__file__).parent / "data" / "training.jsonl"
DEVELOPMENT_REQUESTS = Path(__file__).parent / "data" / "development.jsonl"
"""Requests the model is measured and tuned on, never trained on (the guard of retraining)."""
CACHE_FILE_NAME = "classifier.joblib"
MAX_SUBJECT_CHARS = 300
MAX_BODY_CHARS = 1500
SECOND_MOTIF_MIN_PROBABILITY = 0.6
"""A part of the request must point this surely to another motif to count as a second problem."""

TypeStrategy = Literal["classifier", "motif_default"]


class TrainingError(ValueError):
    """Raised when examples cannot train a classifier."""


@dataclass(frozen=True)
class Example:
    subject: str
    body: str
    type: str
    nature: str
    motif: str
    weight: float = 1.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Example:
        example = cls(
            subject=str(data.get("subject") or ""),
            body=str(data.get("body") or ""),
            type=data["type"],
            nature=data["nature"],
            motif=data["motif"],
            weight=float(data.get("weight", 1.0)),
        )
        check_labels(example.type, example.nature, example.motif)
        return example

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.weight == 1.0:
            del data["weight"]
        return data


@dataclass(frozen=True)
class Prediction:
    type: str
    nature: str
    motif: str
    confidence: float
    language: str = DEFAULT_LANGUAGE
    second_motif: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_examples(path: str | os.PathLike[str] = SHIPPED_EXAMPLES) -> list[Example]:
    """Read training examples from a JSON-lines file."""
    examples = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                examples.append(Example.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise TrainingError(f"{path}, ligne {number} : exemple invalide ({exc})") from exc
    return examples


def motif_accuracy(classifier: Classifier, examples: Sequence[Example]) -> float:
    """Share of the examples whose motif the classifier finds."""
    if not examples:
        return 0.0
    predictions = classifier.predict_many((e.subject, e.body) for e in examples)
    return sum(p.motif == e.motif for p, e in zip(predictions, examples, strict=True)) / len(
        examples
    )


def examples_digest(examples: Iterable[Example]) -> str:
    """Stable fingerprint of a set of examples (order included)."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(json.dumps(example.to_dict(), sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_DATE = re.compile(r"\b\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2,4}\b")
_PHONE = re.compile(r"(?:\+|\b00)?\d[\d .-]{7,}\d\b")
_APOSTROPHE = re.compile(r"[’'`´]")
_REPEAT = re.compile(r"(\D)\1{2,}")
_SPACE = re.compile(r"\s+")
_PARTS = re.compile(
    # Words that introduce another problem: "..., et en plus ...", "Par ailleurs ...", "+".
    r"(?:[,.;!?]\s*|\s)(?:et|and|e|y|mais|but|mas|pero)\s+(?:aussi|en plus|au passage|also|"
    r"tambem|también|tambien|ook|du coup|quand|ensuite|en même temps|"
    r"(?=(?:il|elle)\s+(?:manque|n'apparait|n'apparaît))|(?=mon (?:autre|fils|aîné|cadet)|ma fille|"
    r"my (?:daughter|son|other)))|"
    r"(?:^|[.;!?\n]\s*)(?:par ailleurs|de plus|en plus|autre (?:probl[eè]me|souci)|aussi|also|"
    r"in addition|besides|além disso|ademas|además)\b|\s\+\s",
    re.IGNORECASE,
)


def normalize(text: str) -> str:
    """Lowercase, fold accents and ligatures, mask e-mails, URLs, dates and phone numbers."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _EMAIL.sub(" xcourriel ", text)
    text = _URL.sub(" xlien ", text)
    text = _DATE.sub(" xdate ", text)
    text = _PHONE.sub(" xtelephone ", text)
    text = _APOSTROPHE.sub(" ", text)
    text = _REPEAT.sub(r"\1\1", text)
    return _SPACE.sub(" ", text).strip()


def compose(subject: str | None, body: str | None) -> str:
    """The one document the models read for a request."""
    subject = normalize((subject or "")[:MAX_SUBJECT_CHARS])
    body = normalize((body or "")[:MAX_BODY_CHARS])
    terms = key_terms(f"{subject} {body}")
    return f"{subject} | {body} || {terms}" if terms else f"{subject} | {body}"


class TextFeatures:
    """TF-IDF over words (1-2 grams) and character n-grams in word boundaries (2-5), stacked."""

    def __init__(self) -> None:
        self.word = TfidfVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            lowercase=False,
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w+\b",
            dtype=np.float32,
        )
        self.char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            lowercase=False,
            sublinear_tf=True,
            dtype=np.float32,
        )

    def fit_transform(self, documents: list[str]) -> sparse.csr_matrix:
        return sparse.hstack(
            [self.word.fit_transform(documents), self.char.fit_transform(documents)],
            format="csr",
        )

    def transform(self, documents: list[str]) -> sparse.csr_matrix:
        return sparse.hstack(
            [self.word.transform(documents), self.char.transform(documents)], format="csr"
        )


def _svc(**kwargs: Any) -> LinearSVC:
    return LinearSVC(C=1.0, max_iter=20000, random_state=0, **kwargs)


def _stamp() -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "sklearn": sklearn.__version__, "numpy": np.__version__}


class Classifier:
    """A trained categoriser. Build it with `train`, `load` or `default`."""

    def __init__(
        self,
        features: TextFeatures,
        motif_model: CalibratedClassifierCV,
        type_model: LinearSVC | None,
        examples: Sequence[Example],
    ) -> None:
        self._features = features
        self._motif_model = motif_model
        self._type_model = type_model
        self.examples: tuple[Example, ...] = tuple(examples)
        self.digest = examples_digest(self.examples)
        self.retrained_on_load = False

    @property
    def type_strategy(self) -> TypeStrategy:
        return "classifier" if self._type_model is not None else "motif_default"

    @property
    def motifs(self) -> list[str]:
        return [str(motif) for motif in self._motif_model.classes_]

    @classmethod
    def train(
        cls, examples: Iterable[Example], *, type_strategy: TypeStrategy = "classifier"
    ) -> Classifier:
        examples = list(examples)
        if not examples:
            raise TrainingError("Aucun exemple d'apprentissage.")
        motif_counts = Counter(example.motif for example in examples)
        if len(motif_counts) < 2:
            raise TrainingError("Il faut des exemples d'au moins deux motifs.")
        rarest = min(motif_counts.values())
        if rarest < 2:
            raise TrainingError("Chaque motif doit compter au moins deux exemples.")
        documents = [compose(example.subject, example.body) for example in examples]
        weights = np.array([example.weight for example in examples])

        features = TextFeatures()
        matrix = features.fit_transform(documents)
        motif_model = CalibratedClassifierCV(
            _svc(), method="temperature", cv=min(5, rarest), ensemble=False
        )
        motif_model.fit(matrix, [example.motif for example in examples], sample_weight=weights)

        type_model = None
        types = [example.type for example in examples]
        if type_strategy == "classifier" and len(set(types)) > 1:
            type_model = _svc(class_weight="balanced")
            type_model.fit(matrix, types, sample_weight=weights)
        return cls(features, motif_model, type_model, examples)

    @classmethod
    def default(cls, cache_dir: str | os.PathLike[str] | None = None) -> Classifier:
        """The classifier trained on the shipped examples, cached in `cache_dir` when given."""
        return cls.for_examples(load_examples(), cache_dir)

    @classmethod
    def for_examples(
        cls, examples: Iterable[Example], cache_dir: str | os.PathLike[str] | None = None
    ) -> Classifier:
        """A classifier trained on `examples`, reusing the cache file when it holds exactly them."""
        examples = list(examples)
        if cache_dir is None:
            return cls.train(examples)
        path = Path(cache_dir) / CACHE_FILE_NAME
        if path.exists():
            cached = cls.load(path)
            if cached.digest == examples_digest(examples):
                if cached.retrained_on_load:
                    cached.save(path)
                return cached
        classifier = cls.train(examples)
        classifier.save(path)
        return classifier

    def _probabilities(self, documents: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            matrix = self._features.transform(documents)
            return matrix, self._motif_model.predict_proba(matrix)

    def _types(self, matrix: sparse.csr_matrix) -> list[str]:
        model = self._type_model
        assert model is not None
        scores = np.asarray(matrix @ model.coef_.T) + model.intercept_
        if scores.shape[1] == 1:
            indices = (scores[:, 0] > 0).astype(int)
        else:
            indices = scores.argmax(axis=1)
        return [str(model.classes_[index]) for index in indices]

    def predict(self, subject: str | None, body: str | None) -> Prediction:
        return self.predict_many([(subject, body)])[0]

    def predict_many(self, requests: Iterable[tuple[str | None, str | None]]) -> list[Prediction]:
        requests = list(requests)
        documents = [compose(subject, body) for subject, body in requests]
        if not documents:
            return []
        matrix, probabilities = self._probabilities(documents)
        classes = self._motif_model.classes_
        best = probabilities.argmax(axis=1)
        motifs = [str(classes[index]) for index in best]
        if self._type_model is not None:
            types = self._types(matrix)
        else:
            types = [MOTIF_DEFAULT_TYPE[motif] for motif in motifs]
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
        the motif of the whole as its main one; each sentence or clause is then read alone, and
        the surest one that points elsewhere (never to `autre`) gives the second motif.
        """
        parts = [part for part in _PARTS.split(body or "") if part and len(part.split()) >= 3]
        if len(parts) < 2:
            return None
        _, probabilities = self._probabilities([compose("", part) for part in parts])
        classes = self._motif_model.classes_
        second, surest = None, SECOND_MOTIF_MIN_PROBABILITY
        for row in probabilities:
            index = int(row.argmax())
            candidate = str(classes[index])
            if candidate not in (motif, "autre") and row[index] >= surest:
                second, surest = candidate, float(row[index])
        return second

    def rank_motifs(
        self, subject: str | None, body: str | None, k: int = 3
    ) -> list[tuple[str, float]]:
        """The k likeliest motifs with their probabilities, best first."""
        _, probabilities = self._probabilities([compose(subject, body)])
        order = probabilities[0].argsort()[::-1][:k]
        return [(self.motifs[index], float(probabilities[0, index])) for index in order]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the classifier with a version stamp and its examples (atomic replace)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "stamp": _stamp(),
            "examples": [example.to_dict() for example in self.examples],
            "models": pickle.dumps((self._features, self._motif_model, self._type_model)),
        }
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".classifier-")
        os.close(handle)
        try:
            joblib.dump(payload, temporary)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Classifier:
        """Read a saved classifier; retrain it from its examples when the file is incompatible.

        An unreadable file is replaced by a classifier trained on the shipped examples.
        """
        try:
            payload = joblib.load(path)
            stamp = payload["stamp"]
            examples = [Example.from_dict(data) for data in payload["examples"]]
        except Exception as exc:
            logger.warning("Classifier file %s unreadable (%s): retraining", path, exc)
            retrained = cls.train(load_examples())
        else:
            if stamp == _stamp():
                try:
                    features, motif_model, type_model = pickle.loads(payload["models"])
                except Exception as exc:
                    logger.warning("Classifier file %s: models unreadable (%s)", path, exc)
                else:
                    return cls(features, motif_model, type_model, examples)
            else:
                logger.info("Classifier file %s was saved by %s: retraining", path, stamp)
            retrained = cls.train(examples)
        retrained.retrained_on_load = True
        return retrained
