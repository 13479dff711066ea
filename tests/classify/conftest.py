import json
from pathlib import Path

import pytest

from helpdesk.classify.model import Classifier

EVAL_PATH = Path(__file__).parents[1] / "data" / "classify_dev.jsonl"


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier.default()


@pytest.fixture(scope="session")
def eval_requests() -> list[dict]:
    with EVAL_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
