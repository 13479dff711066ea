import json

import pytest

from helpdesk.classify.model import DEVELOPMENT_REQUESTS, Classifier

EVAL_PATH = DEVELOPMENT_REQUESTS


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier.default()


@pytest.fixture(scope="session")
def eval_requests() -> list[dict]:
    with EVAL_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
