"""Time `helpdesk import` on a synthetic académie, on SQLite and PostgreSQL.

    .venv/bin/python bench/import_bench.py --responsables 300000 --engine both
    .venv/bin/python bench/import_bench.py --responsables 1000000 --engine postgresql

Académies are generated once under --data-dir and reused. Each import runs in a child process
on a fresh database (a temporary SQLite file, or the PostgreSQL database `bench_import`, created
and dropped here): a first import into empty tables, then the same snapshot again (which must
change nothing). Prints rows/s per file, total time and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "bench_import"


def academie(data_dir: Path, responsables: int, seed: int) -> Path:
    from helpdesk.demo.generator import generate_academie

    folder = data_dir / f"academie-{responsables}-{seed}"
    done = folder / ".complete"
    if not done.exists():
        print(f"Génération de {folder} …", flush=True)
        started = time.perf_counter()
        stats = generate_academie(folder, responsables, seed=seed)
        done.write_text("ok")
        print(f"  {dict(stats.counts)} en {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def worker(url: str, folder: str, repeat: int) -> None:
    from helpdesk.accounts.importer import import_snapshot
    from helpdesk.core.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    runs = []
    for _ in range(repeat):
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_SELF)
        report = import_snapshot(factory, folder)
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        runs.append(
            {
                "load": load,
                "cpu": cpu,
                "seconds": report.seconds,
                "timings": report.timings,
                "files": report.to_dict()["files"],
                "rejected": len(report.rejected),
                "imported": report.imported_anything,
            }
        )
    engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"runs": runs, "peak_rss_mb": peak}))


def fresh_database(engine_name: str, tmp: Path) -> str:
    from helpdesk.core.migrate import upgrade

    if engine_name == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
    else:
        from sqlalchemy import create_engine, text

        admin = create_engine(os.environ.get("BENCH_PG_ADMIN_URL", PG_ADMIN_URL),
                              isolation_level="AUTOCOMMIT")  # fmt: skip
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
        admin.dispose()
        url = admin.url.set(database=PG_DATABASE).render_as_string(hide_password=False)
    upgrade(url)
    return url


def drop_database(engine_name: str) -> None:
    if engine_name != "postgresql":
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(os.environ.get("BENCH_PG_ADMIN_URL", PG_ADMIN_URL),
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
    admin.dispose()


def bench(engine_name: str, folder: Path, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-") as tmp:
        url = fresh_database(engine_name, Path(tmp))
        try:
            result = subprocess.run(
                [sys.executable, __file__, "--worker", url, str(folder), "--repeat", str(repeat)],
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            drop_database(engine_name)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\n== {engine_name} — {folder.name}")
    for number, run in enumerate(data["runs"], start=1):
        label = "import dans des tables vides" if number == 1 else "même instantané réimporté"
        print(f"-- {label} : {run['seconds']:.1f} s (CPU de l'import {run['cpu']:.1f} s,"
              f" charge de la machine {run['load']:.1f}), rejets {run['rejected']}")  # fmt: skip
        total_rows = 0
        for name, counts in run["files"].items():
            seconds = run["timings"].get(name, 0.0)
            total_rows += counts["read"]
            rate = counts["read"] / seconds if seconds else 0.0
            print(f"   {name:<20} {counts['read']:>9} lignes  lecture {seconds:6.1f} s"
                  f"  {rate:>9.0f} lignes/s")  # fmt: skip
        print(f"   contrôles (doublons, références) {run['timings'].get('checks', 0):6.1f} s")
        print(f"   fusion dans les tables           {run['timings'].get('merge', 0):6.1f} s")
        print(f"   total {total_rows} lignes, {total_rows / run['seconds']:.0f} lignes/s")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"   RSS max de l'import : {data['peak_rss_mb']:.0f} Mo (enfants : {children:.0f} Mo)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responsables", type=int, nargs="+", default=[300_000])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "helpdesk-bench"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=2, help="imports of the same snapshot")
    parser.add_argument("--worker", nargs=2, metavar=("URL", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], args.repeat)
        return
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    args.data_dir.mkdir(parents=True, exist_ok=True)
    for size in args.responsables:
        folder = academie(args.data_dir, size, args.seed)
        for engine_name in engines:
            bench(engine_name, folder, args.repeat)


if __name__ == "__main__":
    main()
