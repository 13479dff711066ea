"""The compact model that predicting processes load: same answers, no scikit-learn."""

import subprocess
import sys

import numpy as np
import pytest

from helpdesk.classify.compact import (
    COMPACT_FILE_NAME,
    SHIPPED_COMPACT,
    CompactModel,
    char_terms,
    word_terms,
)
from helpdesk.classify.documents import compose, examples_digest, load_examples
from helpdesk.classify.services import predictor_for, retrain_guarded


def test_compact_model_answers_as_the_full_model(classifier, eval_requests, tmp_path):
    compact = classifier.to_compact()
    compact.save(tmp_path / "m.npz")
    reloaded = CompactModel.load(tmp_path / "m.npz")
    pairs = [(r["subject"], r["body"]) for r in eval_requests]
    full = classifier.predict_many(pairs)
    light = reloaded.predict_many(pairs)
    assert [p.motif for p in light] == [p.motif for p in full]
    assert [p.type for p in light] == [p.type for p in full]
    assert [p.second_motif for p in light] == [p.second_motif for p in full]
    assert max(abs(a.confidence - b.confidence) for a, b in zip(light, full, strict=True)) < 1e-5


def test_features_are_those_of_training(classifier):
    document = compose("Code SMS", "je ne reçois pas le code, help")
    word = classifier._features.word.build_analyzer()(document)
    char = classifier._features.char.build_analyzer()(document)
    assert word_terms(document) == word
    assert char_terms(document) == char


def test_shipped_compact_model_matches_the_shipped_examples():
    shipped = CompactModel.load(SHIPPED_COMPACT)
    assert shipped.digest == examples_digest(load_examples()), (
        "Les exemples d'apprentissage ont changé : régénérer le modèle livré "
        "(make classifier-model)."
    )


def test_unreadable_compact_file_is_refused(tmp_path):
    path = tmp_path / "m.npz"
    path.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="illisible"):
        CompactModel.load(path)
    np.savez(path, meta=np.array('{"format": 99}'))
    with pytest.raises(ValueError, match="format"):
        CompactModel.load(path)


def test_a_predicting_process_never_imports_scikit_learn(tmp_path):
    script = (
        "import sys\n"
        "from helpdesk.classify.services import classifier_for\n"
        f"predict = classifier_for({{'CLASSIFY_CACHE_DIR': {str(tmp_path)!r}}})\n"
        "print(predict('Code', 'je ne reçois pas le code sms').motif)\n"
        "print('sklearn' in sys.modules, 'scipy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["activation_sms", "False", "False"]


def test_retrained_compact_model_is_used_and_a_stale_one_is_not(tmp_path):
    correction = (
        "Cantine",
        "le paiement de la cantine en ligne ne passe pas",
        "demande_logicielle",
        "TELESERVICES",
        "teleservices",
    )
    outcome = retrain_guarded(tmp_path, [correction])
    assert (tmp_path / COMPACT_FILE_NAME).exists()
    model = predictor_for(tmp_path)
    assert isinstance(model, CompactModel)
    assert model.digest == outcome.classifier.digest
    assert len(model.corrections) == (1 if outcome.replaced else 0)
    # A compact file whose corrections do not give its fingerprint is not trusted.
    stale = CompactModel.load(tmp_path / COMPACT_FILE_NAME)
    stale.digest = "0" * 64
    stale.save(tmp_path / COMPACT_FILE_NAME)
    rebuilt = predictor_for(tmp_path)
    assert rebuilt.digest == outcome.classifier.digest
