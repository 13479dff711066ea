"""Accuracy of the diagnostics on the guided-fix case set, per family.

    .venv/bin/python bench/guided_cases.py [--engine postgresql] [--failures]

Imports ``tests/data/guided_cases/snapshot`` into a fresh database (SQLite file, or the
PostgreSQL database `bench_guided`), runs every request of ``cases.jsonl`` through the
`helpdesk diagnose` answer, and prints the share of cases whose codes, primary finding and
primary actions are right, and the number of requests matched to somebody else.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CASES = ROOT / "tests" / "data" / "guided_cases"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def database_url(engine: str, folder: Path) -> str:
    if engine == "sqlite":
        return f"sqlite:///{folder / 'guided.db'}"
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "bench_guided" WITH (FORCE)'))
        conn.execute(text('CREATE DATABASE "bench_guided"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/bench_guided"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--failures", action="store_true", help="list the cases that fail")
    args = parser.parse_args()

    from helpdesk.accounts.importer import import_snapshot
    from helpdesk.core.db import make_engine, make_sessionmaker
    from helpdesk.core.migrate import upgrade
    from helpdesk.diagnostics.cli import diagnosis_json
    from helpdesk.diagnostics.evaluation import load_cases, report, score
    from helpdesk.diagnostics.services import DiagnoseRequest

    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(args.engine, Path(tmp))
        upgrade(url)
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        import_snapshot(factory, CASES / "snapshot")
        session = factory()
        try:
            scores = score(
                load_cases(CASES / "cases.jsonl"),
                lambda request: diagnosis_json(DiagnoseRequest.from_json(request), session),
            )
        finally:
            session.close()
            engine.dispose()
    print(report(scores))
    if args.failures:
        for name, s in scores.items():
            for failure in s.failures:
                print(f"[{name}] {failure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
