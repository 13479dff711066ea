"""The real evaluation set: what it must hold, and what the categoriser must reach on it.

The set is never trained or tuned on (see tests/data/classify_real_eval.SOURCES.md); these
tests only check that it stays complete and that the shipped model still holds on it.
"""

import json
from pathlib import Path

import pytest

from helpdesk.classify.model import load_examples
from helpdesk.classify.services import load_development
from helpdesk.tickets.taxonomy import MOTIF_NATURE, MOTIFS

DATA = Path(__file__).parents[1] / "data"
REAL = DATA / "classify_real_eval.jsonl"


@pytest.fixture(scope="module")
def real_requests() -> list[dict]:
    with REAL.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_the_set_holds_what_it_must(real_requests):
    assert len(real_requests) >= 300
    assert sum(r["lang"] != "fr" for r in real_requests) >= 40
    assert sum("app" in r["tags"] and r["motif"] == "autre" for r in real_requests) >= 40
    assert {r["motif"] for r in real_requests} == set(MOTIFS)
    for request in real_requests:
        assert request["source"], request["id"]
        assert MOTIF_NATURE[request["motif"]] == request["nature"]
        assert request.get("second_motif") in (None, *MOTIFS)
    sources = (DATA / "classify_real_eval.SOURCES.md").read_text(encoding="utf-8")
    for request in real_requests:
        assert request["id"] in sources


def test_no_request_of_the_set_is_trained_or_tuned_on(real_requests):
    def key(subject, body):
        return (subject.strip().lower(), body.strip().lower())

    real = {key(r["subject"], r["body"]) for r in real_requests}
    for example in [*load_examples(), *load_development()]:
        assert key(example.subject, example.body) not in real


def test_the_shipped_model_holds_on_the_real_set(classifier, real_requests):
    predictions = classifier.predict_many((r["subject"], r["body"]) for r in real_requests)
    pairs = list(zip(predictions, real_requests, strict=True))
    motif = sum(p.motif == r["motif"] for p, r in pairs) / len(pairs)
    nature = sum(p.nature == r["nature"] for p, r in pairs) / len(pairs)
    assert motif >= 0.92, f"motif accuracy {motif:.3f}"
    assert nature >= 0.96, f"nature accuracy {nature:.3f}"
    kept = [(p, r) for p, r in pairs if p.confidence >= 0.8]
    assert len(kept) >= 0.85 * len(pairs)
    assert sum(p.motif == r["motif"] for p, r in kept) / len(kept) >= 0.96
    languages = sum(p.language == r["lang"] for p, r in pairs) / len(pairs)
    assert languages >= 0.95
