"""Every article rests on passages of the service's documents, found there word for word."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from helpdesk.knowledge.articles import (
    ArticleDoc,
    ArticleError,
    Source,
    dump_article,
    load_articles,
    parse_article,
)
from helpdesk.knowledge.services import export_directory, import_directory, to_doc
from helpdesk.knowledge.sources import REFERENCE_DIR, missing_passages

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
ARTICLES = load_articles(KNOWLEDGE)

#: What the documents contradict (seeds 000, 001, 002, 003): never promised in an article.
CONTRADICTED = {
    "a SIECLE delay promised as a maximum": re.compile(r"(sous|en|dans les) 48 ?h", re.I),
    "an ONDE delay promised as a certainty": re.compile(
        r"(visible|à jour|apparaît|corrigé)[^.]{0,40}le lendemain (matin )?à 8 ?h ?30", re.I
    ),
    "a merge of records": re.compile(r"fusionn", re.I),
    "FranceConnect as a way round a missing mobile": re.compile(
        r"FranceConnect[^.]{0,80}(sans|pas besoin d[eu]) (numéro de )?portable", re.I
    ),
}


def test_the_reference_documents_are_there():
    assert sorted(p.name for p in (REFERENCE_DIR / "seeds").glob("*.txt")) == [
        "000_56091cbdd3bbe7de.txt",
        "001_6526020610a44bd7.txt",
        "002_e9254e51854e6bed.txt",
        "003_6d5e501a0429da13.txt",
        "004_9dcef877f3e00f2f.txt",
    ]


def test_there_are_forty_nine_articles():
    assert len(ARTICLES) == 49


@pytest.mark.parametrize("doc", ARTICLES, ids=lambda d: d.slug)
def test_article_records_its_sources_and_each_is_found(doc):
    assert doc.sources, f"{doc.slug} : aucune source"
    assert missing_passages(doc.sources) == []


@pytest.mark.parametrize("doc", ARTICLES, ids=lambda d: d.slug)
def test_article_says_nothing_the_documents_contradict(doc):
    text = f"{doc.title}\n{doc.summary}\n{doc.body}"
    found = [what for what, pattern in CONTRADICTED.items() if pattern.search(text)]
    assert found == []


def test_a_passage_that_is_not_in_the_document_is_reported():
    sources = (
        Source("000_56091cbdd3bbe7de.txt", "LES SYNCHRONISATIONS ont lieu toutes les nuits"),
        Source("000_56091cbdd3bbe7de.txt", "les synchronisations ont lieu toutes les heures"),
        Source("003_6d5e501a0429da13.txt", "de 48 heures maximum"),
        Source("009_0000000000000000.txt", "Rien."),
    )
    problems = missing_passages(sources)
    assert len(problems) == 4
    assert "document introuvable : 009_0000000000000000.txt" in problems


def test_white_space_differences_do_not_count():
    passage = (
        "Une modification dans ONDE est donc\n   répercutée dans EduConnect le lendemain à 8h30."
    )
    assert missing_passages([Source("000_56091cbdd3bbe7de.txt", passage)]) == []


def doc_with(sources) -> ArticleDoc:
    return ArticleDoc(
        slug="exemple",
        title="Exemple",
        audiences=("parent",),
        motifs=("autre",),
        status="draft",
        reviewed=dt.date(2026, 9, 1),
        summary="Un exemple.",
        body="Texte.\n",
        sources=tuple(sources),
    )


def test_sources_survive_a_file_round_trip():
    doc = doc_with(
        [
            Source("000_56091cbdd3bbe7de.txt", "les synchronisations ont lieu toutes les nuits"),
            Source("002_e9254e51854e6bed.txt", "Il doit cliquer sur le lien indiqué"),
        ]
    )
    text = dump_article(doc)
    assert "sources:\n  - seed: 000_56091cbdd3bbe7de.txt\n    passage: " in text
    assert parse_article(text) == doc


@pytest.mark.parametrize(
    ("sources", "problem"),
    [
        ([Source("autre.pdf", "Texte")], "document inconnu « autre.pdf »"),
        ([Source("000_56091cbdd3bbe7de.txt", " ")], "le passage cité est vide"),
    ],
)
def test_malformed_sources_are_refused(sources, problem):
    with pytest.raises(ArticleError) as error:
        parse_article(dump_article(doc_with(sources)))
    assert any(problem in p for p in error.value.problems)


def test_sources_that_are_not_a_list_of_pairs_are_refused():
    text = dump_article(doc_with([])).replace(
        "summary: Un exemple.", "summary: Un exemple.\nsources: [000_56091cbdd3bbe7de.txt]"
    )
    with pytest.raises(ArticleError) as error:
        parse_article(text)
    assert "« sources » doit être une liste" in str(error.value)


def test_import_and_export_keep_the_sources(db_session, tmp_path):
    import_directory(db_session, KNOWLEDGE)
    db_session.flush()
    folder = tmp_path / "export"
    export_directory(db_session, folder)
    for doc in ARTICLES:
        exported = (folder / f"{doc.slug}.md").read_text(encoding="utf-8")
        assert exported == (KNOWLEDGE / f"{doc.slug}.md").read_text(encoding="utf-8")
    changed = dataclasses.replace(ARTICLES[0], sources=ARTICLES[0].sources[:1])
    (folder / f"{changed.slug}.md").write_text(dump_article(changed), encoding="utf-8")
    report = import_directory(db_session, folder)
    assert report.updated == [changed.slug]
    from helpdesk.knowledge.queries import get_article

    assert to_doc(get_article(db_session, changed.slug)).sources == changed.sources
