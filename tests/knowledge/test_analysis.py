"""French analysis: folding, stop words, stemming, synonym table."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.analysis import folded_words, term_for, terms
from helpdesk.knowledge.synonyms import SYNONYM_GROUPS, synonym_table


@pytest.mark.parametrize(
    "forms",
    [
        ("bloqué", "bloquée", "bloquer", "bloquee", "bloqués", "BLOQUÉES", "bloque"),
        ("notifié", "notifiée", "notifier", "notification", "notifications", "notifiee"),
        ("reçu", "reçue", "recu", "reçus", "recevoir", "reçois", "recoit"),
        ("apparaît", "apparait", "apparaissent", "apparaîtra", "apparu"),
        ("enfant", "enfants", "Enfants"),
        ("numéro", "numeros", "NUMERO"),
        ("oublié", "oubliée", "oublier", "oubliés"),
        ("activé", "activée", "activer", "activation"),
        ("connecté", "connectée", "connecter", "connectés"),
        ("élève", "eleve", "élèves", "ÉLÈVE"),
        ("envoyé", "envoyer", "envoyée", "envoyés"),
    ],
)
def test_forms_of_a_word_share_one_term(forms):
    assert len({term_for(form) for form in forms}) == 1, {f: term_for(f) for f in forms}


def test_different_words_keep_different_terms():
    assert term_for("parent") != term_for("enfant")
    assert term_for("compte") != term_for("conte")
    assert term_for("mail") != term_for("maternelle")


def test_stop_words_and_one_letter_words_are_dropped():
    assert terms("Je n'ai pas reçu le code, merci de m'aider !") == [
        term_for("reçu"),
        term_for("code"),
        term_for("aider"),
    ]


def test_folding_handles_accents_case_and_ligatures():
    assert folded_words("Œuvre, CŒUR et Élève-à") == ["oeuvre", "coeur", "et", "eleve", "a"]


def test_each_expression_belongs_to_one_group_only():
    seen: dict[tuple[str, ...], int] = {}
    index, groups = synonym_table()
    for number, group in enumerate(groups):
        for key in group:
            assert key not in seen, (key, SYNONYM_GROUPS[seen[key]], SYNONYM_GROUPS[number])
            seen[key] = number
    assert set(index) == set(seen)

    def key(text: str) -> tuple[str, ...]:
        return tuple(terms(text))

    assert index[key("mdp")] == index[key("mot de passe")] == index[key("mots de passe")]
    assert index[key("fc")] == index[key("France Connect")] == index[key("FranceConnect")]
    assert index[key("perdus")] == index[key("oubliée")]


def test_highlighting_finds_every_word_of_the_searched_terms():
    from pathlib import Path

    from helpdesk.knowledge.articles import load_articles
    from helpdesk.knowledge.highlight import highlight
    from helpdesk.knowledge.render import markdown_to_text

    for doc in load_articles(Path(__file__).resolve().parents[2] / "knowledge"):
        text = markdown_to_text(doc.body)
        wanted = {(term,) for term in terms(doc.title + " " + doc.summary)}
        expected = sum(1 for term in terms(text) if (term,) in wanted)
        assert highlight(text, frozenset(wanted)).count("<mark>") == expected, doc.slug
