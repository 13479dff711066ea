"""Article files: loading, validation, normalised round trip, coverage of the motifs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpdesk.knowledge.articles import (
    ArticleDoc,
    ArticleError,
    dump_article,
    load_article,
    load_articles,
    parse_article,
    write_article,
)
from helpdesk.knowledge.render import article_links
from helpdesk.tickets.taxonomy import MOTIFS

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

# Who asks about each motif: every pair must be answered by a published article.
MOTIF_AUDIENCES = {
    "activation_sms": ("parent", "directeur"),
    "activation_date_naissance": ("parent", "directeur"),
    "email_non_verifie": ("parent", "eleve", "directeur"),
    "identifiant_oublie": ("parent", "eleve", "directeur"),
    "mot_de_passe_oublie": ("parent", "eleve", "directeur"),
    "enfant_manquant": ("parent", "directeur"),
    "compte_inexistant": ("parent",),
    "franceconnect": ("parent",),
    "modification_coordonnees": ("parent", "eleve", "directeur"),
    "compte_eleve": ("eleve", "parent", "directeur"),
    "notification_directeur": ("directeur",),
    "lsu_bilan_invisible": ("parent", "eleve", "directeur"),
    "rgpd_droits": ("parent", "eleve", "directeur", "agent"),
    "teleservices": ("parent", "eleve"),
    "autre": ("parent", "eleve", "directeur"),
}

VALID = """---
title: Un titre
slug: un-titre
audiences: [parent]
motifs: [autre]
tags: [essai]
status: published
reviewed: 2026-01-31
summary: Un résumé.
---

Le texte.
"""


@pytest.fixture(scope="module")
def docs() -> list[ArticleDoc]:
    return load_articles(KNOWLEDGE)


def test_every_article_file_loads_and_validates(docs):
    assert len(docs) >= 30
    assert len(list(KNOWLEDGE.glob("*.md"))) == len(docs)
    assert len({doc.slug for doc in docs}) == len(docs)
    assert sum(doc.is_published for doc in docs) >= 30


def test_article_files_are_in_normalised_form():
    for path in sorted(KNOWLEDGE.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert dump_article(load_article(path)) == text, path.name


def test_each_motif_is_answered_for_each_audience_that_asks(docs):
    published = [doc for doc in docs if doc.is_published]
    assert set(MOTIF_AUDIENCES) == set(MOTIFS)
    missing = [
        (motif, audience)
        for motif, audiences in MOTIF_AUDIENCES.items()
        for audience in audiences
        if not any(motif in d.motifs and audience in d.audiences for d in published)
    ]
    assert missing == []


def test_agent_only_articles_exist(docs):
    agent_only = [d.slug for d in docs if d.is_published and d.audiences == ("agent",)]
    assert len(agent_only) >= 2


def test_links_between_articles_point_to_published_articles(docs):
    published = {doc.slug for doc in docs if doc.is_published}
    broken = [
        (doc.slug, target)
        for doc in docs
        for target in article_links(doc.body)
        if target not in published
    ]
    assert broken == []


def test_articles_state_the_key_rules(docs):
    text = {doc.slug: doc.body for doc in docs}
    assert "8 et 14 caractères" in text["regles-du-mot-de-passe"]
    assert "30 minutes" in text["code-sms-non-recu"]
    assert "8 h 30" in text["directeur-delais-synchronisation"]
    assert "48 heures" in text["directeur-delais-synchronisation"]
    assert "un à deux jours" in text["directeur-delais-synchronisation"]
    # The centre's phone and hours come from the académie's settings, not from the text.
    assert "{telephone_assistance}, {horaires_assistance}" in text["contacter-assistance"]


def test_load_dump_load_is_identity(docs):
    for doc in docs:
        assert parse_article(dump_article(doc)) == doc


def test_dump_normalises_a_hand_written_file():
    text = (
        "---\r\n"
        "slug: un-titre\r\n"
        "title: 'Un titre : avec deux-points'\r\n"
        "audiences:\r\n  - parent\r\n  - directeur\r\n"
        "motifs: autre\r\n"
        "tags: []\r\n"
        "status: draft\r\n"
        "reviewed: '2026-02-03'\r\n"
        "summary: >\r\n  Un résumé\r\n"
        "---\r\n\r\n\r\n# Partie   \r\nTexte.\r\n\r\n\r\n"
    )
    doc = parse_article(text)
    assert doc.audiences == ("parent", "directeur")
    assert doc.motifs == ("autre",)
    assert doc.reviewed == dt.date(2026, 2, 3)
    assert dump_article(doc) == (
        "---\n"
        "title: 'Un titre : avec deux-points'\n"
        "slug: un-titre\n"
        "audiences: [parent, directeur]\n"
        "motifs: [autre]\n"
        "tags: []\n"
        "status: draft\n"
        "reviewed: 2026-02-03\n"
        "summary: Un résumé\n"
        "---\n"
        "\n"
        "# Partie\n"
        "Texte.\n"
    )
    assert parse_article(dump_article(doc)) == doc


@pytest.mark.parametrize(
    ("line", "replacement", "message"),
    [
        ("motifs: [autre]", "motifs: [autre, mot_inconnu]", "Motif inconnu : « mot_inconnu »"),
        ("audiences: [parent]", "audiences: [parent, prof]", "Public inconnu : « prof »"),
        ("title: Un titre", "title: ''", "Le titre est obligatoire."),
        ("reviewed: 2026-01-31", "reviewed: 2026-13-31", "Date de relecture invalide"),
        ("reviewed: 2026-01-31", "reviewed: hier", "Date de relecture invalide"),
        ("status: published", "status: publie", "Statut inconnu : « publie »"),
        ("slug: un-titre", "slug: Un Titre", "Identifiant (slug) invalide"),
        ("tags: [essai]", "tags: [Mot clé]", "Mot-clé invalide : « Mot clé »"),
        ("summary: Un résumé.", "auteur: moi", "Champ inconnu dans l'en-tête : auteur"),
    ],
)
def test_validation_errors_are_reported_in_french(line, replacement, message):
    assert line in VALID
    with pytest.raises(ArticleError) as error:
        parse_article(VALID.replace(line, replacement), source="essai.md")
    assert any(message in problem for problem in error.value.problems)
    assert str(error.value).startswith("essai.md : ")


def test_every_problem_is_listed_at_once():
    text = VALID.replace("title: Un titre", "title: ''").replace("motifs: [autre]", "motifs: [x]")
    with pytest.raises(ArticleError) as error:
        parse_article(text)
    assert "Le titre est obligatoire." in error.value.problems
    assert "Motif inconnu : « x »." in error.value.problems


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Pas d'en-tête\n", "doit commencer par un en-tête YAML"),
        ("---\ntitle: x\n", "n'est pas refermé"),
        ("---\ntitle: [x\n---\ntexte\n", "En-tête YAML illisible"),
        ("---\n- une liste\n---\ntexte\n", "suite de champs"),
    ],
)
def test_malformed_files_are_rejected(text, message):
    with pytest.raises(ArticleError) as error:
        parse_article(text)
    assert message in str(error.value)


def test_file_name_must_match_slug(tmp_path):
    (tmp_path / "autre-nom.md").write_text(VALID, encoding="utf-8")
    with pytest.raises(ArticleError, match="ne correspond pas au nom du fichier"):
        load_articles(tmp_path)


def test_write_article_round_trips_and_refuses_invalid(tmp_path):
    doc = parse_article(VALID)
    path = write_article(doc, tmp_path)
    assert path.name == "un-titre.md"
    assert path.read_text(encoding="utf-8") == VALID
    assert load_article(path) == doc
    with pytest.raises(ArticleError, match="Motif inconnu"):
        write_article(ArticleDoc(**{**doc.__dict__, "motifs": ("rien",)}), tmp_path)
