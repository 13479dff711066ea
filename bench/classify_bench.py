"""Benchmark of the request categoriser: accuracy, confusions, calibration, speed.

Run: .venv/bin/python bench/classify_bench.py [--eval FILE] [--no-cv]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from helpdesk.classify.model import Classifier, load_examples
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE, MOTIFS

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT / "helpdesk" / "classify" / "data" / "development.jsonl"


def expected_calibration_error(confidences: np.ndarray, hits: np.ndarray, bins: int = 10) -> float:
    error = 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        mask = (confidences > low) & (confidences <= high)
        if mask.any():
            error += mask.mean() * abs(confidences[mask].mean() - hits[mask].mean())
    return float(error)


def cross_validate(examples, folds: int = 5) -> tuple[float, float]:
    motifs = np.array([example.motif for example in examples])
    types = np.array([example.type for example in examples])
    predicted_motifs = np.empty(len(examples), dtype=object)
    predicted_types = np.empty(len(examples), dtype=object)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train_index, test_index in splitter.split(motifs, motifs):
        model = Classifier.train([examples[i] for i in train_index])
        predictions = model.predict_many(
            (examples[i].subject, examples[i].body) for i in test_index
        )
        predicted_motifs[test_index] = [p.motif for p in predictions]
        predicted_types[test_index] = [p.type for p in predictions]
    return float((predicted_motifs == motifs).mean()), float((predicted_types == types).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    arguments = parser.parse_args()

    examples = load_examples()
    with arguments.eval.open(encoding="utf-8") as handle:
        requests = [json.loads(line) for line in handle if line.strip()]
    print(f"training examples: {len(examples)}   evaluation requests: {len(requests)}")
    print(
        f"cores: {os.cpu_count()}   load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        classifier = Classifier.train(examples)
        timings.append(time.perf_counter() - start)
    print(
        f"training time: median {statistics.median(timings):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )

    pairs = [(request["subject"], request["body"]) for request in requests]
    for subject, body in pairs[:20]:
        classifier.predict(subject, body)
    latencies = []
    predictions = []
    cpu_start = time.process_time()
    for _ in range(3):
        predictions = []
        for subject, body in pairs:
            start = time.perf_counter()
            predictions.append(classifier.predict(subject, body))
            latencies.append((time.perf_counter() - start) * 1000)
    cpu_per_request = (time.process_time() - cpu_start) * 1000 / (3 * len(pairs))
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    print(
        f"prediction latency over {len(latencies)} single calls: p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms, p99 {p99:.2f} ms, max {max(latencies):.2f} ms; "
        f"CPU {cpu_per_request:.2f} ms/request"
    )
    start = time.perf_counter()
    classifier.predict_many(pairs)
    batch = (time.perf_counter() - start) * 1000 / len(pairs)
    print(f"batch prediction (predict_many): {batch:.2f} ms/request")

    truth_motifs = [request["motif"] for request in requests]
    hits = np.array([p.motif == m for p, m in zip(predictions, truth_motifs, strict=True)])
    paired = list(zip(predictions, requests, strict=True))
    nature_hits = np.mean([p.nature == r["nature"] for p, r in paired])
    type_hits = np.mean([p.type == r["type"] for p, r in paired])
    default_type_hits = np.mean([MOTIF_DEFAULT_TYPE[p.motif] == r["type"] for p, r in paired])
    print()
    print(f"motif accuracy:  {hits.mean():.3f} ({hits.sum()}/{len(hits)})")
    print(f"nature accuracy: {nature_hits:.3f}")
    print(
        f"type accuracy:   {type_hits:.3f} (type classifier, in use); "
        f"{default_type_hits:.3f} with the predicted motif's default type"
    )

    confidences = np.array([p.confidence for p in predictions])
    calibration_error = expected_calibration_error(confidences, hits)
    print(f"confidence: mean {confidences.mean():.3f}, ECE {calibration_error:.3f}")
    for threshold in (0.55, 0.9):
        above = confidences >= threshold
        below = hits[~above].mean() if (~above).any() else float("nan")
        print(
            f"  confidence >= {threshold}: {above.mean():.0%} of requests, accuracy "
            f"{hits[above].mean():.3f}; below: accuracy {below:.3f} ({(~above).sum()} requests)"
        )

    confusions: dict[str, Counter[str]] = defaultdict(Counter)
    predicted_counts = Counter(p.motif for p in predictions)
    for prediction, truth in zip(predictions, truth_motifs, strict=True):
        confusions[truth][prediction.motif] += 1
    rows = []
    for motif in MOTIFS:
        support = sum(confusions[motif].values())
        correct = confusions[motif][motif]
        recall = correct / support if support else float("nan")
        precision = correct / predicted_counts[motif] if predicted_counts[motif] else float("nan")
        rows.append((motif, support, recall, precision))
    print()
    print(f"{'motif':28s} {'n':>4s} {'accuracy':>9s} {'precision':>10s}")
    for motif, support, recall, precision in rows:
        print(f"{motif:28s} {support:4d} {recall:9.3f} {precision:10.3f}")

    print()
    print("worst motifs and what they were taken for:")
    worst = sorted(rows, key=lambda row: (row[2], row[3]))[:5]
    for motif, _, recall, _ in worst:
        wrong = [(other, n) for other, n in confusions[motif].most_common() if other != motif]
        taken = ", ".join(f"{other} x{n}" for other, n in wrong) or "no error"
        print(f"  {motif} ({recall:.3f}): {taken}")
    errors = [
        (request["id"], request["motif"], prediction.motif, prediction.confidence)
        for request, prediction in zip(requests, predictions, strict=True)
        if request["motif"] != prediction.motif
    ]
    print(
        "misclassified requests: " + ", ".join(f"{i} {t}->{p} ({c:.2f})" for i, t, p, c in errors)
    )

    if not arguments.no_cv:
        start = time.perf_counter()
        motif_cv, type_cv = cross_validate(examples)
        print()
        print(
            f"5-fold cross-validation on the training examples: motif {motif_cv:.3f}, "
            f"type {type_cv:.3f} ({time.perf_counter() - start:.1f} s)"
        )


if __name__ == "__main__":
    main()
