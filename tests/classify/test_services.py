import pytest

from helpdesk.classify import services as service
from helpdesk.classify.model import CACHE_FILE_NAME, Classifier, Example, Prediction
from helpdesk.classify.services import (
    cache_dir_for,
    cached_corrections,
    classifier_for,
    load_classifier,
)
from helpdesk.tickets.taxonomy import MOTIF_NATURE


def _examples(*rows):
    return [Example(s, b, "demande_logicielle", MOTIF_NATURE[m], m) for s, b, m in rows]


SHIPPED = _examples(
    ("SMS", "je ne reçois pas le code sms", "activation_sms"),
    ("SMS", "le code par texto n'arrive jamais", "activation_sms"),
    ("Bourse", "la demande de bourse ne marche pas", "teleservices"),
    ("Bourse", "impossible de faire la bourse en ligne", "teleservices"),
    ("Livret", "je ne vois pas le livret de mon fils", "lsu_bilan_invisible"),
    ("Livret", "le bilan n'apparait pas", "lsu_bilan_invisible"),
)
CORRECTION = (
    "Cantine",
    "le paiement de la cantine en ligne ne marche pas",
    "demande_logicielle",
    "TELESERVICES",
    "teleservices",
)


@pytest.fixture
def shipped(monkeypatch):
    examples = list(SHIPPED)
    monkeypatch.setattr(service, "load_examples", lambda: list(examples))
    return examples


def test_cache_dir_comes_from_the_configuration(tmp_path):
    assert cache_dir_for({"INSTANCE_PATH": str(tmp_path)}) == tmp_path / "classifier"
    assert cache_dir_for({"INSTANCE_PATH": "x", "CLASSIFY_CACHE_DIR": str(tmp_path)}) == tmp_path


def test_classifier_for_returns_a_predict_function_and_fills_the_cache(shipped, tmp_path):
    predict = classifier_for({"INSTANCE_PATH": str(tmp_path)})
    prediction = predict("Bourse", "ma demande de bourse plante")
    assert isinstance(prediction, Prediction)
    assert prediction.motif == "teleservices"
    assert (tmp_path / "classifier" / CACHE_FILE_NAME).exists()


def test_corrections_survive_a_restart_and_new_shipped_examples(shipped, tmp_path):
    corrected = load_classifier(tmp_path, [CORRECTION])
    assert cached_corrections(tmp_path) == [CORRECTION]
    assert load_classifier(tmp_path).digest == corrected.digest

    shipped.append(
        Example("Livret", "bulletin absent", "demande_logicielle", "LSU", "lsu_bilan_invisible")
    )
    renewed = load_classifier(tmp_path)
    assert renewed.digest != corrected.digest
    assert len(renewed.examples) == len(shipped) + 1
    assert cached_corrections(tmp_path) == [CORRECTION]
    assert Classifier.load(tmp_path / CACHE_FILE_NAME).digest == renewed.digest


def test_explicit_corrections_replace_the_cached_ones(shipped, tmp_path):
    load_classifier(tmp_path, [CORRECTION])
    load_classifier(tmp_path, [])
    assert cached_corrections(tmp_path) == []


def _development(*rows):
    return _examples(*rows)


DEVELOPMENT = _development(
    ("Code", "toujours pas de code sms pour m'inscrire", "activation_sms"),
    ("Bourse", "la bourse en ligne ne marche pas", "teleservices"),
    ("Livret", "le livret de ma fille n'apparait pas", "lsu_bilan_invisible"),
)


def test_retraining_that_would_make_the_model_worse_is_refused(shipped, tmp_path):
    before = service.retrain_guarded(tmp_path, [], DEVELOPMENT)
    assert before.current_accuracy == 1.0
    wrong = [
        ("Livret", text, "demande_logicielle", "TELESERVICES", "teleservices")
        for text in (
            "le livret de ma fille n'apparait pas",
            "je ne vois pas le livret",
            "livret introuvable pour ma fille",
        )
    ]
    outcome = service.retrain_guarded(tmp_path, wrong, DEVELOPMENT)
    assert not outcome.replaced
    assert outcome.candidate_accuracy < outcome.current_accuracy
    assert "conservé" in outcome.summary()
    kept = Classifier.load(tmp_path / CACHE_FILE_NAME)
    assert kept.digest == before.classifier.digest
    assert cached_corrections(tmp_path) == []


def test_retraining_that_does_not_harm_replaces_the_model(shipped, tmp_path):
    outcome = service.retrain_guarded(tmp_path, [CORRECTION], DEVELOPMENT)
    assert outcome.replaced
    assert outcome.candidate_accuracy >= outcome.current_accuracy
    assert cached_corrections(tmp_path) == [CORRECTION]
    again = service.retrain_guarded(tmp_path, [CORRECTION], DEVELOPMENT)
    assert not again.replaced and again.classifier.digest == outcome.classifier.digest
