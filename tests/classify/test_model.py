import json
from collections import Counter

import joblib
import pytest

from helpdesk.classify import model as model_module
from helpdesk.classify.model import (
    CACHE_FILE_NAME,
    Classifier,
    Example,
    TrainingError,
    compose,
    load_examples,
    normalize,
)
from helpdesk.tickets.taxonomy import MOTIF_NATURE, MOTIFS, TYPES

MOTIF_ACCURACY_THRESHOLD = 0.90


def test_motif_accuracy_on_the_evaluation_set(classifier, eval_requests):
    predictions = classifier.predict_many((r["subject"], r["body"]) for r in eval_requests)
    correct = sum(p.motif == r["motif"] for p, r in zip(predictions, eval_requests, strict=True))
    accuracy = correct / len(eval_requests)
    assert accuracy >= MOTIF_ACCURACY_THRESHOLD, f"motif accuracy {accuracy:.3f}"


def test_type_accuracy_on_the_evaluation_set(classifier, eval_requests):
    predictions = classifier.predict_many((r["subject"], r["body"]) for r in eval_requests)
    correct = sum(p.type == r["type"] for p, r in zip(predictions, eval_requests, strict=True))
    assert correct / len(eval_requests) >= 0.90


def test_every_prediction_is_consistent(classifier, eval_requests):
    predictions = classifier.predict_many((r["subject"], r["body"]) for r in eval_requests)
    for prediction in predictions:
        assert prediction.motif in MOTIFS
        assert prediction.nature == MOTIF_NATURE[prediction.motif]
        assert prediction.type in TYPES
        assert 0.0 <= prediction.confidence <= 1.0
    assert {p.motif for p in predictions} == set(MOTIFS)


def test_type_scores_agree_with_the_svm(classifier, eval_requests):
    documents = [compose(r["subject"], r["body"]) for r in eval_requests]
    matrix = classifier._features.transform(documents)
    expected = [str(t) for t in classifier._type_model.predict(matrix)]
    assert classifier._types(matrix) == expected
    assert len(set(expected)) == 2


def test_predict_matches_predict_many(classifier, eval_requests):
    sample = eval_requests[:5]
    many = classifier.predict_many((r["subject"], r["body"]) for r in sample)
    assert [classifier.predict(r["subject"], r["body"]) for r in sample] == many
    assert classifier.predict_many([]) == []


def test_confidence_is_calibrated(classifier, eval_requests):
    predictions = classifier.predict_many((r["subject"], r["body"]) for r in eval_requests)
    hits = [p.motif == r["motif"] for p, r in zip(predictions, eval_requests, strict=True)]
    mean_confidence = sum(p.confidence for p in predictions) / len(predictions)
    assert abs(mean_confidence - sum(hits) / len(hits)) < 0.1
    right = [p.confidence for p, hit in zip(predictions, hits, strict=True) if hit]
    wrong = [p.confidence for p, hit in zip(predictions, hits, strict=True) if not hit]
    if wrong:
        assert sum(wrong) / len(wrong) < sum(right) / len(right)


def test_misleading_words_do_not_decide(classifier):
    missing_child = classifier.predict(
        "Problème de mot de passe ?",
        "Mon identifiant et mon mot de passe marchent, mais mon fils n'apparaît pas "
        "sur mon compte.",
    )
    assert missing_child.motif == "enfant_manquant"
    director = classifier.predict(
        "Réinitialiser",
        "Je suis directrice, comment réinitialiser le mot de passe d'un parent dans ARENA ?",
    )
    assert director.motif == "notification_directeur"
    assert director.type == "demande_conseil"


def test_rank_motifs_orders_probabilities(classifier):
    ranked = classifier.rank_motifs(
        "Bourse", "La demande de bourse en ligne affiche une erreur", k=3
    )
    assert len(ranked) == 3
    assert ranked[0][0] == "teleservices"
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)


def test_normalize_folds_case_accents_and_masks_contact_data():
    text = normalize(
        "ÉLÈVE  Œuvre, écrivez à Jean.Dupont@exemple.fr ou au 06 12 34 56 78 le 03/02/2015"
    )
    assert text == "eleve oeuvre, ecrivez a xcourriel ou au xtelephone le xdate"
    assert normalize("jarriiiive paaas") == "jarriive paas"
    assert compose(None, "mdp") == " | mdp"


def test_long_bodies_are_cut():
    long_body = "mot " * 10_000
    assert len(compose("sujet", long_body)) < 2000


def test_save_and_load_round_trip(classifier, eval_requests, tmp_path):
    path = tmp_path / "model.joblib"
    classifier.save(path)
    loaded = Classifier.load(path)
    requests = [(r["subject"], r["body"]) for r in eval_requests[:40]]
    assert loaded.predict_many(requests) == classifier.predict_many(requests)
    assert loaded.digest == classifier.digest
    assert loaded.type_strategy == classifier.type_strategy


def _tiny_examples() -> list[Example]:
    rows = [
        ("SMS", "je ne reçois pas le code sms", "activation_sms"),
        ("SMS", "le code par texto n'arrive jamais", "activation_sms"),
        ("Bourse", "la demande de bourse ne marche pas", "teleservices"),
        ("Bourse", "impossible de faire la bourse en ligne", "teleservices"),
    ]
    return [Example(s, b, "demande_logicielle", MOTIF_NATURE[m], m) for s, b, m in rows]


def test_load_of_an_incompatible_file_retrains_from_its_examples(tmp_path):
    path = tmp_path / "old.joblib"
    joblib.dump(
        {
            "stamp": {"format": 0, "sklearn": "0.1", "numpy": "1.0"},
            "examples": [example.to_dict() for example in _tiny_examples()],
            "models": b"not a pickle of this version",
        },
        path,
    )
    loaded = Classifier.load(path)
    assert loaded.motifs == ["activation_sms", "teleservices"]
    assert loaded.predict("bourse", "la bourse en ligne plante").motif == "teleservices"


def test_load_of_an_unreadable_file_retrains_on_shipped_examples(tmp_path, monkeypatch):
    monkeypatch.setattr(model_module, "load_examples", _tiny_examples)
    path = tmp_path / "broken.joblib"
    path.write_bytes(b"garbage")
    loaded = Classifier.load(path)
    assert loaded.retrained_on_load
    assert loaded.digest == model_module.examples_digest(_tiny_examples())


def test_default_uses_the_cache_when_it_holds_the_shipped_examples(
    classifier, tmp_path, monkeypatch
):
    classifier.save(tmp_path / CACHE_FILE_NAME)

    def no_training(*args, **kwargs):
        raise AssertionError("the cached classifier should have been used")

    monkeypatch.setattr(Classifier, "train", no_training)
    cached = Classifier.default(cache_dir=tmp_path)
    assert cached.digest == classifier.digest


def test_default_retrains_when_the_cache_holds_other_examples(tmp_path, monkeypatch):
    Classifier.train(_tiny_examples()[1:] + _tiny_examples()[:1]).save(tmp_path / CACHE_FILE_NAME)
    monkeypatch.setattr(model_module, "load_examples", _tiny_examples)
    fresh = Classifier.default(cache_dir=tmp_path)
    assert fresh.digest == model_module.examples_digest(_tiny_examples())
    assert Classifier.load(tmp_path / CACHE_FILE_NAME).digest == fresh.digest


def test_cache_saved_by_another_version_is_retrained_once_and_rewritten(tmp_path):
    path = tmp_path / CACHE_FILE_NAME
    tiny = _tiny_examples()
    joblib.dump(
        {
            "stamp": {"format": 0, "sklearn": "0.1", "numpy": "1.0"},
            "examples": [example.to_dict() for example in tiny],
            "models": b"",
        },
        path,
    )
    first = Classifier.for_examples(tiny, cache_dir=tmp_path)
    assert first.retrained_on_load
    second = Classifier.load(path)
    assert not second.retrained_on_load
    assert second.digest == first.digest


def test_motif_default_strategy_uses_each_motif_default_type():
    tiny = _tiny_examples() + [
        Example("RGPD", "supprimez mes données", "demande_conseil", "RGPD", "rgpd_droits"),
        Example("RGPD", "accès à mes données", "demande_conseil", "RGPD", "rgpd_droits"),
    ]
    trained = Classifier.train(tiny, type_strategy="motif_default")
    assert trained.type_strategy == "motif_default"
    prediction = trained.predict("données", "je veux la suppression de mes données")
    assert (prediction.motif, prediction.type) == ("rgpd_droits", "demande_conseil")


def test_training_rejects_too_few_examples():
    with pytest.raises(TrainingError):
        Classifier.train([])
    with pytest.raises(TrainingError):
        Classifier.train(_tiny_examples()[:3])


def test_shipped_training_set_covers_every_motif_with_varied_writers():
    examples = load_examples()
    counts = Counter(example.motif for example in examples)
    assert set(counts) == set(MOTIFS)
    assert min(counts.values()) >= 25
    assert len(examples) >= 400


def test_evaluation_set_is_kept_apart_from_training(eval_requests):
    from rapidfuzz import fuzz, process

    training = [compose(e.subject, e.body) for e in load_examples()]
    assert len(eval_requests) >= 220
    assert set(r["motif"] for r in eval_requests) == set(MOTIFS)
    assert len({r["id"] for r in eval_requests}) == len(eval_requests)
    for request in eval_requests:
        document = compose(request["subject"], request["body"])
        match = process.extractOne(document, training, scorer=fuzz.ratio)
        assert match[1] < 90, (request["id"], training[match[2]])


def test_model_module_reads_its_shipped_examples():
    with model_module.SHIPPED_EXAMPLES.open(encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    assert set(first) >= {"subject", "body", "type", "nature", "motif"}
