"""FAQ search benchmark: 2,000 synthetic articles, query latency, time until a new article shows.

Run: .venv/bin/python bench/kb_search_bench.py [--articles 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from faker import Faker

from helpdesk.knowledge.articles import ArticleDoc, load_articles
from helpdesk.knowledge.search import ArticleIndex

ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    "code sms", "sms jamais recu", "mdp oublie", "mot de passe", "identifiant perdu",
    "fils napparait pas", "educonnet bloque", "mail confirmation", "changer numero portable",
    "fc marche pas", "franceconnect", "notifier parents", "parents sans portable",
    "livret pas visible", "lsu", "bilan", "date naissance refusee", "deux comptes", "doublon",
    "maternelle", "bourse", "orientation", "rgpd", "supprimer donnees", "horaires",
    "assistance", "statistiques", "renotifier", "reinitialiser mot passe", "rentree",
    "synchronisation siecle", "onde", "provisoire expire", "compte bloque", "eleve",
    "pronote", "grand mere", "lien expire", "confirmaton mail", "identifaint",
    "notifcation", "texto", "portable", "enfant", "adresse mail", "compte", "connexion",
    "activation compte", "delai", "famille accueil",
]  # fmt: skip


def synthetic_articles(count: int, seed: int = 2026) -> list[ArticleDoc]:
    """Variants of the real articles: a few words added to the title, filler paragraphs."""
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    real = load_articles(ROOT / "knowledge")
    docs = []
    for number in range(count):
        base = real[number % len(real)]
        filler = "\n\n".join(fake.paragraph(nb_sentences=6) for _ in range(rng.randint(2, 5)))
        docs.append(
            replace(
                base,
                slug=f"{base.slug}-{number}",
                title=f"{base.title} ({fake.city()})",
                body=f"{base.body}\n## {fake.sentence(nb_words=5)}\n\n{filler}\n",
                status="draft" if rng.random() < 0.05 else base.status,
            )
        )
    return docs


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _add_later(path: str, doc: ArticleDoc, queue) -> None:
    index = ArticleIndex(path)
    started = time.time()
    index.add_or_update(doc)
    queue.put((started, time.time()))


def freshness(path: str, rounds: int) -> list[tuple[float, float]]:
    """(commit ms, visible ms) for articles written by another process while this one reads."""
    reader = ArticleIndex(path)
    context = multiprocessing.get_context("fork")
    measures = []
    for number in range(rounds):
        word = f"xylophone{number}q"
        reader.search("compte")
        doc = ArticleDoc(
            slug=f"nouvel-article-{number}",
            title=f"Nouvel article {word}",
            audiences=("parent",),
            motifs=("autre",),
            status="published",
            summary="Article ajouté pendant la mesure.",
            body=f"Le mot {word} n'existe que dans cet article.\n",
        )
        queue = context.Queue()
        writer = context.Process(target=_add_later, args=(path, doc, queue))
        writer.start()
        while not reader.search(word, audiences=["parent"]).hits:
            time.sleep(0.002)
        found = time.time()
        started, committed = queue.get(timeout=30)
        writer.join()
        measures.append(((committed - started) * 1000, (found - started) * 1000))
    return measures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    docs = synthetic_articles(args.articles)
    chars = sum(len(doc.body) for doc in docs)
    print(f"articles: {len(docs)} ({chars / len(docs):.0f} characters of body on average)")
    with tempfile.TemporaryDirectory() as path:
        index = ArticleIndex(path)
        started = time.perf_counter()
        index.rebuild(docs)
        print(f"rebuild: {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        index.search("compte")  # opens the searcher, reads the facet masks and titles
        print(f"first search after opening: {(time.perf_counter() - started) * 1000:.0f} ms")
        rng = random.Random(7)
        audiences_choices = [None, ["parent"], ["directeur"], ["parent", "eleve"]]
        latencies: list[list[float]] = []
        suggest_latencies, hits = [], []
        for _round in range(args.rounds):
            queries = QUERIES[:]
            rng.shuffle(queries)
            round_latencies = []
            for query in queries:
                audiences = rng.choice(audiences_choices)
                started = time.perf_counter()
                result = index.search(query, audiences=audiences, limit=10)
                round_latencies.append((time.perf_counter() - started) * 1000)
                hits.append(result.total)
                started = time.perf_counter()
                index.suggest(query[:-1], audiences=audiences, limit=3)
                suggest_latencies.append((time.perf_counter() - started) * 1000)
            latencies.append(round_latencies)
        print(
            f"search: top 10 with highlighted excerpts and facets, {len(QUERIES)} queries of "
            f"1-3 words x {args.rounds} rounds, median {statistics.median(hits):.0f} "
            "matching articles per query"
        )
        series = {
            "all search": [value for one_round in latencies for value in one_round],
            "round 1": latencies[0],
            "rounds 2+": [value for one_round in latencies[1:] for value in one_round],
            "suggest": suggest_latencies,
        }
        for name, values in series.items():
            if values:
                print(
                    f"  {name:10} p50 {percentile(values, 0.50):6.1f} ms   "
                    f"p95 {percentile(values, 0.95):6.1f} ms   "
                    f"p99 {percentile(values, 0.99):6.1f} ms   max {max(values):6.1f} ms"
                )
        measures = freshness(path, rounds=5)
        commits = [commit for commit, _visible in measures]
        visible = [seen for _commit, seen in measures]
        print(
            "new article written by another process: commit "
            f"median {statistics.median(commits):.0f} ms (max {max(commits):.0f}), searchable "
            f"after median {statistics.median(visible):.0f} ms (max {max(visible):.0f})"
        )


if __name__ == "__main__":
    main()
