"""The categoriser the application uses: shipped examples plus agents' corrections, cached."""

from __future__ import annotations

import os
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


def classifier_for(config: Mapping[str, Any]) -> Callable[[str | None, str | None], Prediction]:
    """The `(subject, body) -> Prediction` function services use."""
    return load_classifier(cache_dir_for(config)).predict
