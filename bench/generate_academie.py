"""Write a synthetic académie snapshot folder (the six CSV files of the data contract).

.venv/bin/python bench/generate_academie.py OUT_DIR --responsables 300000 --seed 2026
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpdesk.demo.generator import generate_academie  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--responsables", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    started = time.perf_counter()
    stats = generate_academie(args.folder, args.responsables, seed=args.seed)
    elapsed = time.perf_counter() - started
    for name, count in sorted(stats.counts.items()):
        print(f"{name:<20} {count:>10}")
    print("anomalies:")
    for name, count in stats.anomalies.most_common():
        print(f"  {name:<24} {count:>8}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.1f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
