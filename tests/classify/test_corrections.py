import pytest

from helpdesk.classify.corrections import (
    CORRECTION_WEIGHT,
    merge_corrections,
    retrain_with_corrections,
)
from helpdesk.classify.model import CACHE_FILE_NAME, Classifier, Example
from helpdesk.classify.taxonomy import InvalidLabels

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


def test_a_few_corrections_change_the_prediction_of_a_similar_text(classifier):
    assert classifier.predict(*TARGET).motif != "teleservices"
    retrained = retrain_with_corrections(CORRECTIONS)
    prediction = retrained.predict(*TARGET)
    assert prediction.motif == "teleservices"
    assert prediction.nature == "TELESERVICES"


def test_cached_classifier_follows_the_corrections(classifier, tmp_path):
    classifier.save(tmp_path / CACHE_FILE_NAME)
    corrected = retrain_with_corrections(CORRECTIONS, cache_dir=tmp_path)
    assert corrected.digest != classifier.digest
    assert Classifier.load(tmp_path / CACHE_FILE_NAME).digest == corrected.digest
    again = retrain_with_corrections(CORRECTIONS, cache_dir=tmp_path)
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
