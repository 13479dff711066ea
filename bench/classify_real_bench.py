"""The categoriser on the development split and on the real evaluation set, as agents get it.

Prints, for each set: motif and nature accuracy, the share sent to "À qualifier" at the
configured threshold and the accuracy of the rest, calibration, language and second-problem
figures, the confusions between motifs; on the real set, the figures by kind of request and on
the sourced requests alone. Then the per-request latency through the entry point the services
call (`classifier_for`), the memory of a process that loaded it, and the share of the demo's
requests sent to "À qualifier".

Run: .venv/bin/python bench/classify_real_bench.py [--demo 300]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT = ROOT / "helpdesk" / "classify" / "data" / "development.jsonl"
REAL = ROOT / "tests" / "data" / "classify_real_eval.jsonl"
COLLECTED = ROOT / "tests" / "data" / "classify_collected_eval.jsonl"
TAGS = {
    "nonfr": "not in French",
    "app": "another application",
    "two": "two problems",
    "school": "a school writes",
    "dp": "data protection, no 'RGPD'",
    "mail": "e-mail corpus",
}


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def ece(confidences: np.ndarray, hits: np.ndarray, bins: int = 10) -> float:
    error, edges = 0.0, np.linspace(0.0, 1.0, bins + 1)
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        mask = (confidences > low) & (confidences <= high)
        if mask.any():
            error += mask.mean() * abs(confidences[mask].mean() - hits[mask].mean())
    return float(error)


def figures(name: str, rows: list[dict], predictions, threshold: float) -> None:
    hits = np.array([p.motif == r["motif"] for p, r in zip(predictions, rows, strict=True)])
    natures = np.mean([p.nature == r["nature"] for p, r in zip(predictions, rows, strict=True)])
    confidences = np.array([p.confidence for p in predictions])
    kept = confidences >= threshold
    languages = np.mean(
        [p.language == r.get("lang", "fr") for p, r in zip(predictions, rows, strict=True)]
    )
    print(f"\n== {name}: {len(rows)} requests")
    print(f"motif accuracy {hits.mean():.3f} ({hits.sum()}/{len(rows)}), nature {natures:.3f}")
    print(
        f"'À qualifier' (confidence < {threshold}): {1 - kept.mean():.1%}; "
        f"accuracy of the others {hits[kept].mean():.3f}; of those sent: "
        f"{hits[~kept].mean() if (~kept).any() else float('nan'):.3f}"
    )
    print(f"confidence mean {confidences.mean():.3f}, ECE {ece(confidences, hits):.3f}")
    print(f"language right {languages:.3f}")
    two = [(p, r) for p, r in zip(predictions, rows, strict=True) if r.get("second_motif")]
    single = [(p, r) for p, r in zip(predictions, rows, strict=True) if not r.get("second_motif")]
    if two:
        both = np.mean(
            [{p.motif, p.second_motif} == {r["motif"], r["second_motif"]} for p, r in two]
        )
        print(f"two problems: both motifs found in {both:.3f} of {len(two)}")
    false_second = np.mean([p.second_motif is not None for p, _ in single])
    print(f"a second motif on one-problem requests: {false_second:.3f}")
    if any(r.get("tags") for r in rows):
        for tag, label in TAGS.items():
            chosen = [i for i, r in enumerate(rows) if tag in r.get("tags", [])]
            if chosen:
                print(f"  {label:28s} {len(chosen):4d}  motif {hits[chosen].mean():.3f}")
        sourced = [i for i, r in enumerate(rows) if not r["source"].startswith("composed")]
        if len(sourced) < len(rows):
            print(
                f"  {'sourced requests only':28s} {len(sourced):4d}  motif "
                f"{hits[sourced].mean():.3f}, nature "
                f"{np.mean([predictions[i].nature == rows[i]['nature'] for i in sourced]):.3f}"
            )
    confusions = Counter(
        (r["motif"], p.motif)
        for p, r in zip(predictions, rows, strict=True)
        if p.motif != r["motif"]
    )
    print(
        "confusions (truth -> predicted): "
        + ", ".join(f"{t}->{p} x{n}" for (t, p), n in confusions.most_common())
    )


def demo_share(count: int, classifier, threshold: float) -> None:
    from faker import Faker

    from helpdesk.demo import content
    from helpdesk.demo.ticket_mix import CHANNEL_WEIGHTS, MOTIF_WEIGHTS

    rng = random.Random(7)
    faker = Faker("fr_FR")
    faker.seed_instance(7)
    sent = right = 0
    for _ in range(count):
        motif = rng.choices(list(MOTIF_WEIGHTS), list(MOTIF_WEIGHTS.values()))[0]
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        convo = content.conversation_for(motif, faker, channel)
        prediction = classifier(convo.subject, convo.body)
        sent += prediction.confidence < threshold
        right += prediction.motif == convo.motif
    print(
        f"\ndemo requests ({count}): {sent / count:.1%} to 'À qualifier', "
        f"motif right {right / count:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=int, default=300, help="demo requests to draw (0: none)")
    arguments = parser.parse_args()

    from helpdesk.core.config import load_config

    threshold = load_config()["CLASSIFY_THRESHOLD"]
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; RSS {rss_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as cache:
        from helpdesk.classify.services import classifier_for

        start = time.perf_counter()
        classify = classifier_for({"CLASSIFY_CACHE_DIR": cache})
        print(
            f"categoriser ready in {time.perf_counter() - start:.1f} s (trained, no cache); "
            f"process RSS {rss_mb():.0f} MB"
        )
        start = time.perf_counter()
        classify = classifier_for({"CLASSIFY_CACHE_DIR": cache})
        print(
            f"loaded from its cache in {time.perf_counter() - start:.2f} s; RSS {rss_mb():.0f} MB"
        )
        sets = {}
        for name, path in (
            ("development split", DEVELOPMENT),
            ("earlier real-phrasing set (seen while tuning)", REAL),
            ("collected evaluation set (never tuned on)", COLLECTED),
        ):
            with path.open(encoding="utf-8") as handle:
                sets[name] = [json.loads(line) for line in handle if line.strip()]
        latencies, predictions = [], {}
        for name, rows in sets.items():
            predictions[name] = []
            for row in rows:
                start = time.perf_counter()
                predictions[name].append(classify(row["subject"], row["body"]))
                latencies.append((time.perf_counter() - start) * 1000)
        p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
        print(
            f"latency per request over {len(latencies)} calls: p50 {p50:.2f} ms, "
            f"p95 {p95:.2f} ms, p99 {p99:.2f} ms, max {max(latencies):.2f} ms"
        )
        for name, rows in sets.items():
            figures(name, rows, predictions[name], threshold)
        if arguments.demo:
            demo_share(arguments.demo, classify, threshold)


if __name__ == "__main__":
    main()
