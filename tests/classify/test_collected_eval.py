"""The collected evaluation set: requests written by other people, kept apart from training.

These tests check that the set stays what its SOURCES file says (size, languages, other
applications, every request traced to a source) and that nothing in it leaks into the
examples the categoriser learns from or is tuned on.
"""

import json
import re
from pathlib import Path

import pytest

from helpdesk.classify.model import load_examples
from helpdesk.classify.services import load_development
from helpdesk.tickets.taxonomy import MOTIF_NATURE, MOTIFS

DATA = Path(__file__).parents[1] / "data"
COLLECTED = DATA / "classify_collected_eval.jsonl"


@pytest.fixture(scope="module")
def collected() -> list[dict]:
    with COLLECTED.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _words(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def test_the_set_holds_what_it_must(collected):
    assert len(collected) >= 300
    assert sum(r["lang"] != "fr" for r in collected) >= 40
    assert sum("app" in r["tags"] and r["motif"] == "autre" for r in collected) >= 40
    assert {r["motif"] for r in collected} == set(MOTIFS)
    assert len({r["id"] for r in collected}) == len(collected)
    sources = (DATA / "classify_collected_eval.SOURCES.md").read_text(encoding="utf-8")
    for request in collected:
        assert request["source"], request["id"]
        assert MOTIF_NATURE[request["motif"]] == request["nature"], request["id"]
        assert request["id"] in sources
        assert "@" not in request["subject"] + request["body"], request["id"]


def test_no_request_of_the_set_is_learnt_from_or_tuned_on(collected):
    known = [
        _words(f"{example.subject} {example.body}")
        for example in [*load_examples(), *load_development()]
    ]
    for request in collected:
        text = _words(request["body"] or request["subject"])
        if len(text) > 15:
            assert not any(text in other for other in known), request["id"]


def test_the_shipped_model_does_not_fall_back_on_the_collected_set(classifier, collected):
    """A floor at the figures the shipped model reaches, so that no change makes it worse.

    The targets of the categoriser (motif 0.92, nature 0.96, at most 15 % to "À qualifier"
    with the rest 96 % right) are not reached on this set yet; the floor keeps what was won
    (motif 0.789 and nature 0.888 before the multilingual examples and key terms).
    """
    predictions = classifier.predict_many((r["subject"], r["body"]) for r in collected)
    pairs = list(zip(predictions, collected, strict=True))
    motif = sum(p.motif == r["motif"] for p, r in pairs) / len(pairs)
    nature = sum(p.nature == r["nature"] for p, r in pairs) / len(pairs)
    not_french = [(p, r) for p, r in pairs if r["lang"] != "fr"]
    apps = [(p, r) for p, r in pairs if "app" in r["tags"]]
    assert motif >= 0.85, f"motif accuracy {motif:.3f}"
    assert nature >= 0.92, f"nature accuracy {nature:.3f}"
    assert sum(p.motif == r["motif"] for p, r in not_french) / len(not_french) >= 0.80
    assert sum(p.motif == r["motif"] for p, r in apps) / len(apps) >= 0.80
