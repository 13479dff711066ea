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

import logging
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import joblib
import numpy as np
import sklearn
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from helpdesk.classify.compact import (
    CACHE_FILE_NAME,
    COMPACT_FILE_NAME,
    SHIPPED_COMPACT,
    CompactModel,
    Predicting,
)
from helpdesk.classify.documents import (  # noqa: F401  (the model's names, as callers know them)
    DEVELOPMENT_REQUESTS,
    MAX_BODY_CHARS,
    MAX_SUBJECT_CHARS,
    SHIPPED_EXAMPLES,
    Example,
    Prediction,
    TrainingError,
    compose,
    examples_digest,
    load_examples,
    motif_accuracy,
    normalize,
)
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
TypeStrategy = Literal["classifier", "motif_default"]


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


def _terms(vectorizer: TfidfVectorizer) -> list[str]:
    terms = [""] * len(vectorizer.vocabulary_)
    for term, index in vectorizer.vocabulary_.items():
        terms[index] = term
    return terms


class Classifier(Predicting):
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

    def _motif_probabilities(self, documents: list[str]) -> np.ndarray:
        return self._probabilities(documents)[1]

    def _types_for(self, documents: list[str], motifs: list[str]) -> list[str]:
        if self._type_model is None:
            return [MOTIF_DEFAULT_TYPE[motif] for motif in motifs]
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return self._types(self._features.transform(documents))

    def to_compact(self) -> CompactModel:
        """The same model as arrays, for the processes that only predict."""
        calibrated = self._motif_model.calibrated_classifiers_[0]
        svm = calibrated.estimator
        type_model = self._type_model
        return CompactModel(
            word_terms=_terms(self._features.word),
            word_idf=self._features.word.idf_,
            char_terms=_terms(self._features.char),
            char_idf=self._features.char.idf_,
            motifs=self.motifs,
            motif_coef=svm.coef_,
            motif_intercept=svm.intercept_,
            inverse_temperature=float(calibrated.calibrators[0].beta_),
            types=[] if type_model is None else [str(t) for t in type_model.classes_],
            type_coef=None if type_model is None else type_model.coef_,
            type_intercept=None if type_model is None else type_model.intercept_,
            digest=self.digest,
            corrections=[e.to_dict() for e in self.examples if e.weight != 1.0],
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the classifier with a version stamp and its examples (atomic replace)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "stamp": _stamp(),
            "examples": [example.to_dict() for example in self.examples],
            "models": pickle.dumps((self._features, self._motif_model, self._type_model)),
        }
        self.to_compact().save(path.parent / COMPACT_FILE_NAME)
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


def write_shipped_model(path: str | os.PathLike[str] = SHIPPED_COMPACT) -> CompactModel:
    """Train on the shipped examples and write the compact model that ships with the package."""
    compact = Classifier.train(load_examples()).to_compact()
    compact.save(path)
    return compact


if __name__ == "__main__":
    written = write_shipped_model()
    print(f"{SHIPPED_COMPACT} : {len(written.motifs)} motifs, empreinte {written.digest[:12]}")
