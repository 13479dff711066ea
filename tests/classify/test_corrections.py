import pytest

from helpdesk.classify.corrections import (
    CORRECTION_WEIGHT,
    merge_corrections,
    retrain_with_corrections,
)
from helpdesk.classify.model import CACHE_FILE_NAME, Classifier, Example
from helpdesk.tickets.taxonomy import InvalidLabels

TARGET = (
    "Certificat de scolarité en ligne",
    "Bonjour, je n'arrive pas à télécharger le certificat de scolarité de ma fille depuis "
    "mon espace, la CAF me le réclame.",
)

CORRECTIONS = [
    (
        "certificat de scolarité",
        "Bonjour, où télécharger le certificat de scolarité de mon fils dans Scolarité services ?",
        "demande_logicielle",
        "TELESERVICES",
        "teleservices",
    ),
    (
        "Certificat introuvable",
        "Le certificat de scolarité n'apparaît pas dans mes démarches en ligne.",
        "demande_logicielle",
        "TELESERVICES",
        "teleservices",
    ),
    (
        "attestation de scolarité",
        "bonjour je veux imprimer le certificat de scolarite en ligne mais rien ne s'affiche",
        "demande_logicielle",
        "TELESERVICES",
        "teleservices",
    ),
]


@pytest.fixture(scope="module")
def corrected() -> Classifier:
    return retrain_with_corrections(CORRECTIONS)


def test_a_few_corrections_change_the_prediction_of_a_similar_text(classifier, corrected):
    assert classifier.predict(*TARGET).motif != "teleservices"
    prediction = corrected.predict(*TARGET)
    assert prediction.motif == "teleservices"
    assert prediction.nature == "TELESERVICES"
    assert classifier.predict(*CORRECTIONS[0][:2]).motif != "teleservices"


def test_corrections_leave_unrelated_predictions_alone(classifier, corrected, eval_requests):
    requests = [(r["subject"], r["body"]) for r in eval_requests]
    before = [p.motif for p in classifier.predict_many(requests)]
    after = [p.motif for p in corrected.predict_many(requests)]
    changed = sum(b != a for b, a in zip(before, after, strict=True))
    assert changed <= len(requests) // 50


def test_cached_classifier_follows_the_corrections(classifier, corrected, tmp_path, monkeypatch):
    classifier.save(tmp_path / CACHE_FILE_NAME)
    trainings = []

    def train(examples, **kwargs):
        trainings.append(examples)
        return corrected

    monkeypatch.setattr(Classifier, "train", train)
    first = retrain_with_corrections(CORRECTIONS, cache_dir=tmp_path)
    assert len(trainings) == 1
    assert first.digest == corrected.digest
    again = retrain_with_corrections(CORRECTIONS, cache_dir=tmp_path)
    assert len(trainings) == 1
    assert again.digest == corrected.digest
    assert again.predict(*TARGET) == corrected.predict(*TARGET)


def test_merge_adds_weighted_corrections_and_replaces_the_same_text():
    base = [
        Example(
            "Mot de passe",
            "J'ai oublié mon mot de passe",
            "demande_logicielle",
            "EDUCONNECT",
            "mot_de_passe_oublie",
        ),
        Example(
            "Bourse",
            "La bourse ne marche pas",
            "demande_logicielle",
            "TELESERVICES",
            "teleservices",
        ),
    ]
    merged = merge_corrections(
        base,
        [
            (
                "MOT DE PASSE",
                "j'ai oublie mon mot de passe",
                "demande_logicielle",
                "EDUCONNECT",
                "compte_eleve",
            ),
            ("Nouveau", "Texte", "demande_conseil", "AUTRE", "autre"),
            ("Nouveau", "Texte", "demande_conseil", "RGPD", "rgpd_droits"),
        ],
    )
    assert [(e.motif, e.weight) for e in merged] == [
        ("teleservices", 1.0),
        ("compte_eleve", CORRECTION_WEIGHT),
        ("rgpd_droits", CORRECTION_WEIGHT),
    ]


def test_merge_rejects_inconsistent_labels():
    with pytest.raises(InvalidLabels):
        merge_corrections([], [("s", "b", "demande_conseil", "LSU", "rgpd_droits")])
