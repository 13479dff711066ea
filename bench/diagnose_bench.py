"""Time `diagnose` on a synthetic académie with realistic, noisy requests.

    .venv/bin/python bench/diagnose_bench.py --responsables 300000 --requests 3000
    .venv/bin/python bench/diagnose_bench.py --engine postgresql

The académie is generated once under --data-dir (shared with bench/import_bench.py) and
imported once into a database kept beside it (SQLite file, or the PostgreSQL database
`bench_diagnose`). Requests are built from random responsables and their children, then
disturbed as people write: missing accents, capitals, a swapped or missing letter, hyphens,
inverted or merged names, phone numbers in another writing or with two digits swapped, birth
dates in another writing; a share describes nobody. Prints median, p95 and p99 latency in ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "bench_diagnose"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")  # fmt: skip


def academie(data_dir: Path, responsables: int, seed: int) -> Path:
    from helpdesk.demo.generator import generate_academie

    folder = data_dir / f"academie-{responsables}-{seed}"
    if not (folder / ".complete").exists():
        print(f"Génération de {folder} …", flush=True)
        generate_academie(folder, responsables, seed=seed)
        (folder / ".complete").write_text("ok")
    return folder


def database(engine_name: str, data_dir: Path, folder: Path, rebuild: bool) -> str:
    from helpdesk.accounts.importer import import_snapshot
    from helpdesk.core.db import make_engine, make_sessionmaker
    from helpdesk.core.migrate import upgrade

    if engine_name == "sqlite":
        path = data_dir / f"diagnose-{folder.name}.db"
        url = f"sqlite:///{path}"
        ready = path.with_suffix(".ready")
        if ready.exists() and not rebuild:
            return url
        for leftover in (path, ready):
            leftover.unlink(missing_ok=True)
    else:
        from sqlalchemy import create_engine, text

        url = os.environ.get("BENCH_PG_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/"
                                               f"{PG_DATABASE}")  # fmt: skip
        admin = create_engine(os.environ.get("BENCH_PG_ADMIN_URL", PG_ADMIN_URL),
                              isolation_level="AUTOCOMMIT")  # fmt: skip
        with admin.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DATABASE}
            )
            if exists and not rebuild:
                admin.dispose()
                return url
            conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
        admin.dispose()
        ready = None
    print(f"Import de {folder.name} dans {engine_name} …", flush=True)
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    report = import_snapshot(make_sessionmaker(engine), folder)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"  {report.to_dict()['files']} en {time.perf_counter() - started:.0f} s", flush=True)
    if ready is not None:
        ready.write_text("ok")
    return url


# --------------------------------------------------------------------------- noisy requests


def slip(rng: random.Random, word: str) -> str:
    """One typing slip: two neighbours swapped, a letter dropped, doubled or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeinrstu") + word[i + 1 :]


def unaccent(text: str) -> str:
    from helpdesk.util.text import fold

    return fold(text)


def noisy_name(rng: random.Random, text: str | None) -> str | None:
    if not text:
        return text
    roll = rng.random()
    if roll < 0.3:
        text = unaccent(text)
    elif roll < 0.4:
        text = text.upper()
    elif roll < 0.55:
        text = slip(rng, text)
    if rng.random() < 0.2:
        text = text.replace("-", " ") if "-" in text else text
    return text


def noisy_phone(rng: random.Random, e164: str | None) -> str | None:
    if not e164 or not e164.startswith("+33") or rng.random() < 0.25:
        return None
    digits = "0" + e164[3:]
    roll = rng.random()
    if roll < 0.15:  # two digits swapped
        i = rng.randrange(2, 9)
        digits = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    pairs = [digits[i : i + 2] for i in range(0, 10, 2)]
    return rng.choice((" ".join(pairs), ".".join(pairs), digits, "+33 " + digits[1:],
                       "0033" + digits[1:]))  # fmt: skip


def noisy_date(rng: random.Random, born) -> str | None:
    if born is None or rng.random() < 0.15:
        return None
    if rng.random() < 0.05:  # day and month swapped
        if born.day <= 12:
            born = born.replace(day=born.month, month=born.day)
    return rng.choice(
        (
            born.strftime("%d/%m/%Y"),
            f"{born.day}/{born.month}/{born.year}",
            born.isoformat(),
            born.strftime("%d.%m.%y"),
            f"{born.day} {MONTHS[born.month - 1]} {born.year}",
        )
    )


def build_requests(session, rng: random.Random, count: int):
    """Noisy requests, each with the responsable it describes (``None``: someone unknown)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from helpdesk.accounts.models import PupilLink, Responsable
    from helpdesk.diagnostics.services import DiagnoseRequest

    every = sorted(session.scalars(select(Responsable.responsable_id)))
    ids = rng.sample(every, min(count, len(every)))
    people = session.scalars(
        select(Responsable)
        .where(Responsable.responsable_id.in_(ids))
        .options(selectinload(Responsable.links).selectinload(PupilLink.pupil))
    ).all()
    requests = []
    for n, person in enumerate(people):
        nom, prenom = noisy_name(rng, person.nom), noisy_name(rng, person.prenom)
        if rng.random() < 0.1:
            nom, prenom = prenom, nom
        elif rng.random() < 0.1 and prenom:
            nom, prenom = f"{prenom} {nom}", None
        expected = person.responsable_id
        if rng.random() < 0.1:  # somebody who is not in the base
            nom = rng.choice(("Zorglub", "Quintavalle", "Abdelkrim", "Oyelaran"))
            expected = None
        children = [
            {"prenom": noisy_name(rng, link.pupil.prenom),
             "date_naissance": noisy_date(rng, link.pupil.date_naissance)}
            for link in person.links[: rng.choice((0, 1, 1, 2))]
        ]  # fmt: skip
        requester = {
            "nom": nom,
            "prenom": prenom,
            "telephone": noisy_phone(rng, person.telephone_portable_e164),
            "email": person.email if rng.random() < 0.3 else None,
        }
        request = DiagnoseRequest.from_json({"id": n, "requester": requester, "enfants": children})
        requests.append((request, expected))
    rng.shuffle(requests)
    return requests


def ensure_indexes(engine) -> None:
    """Create the model's indexes a database built by an older migration may lack."""
    from helpdesk.accounts.models import Pupil, Responsable

    for table in (Pupil.__table__, Responsable.__table__):
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def run(url: str, count: int, seed: int) -> None:
    from helpdesk.core.db import make_engine, make_sessionmaker
    from helpdesk.diagnostics.services import diagnose

    engine = make_engine(url)
    ensure_indexes(engine)
    factory = make_sessionmaker(engine)
    rng = random.Random(seed)
    with factory() as session:
        requests = build_requests(session, rng, count)
    timings = []
    cpu = []
    right = wrong = missed = 0
    codes: dict[str, int] = {}
    with factory() as session:
        for request, _ in requests[:50]:  # warm-up: caches, prepared statements
            diagnose(session, request)
        for request, expected in requests:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = diagnose(session, request)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if expected in result.responsable_ids:
                right += 1
            elif result.responsable_ids and expected is not None:
                wrong += 1
            elif expected is not None:
                missed += 1
            for code in result.codes:
                codes[code] = codes.get(code, 0) + 1
            session.rollback()
    engine.dispose()
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(p * len(timings)))]

    print(
        f"{engine.dialect.name}: {len(timings)} diagnostics ; personne décrite retrouvée {right}, "
        f"non retrouvée {missed}, autre personne {wrong}"
    )
    print(
        f"  médiane {statistics.median(timings):.1f} ms, p95 {pct(0.95):.1f} ms, "
        f"p99 {pct(0.99):.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(
        f"  temps processeur du processus : médiane {statistics.median(cpu):.1f} ms "
        f"(la différence avec l'horloge est l'attente : base PostgreSQL, machine chargée)"
    )
    print("  codes : " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responsables", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "helpdesk-bench"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="re-import the database")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    folder = academie(args.data_dir, args.responsables, args.seed)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for name in engines:
        url = database(name, args.data_dir, folder, args.rebuild)
        run(url, args.requests, args.seed)


if __name__ == "__main__":
    main()
