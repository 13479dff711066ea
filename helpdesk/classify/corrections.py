"""Agents' corrections folded into the training examples for retraining."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from helpdesk.classify.documents import Example, compose, load_examples
from helpdesk.tickets.taxonomy import check_labels

if TYPE_CHECKING:
    from helpdesk.classify.model import Classifier

CORRECTION_WEIGHT = 5.0

Correction = tuple[str | None, str | None, str, str, str]
"""(subject, body, type, nature, motif) as an agent set them on a request."""


def merge_corrections(
    examples: Iterable[Example],
    corrections: Iterable[Correction],
    *,
    weight: float = CORRECTION_WEIGHT,
) -> list[Example]:
    """Return the examples with the corrections added, each weighing `weight` examples.

    A correction replaces any example whose text reads the same once normalised, and among
    corrections of the same text the last one wins. Raises InvalidLabels on unknown codes or a
    nature that is not the motif's.
    """
    corrected: dict[str, Example] = {}
    for subject, body, type_, nature, motif in corrections:
        check_labels(type_, nature, motif)
        example = Example(subject or "", body or "", type_, nature, motif, weight)
        key = compose(example.subject, example.body)
        corrected.pop(key, None)
        corrected[key] = example
    merged = [
        example for example in examples if compose(example.subject, example.body) not in corrected
    ]
    merged.extend(corrected.values())
    return merged


def retrain_with_corrections(
    corrections: Iterable[Correction],
    examples: Iterable[Example] | None = None,
    *,
    weight: float = CORRECTION_WEIGHT,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Classifier:
    """A classifier trained on the shipped (or given) examples plus the corrections.

    With `cache_dir`, the cached classifier is reused while it was trained on exactly the same
    examples and corrections, and replaced otherwise.
    """
    from helpdesk.classify.model import Classifier

    base = load_examples() if examples is None else examples
    return Classifier.for_examples(merge_corrections(base, corrections, weight=weight), cache_dir)
