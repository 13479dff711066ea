"""Time the *Comptes à surveiller* page of one school on a synthetic académie.

    .venv/bin/python bench/watch_page_bench.py --responsables 300000
    .venv/bin/python bench/watch_page_bench.py --engine postgresql --runs 50

The académie is generated once under --data-dir (shared with the other benches) and imported
once into a database kept beside it (SQLite file, or the PostgreSQL database `bench_watch`).
Each page is rendered in-process by the Flask app (routing, queries, template, audit entry
committed), for the largest school of the académie and for a school of median size, as the
school's director and as an agent. Prints the school sizes, then p50 / p95 / max in ms
(wall clock) and the process CPU time per page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "bench_watch"
TARGET_MS = 300


def academie(data_dir: Path, responsables: int, seed: int) -> Path:
    from helpdesk.demo.generator import generate_academie

    folder = data_dir / f"academie-{responsables}-{seed}"
    if not (folder / ".complete").exists():
        print(f"Génération de {folder} …", flush=True)
        generate_academie(folder, responsables, seed=seed)
        (folder / ".complete").write_text("ok")
    return folder


def database(engine_name: str, data_dir: Path, folder: Path, rebuild: bool) -> str:
    """A migrated database holding the académie (imported once, then reused)."""
    from sqlalchemy import create_engine, text

    from helpdesk.accounts.importer import import_snapshot
    from helpdesk.core.db import make_engine, make_sessionmaker
    from helpdesk.core.migrate import upgrade

    ready = data_dir / f"watch-{folder.name}-{engine_name}.ready"
    if engine_name == "sqlite":
        path = data_dir / f"watch-{folder.name}.db"
        url = f"sqlite:///{path}"
        if ready.exists() and not rebuild:
            upgrade(url)
            return url
        for leftover in (path, ready):
            leftover.unlink(missing_ok=True)
    else:
        url = os.environ.get(
            "BENCH_PG_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}"
        )
        if ready.exists() and not rebuild:
            upgrade(url)
            return url
        admin = create_engine(
            os.environ.get("BENCH_PG_ADMIN_URL", PG_ADMIN_URL), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
        admin.dispose()
    print(f"Import de {folder.name} dans {engine_name} …", flush=True)
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    report = import_snapshot(make_sessionmaker(engine), folder)
    # Statistics for the planner; on PostgreSQL also the visibility map (index-only scans).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if engine_name == "sqlite" else "VACUUM ANALYZE")
    engine.dispose()
    print(f"  importé en {time.perf_counter() - started:.0f} s", flush=True)
    if not report.imported_anything:
        raise SystemExit("l'import n'a rien importé")
    ready.write_text("ok")
    return url


def schools_to_measure(session) -> list[tuple[str, str, int, int]]:
    """The largest school and one of median size: (label, uai, pupils, responsables)."""
    from sqlalchemy import func, select

    from helpdesk.accounts.models import Pupil, PupilLink

    sizes = session.execute(
        select(Pupil.uai, func.count()).group_by(Pupil.uai).order_by(func.count().desc())
    ).all()
    picked = [("plus grande école", *sizes[0]), ("école médiane", *sizes[len(sizes) // 2])]
    out = []
    for label, uai, pupils in picked:
        responsables = session.scalar(
            select(func.count(func.distinct(PupilLink.responsable_id)))
            .join(Pupil, Pupil.eleve_id == PupilLink.eleve_id)
            .where(Pupil.uai == uai)
        )
        out.append((label, uai, pupils, responsables))
    return out


def bench_user(session, role: str, school=None, suffix: str = ""):
    from sqlalchemy import select

    from helpdesk.auth.models import User

    email = f"bench-{role}{suffix.lower()}@ac-bench.fr"
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=f"Bench {role}", role=role, password_hash="x")
        session.add(user)
    user.schools = [school] if school is not None else []
    session.commit()
    return user


def measure(client, path: str, runs: int) -> tuple[list[float], list[float]]:
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    walls, cpus = [], []
    for _ in range(runs):
        cpu = time.process_time()
        started = time.perf_counter()
        response = client.get(path)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return walls, cpus


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_engine(url: str, runs: int) -> bool:
    from sqlalchemy import select

    from helpdesk import create_app
    from helpdesk.core.database import database
    from helpdesk.schools.models import School

    instance = Path(tempfile.mkdtemp(prefix="watch-bench-"))
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "ATTACHMENT_DIR": str(instance / "attachments"),
            "KB_INDEX_DIR": str(instance / "kb-index"),
            "CLASSIFY_ENABLED": False,
        }
    )
    ok = True
    # Requests run outside this setup context: each gets its own (and its own user).
    with app.app_context():
        factory = database().session_factory
        with factory() as session:
            targets = schools_to_measure(session)
            agent_id = bench_user(session, "agent").get_id()
            directors = {}
            for _, uai, _, _ in targets:
                school = session.scalar(select(School).where(School.uai == uai))
                directors[uai] = bench_user(session, "directeur", school, uai).get_id()
    for label, uai, pupils, responsables in targets:
        director_id = directors[uai]
        print(f"  {label} {uai} : {pupils} élèves, {responsables} responsables")
        pages = [
            ("directeur, toutes catégories", director_id, f"/demandes/comptes?ecole={uai}"),
            (
                "directeur, doublons",
                director_id,
                f"/demandes/comptes?ecole={uai}&categorie=doublons",
            ),
            ("agent, toutes catégories", agent_id, f"/ecoles/{uai}/comptes"),
            ("agent, export CSV", agent_id, f"/ecoles/{uai}/comptes/export"),
            ("agent, statistiques", agent_id, f"/ecoles/{uai}/statistiques"),
        ]
        for name, user_id, path in pages:
            client = app.test_client()
            with client.session_transaction() as cookie:
                cookie["_user_id"] = user_id
                cookie["_fresh"] = True
            walls, cpus = measure(client, path, runs)
            p50, p95 = statistics.median(walls), percentile(walls, 0.95)
            flag = ""
            if "toutes" in name or "doublons" in name:
                flag = "  OK" if p50 < TARGET_MS else f"  > {TARGET_MS} ms"
                ok = ok and p50 < TARGET_MS
            print(
                f"    {name:<30} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                f"max {max(walls):7.1f} ms  cpu p50 {statistics.median(cpus):6.1f} ms{flag}",
                flush=True,
            )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responsables", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "helpdesk-bench"
    )
    parser.add_argument("--rebuild", action="store_true", help="import the académie again")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    folder = academie(args.data_dir, args.responsables, args.seed)
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    ok = True
    for name in engines:
        url = database(name, args.data_dir, folder, args.rebuild)
        load = os.getloadavg()[0]
        print(f"{name} (charge de la machine : {load:.1f}) — objectif p50 < {TARGET_MS} ms")
        ok = run_engine(url, args.runs) and ok
    print("Objectif atteint." if ok else "Objectif manqué.")


if __name__ == "__main__":
    main()
