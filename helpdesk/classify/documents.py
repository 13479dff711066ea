"""What the categoriser reads: labelled examples, and requests normalised into one document.

Light on purpose (no scikit-learn), so that the processes that only predict (web workers,
the mail intake) never import the training stack.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from helpdesk.classify.lexicon import key_terms
from helpdesk.tickets.taxonomy import check_labels
from helpdesk.util.language import DEFAULT_LANGUAGE


class _Predicts(Protocol):
    def predict_many(self, requests: Iterable[tuple[str | None, str | None]]) -> list: ...


SHIPPED_EXAMPLES = Path(__file__).parent / "data" / "training.jsonl"
DEVELOPMENT_REQUESTS = Path(__file__).parent / "data" / "development.jsonl"
"""Requests the model is measured and tuned on, never trained on (the guard of retraining)."""
MAX_SUBJECT_CHARS = 300
MAX_BODY_CHARS = 1500
SECOND_MOTIF_MIN_PROBABILITY = 0.6
"""A part of the request must point this surely to another motif to count as a second problem."""


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


def motif_accuracy(classifier: _Predicts, examples: Sequence[Example]) -> float:
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


def split_parts(body: str | None) -> list[str]:
    """The parts of a request that words like "et aussi", "par ailleurs", "also" separate."""
    return [part for part in _PARTS.split(body or "") if part and len(part.split()) >= 3]
