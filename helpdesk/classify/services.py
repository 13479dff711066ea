"""The categoriser the application uses: shipped examples plus agents' corrections, cached."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from helpdesk.classify.corrections import Correction, retrain_with_corrections
from helpdesk.classify.model import CACHE_FILE_NAME, Classifier, Prediction, load_examples


def cache_dir_for(config: Mapping[str, Any]) -> Path:
    """`CLASSIFY_CACHE_DIR`, or `classifier/` in the instance folder."""
    configured = config.get("CLASSIFY_CACHE_DIR")
    return Path(configured) if configured else Path(config["INSTANCE_PATH"]) / "classifier"


def cached_corrections(cache_dir: str | os.PathLike[str]) -> list[Correction]:
    """The corrections the cached classifier was trained with (its weighted examples)."""
    path = Path(cache_dir) / CACHE_FILE_NAME
    if not path.exists():
        return []
    return [
        (example.subject, example.body, example.type, example.nature, example.motif)
        for example in Classifier.load(path).examples
        if example.weight != 1.0
    ]


def load_classifier(
    cache_dir: str | os.PathLike[str], corrections: Iterable[Correction] | None = None
) -> Classifier:
    """The classifier trained on the shipped examples and the corrections, cached in `cache_dir`.

    Without `corrections`, those of the cached classifier are kept, so a restart or a new set
    of shipped examples does not lose what agents taught it.
    """
    if corrections is None:
        corrections = cached_corrections(cache_dir)
    return retrain_with_corrections(corrections, load_examples(), cache_dir=cache_dir)


class ReloadingClassifier:
    """Predicts with the cached model, and picks up a model retrained by another process."""

    def __init__(self, cache_dir: Path, check_every: float = 60.0):
        self.cache_dir = cache_dir
        self.check_every = check_every
        self._classifier = load_classifier(cache_dir)
        self._mtime = self._file_mtime()
        self._checked = time.monotonic()

    def _file_mtime(self) -> float:
        path = self.cache_dir / CACHE_FILE_NAME
        return path.stat().st_mtime if path.exists() else 0.0

    def __call__(self, subject: str | None, body: str | None) -> Prediction:
        now = time.monotonic()
        if now - self._checked > self.check_every:
            self._checked = now
            mtime = self._file_mtime()
            if mtime != self._mtime:
                self._classifier = load_classifier(self.cache_dir)
                self._mtime = mtime
        return self._classifier.predict(subject, body)


def classifier_for(config: Mapping[str, Any]) -> Callable[[str | None, str | None], Prediction]:
    """The `(subject, body) -> Prediction` function services use."""
    return ReloadingClassifier(cache_dir_for(config))
