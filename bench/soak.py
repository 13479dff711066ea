"""Soak the production set-up: gunicorn (gunicorn.conf.py) on PostgreSQL at 100,000 tickets,
driven by Locust (bench/locustfile.py) with agents, directors and parents at once.

Prints the requests, failures and p50/p95/p99 of each page, the workers' memory over the run
(sampled every 10 s), the load of the machine, and checks that every write the app
acknowledged is in the database. With --kill-at, one worker is killed (SIGKILL) that many
seconds into the run; gunicorn starts another in its place.

    .venv/bin/python bench/soak.py --tickets 100000 --users 50 --duration 600
    .venv/bin/python bench/soak.py --reuse --duration 600 --kill-at 300

Needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379. Files go to bench/out/soak/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "soak"
VENV_BIN = Path(sys.executable).parent
PG = "postgresql://postgres@127.0.0.1:5432"
SECRET = "soak-secret-key"
OPEN = ("nouveau", "en_cours", "en_attente_demandeur")
TERMS = ["code SMS", "mot de passe", "EduConnect", "livret", "bourse", "identifiant", "Martin"]


def sh(*args: str, env: dict | None = None, log: Path | None = None) -> None:
    with open(log or os.devnull, "a") as out:
        subprocess.run(args, check=True, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def app_env(database: str, folder: Path, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "HELPDESK_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}",
        "HELPDESK_INSTANCE_PATH": str(folder / "instance"),
        "HELPDESK_SECRET_KEY": SECRET,
        "HELPDESK_REDIS_URL": "redis://127.0.0.1:6379/0",
        "HELPDESK_RATELIMIT_PREFIX": f"soak-{uuid.uuid4().hex}",
        "HELPDESK_PROXY_HOPS": "1",
        "HELPDESK_WORKERS": str(workers),
        # Recycling workers would hide a leak: the run measures memory without it.
        "HELPDESK_MAX_REQUESTS": "0",
        "HELPDESK_SMTP_PORT": "9",
    }


def prepare(database: str, tickets: int, reuse: bool, env: dict, folder: Path) -> float:
    """Seconds spent building the demo académie (0 when an existing one is reused)."""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if exists and reuse:
            return 0.0
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    started = time.monotonic()
    sh(
        str(VENV_BIN / "helpdesk"),
        "demo",
        "--tickets",
        str(tickets),
        env=env,
        log=folder / "demo.log",
    )
    return time.monotonic() - started


def sample(database: str) -> dict:
    from helpdesk.util.tracking import make_token

    with psycopg.connect(f"{PG}/{database}") as conn:
        count = conn.execute("SELECT count(*) FROM ticket").fetchone()[0]
        refs = [
            r[0] for r in conn.execute("SELECT reference FROM ticket ORDER BY random() LIMIT 3000")
        ]
        open_rows = conn.execute(
            "SELECT id, reference FROM ticket WHERE status = ANY(%s) AND merged_into_id IS NULL "
            "ORDER BY random() LIMIT 1000",
            (list(OPEN),),
        ).fetchall()
        director = conn.execute(
            "SELECT t.reference, t.status FROM ticket t JOIN user_school us "
            'ON us.school_id = t.school_id JOIN "user" u ON u.id = us.user_id '
            "WHERE u.email = 'directeur@ac-demo.fr' ORDER BY random() LIMIT 1000"
        ).fetchall()
        schools = [r[0] for r in conn.execute("SELECT id FROM school")]
    return {
        "tickets": count,
        "password": "Demo-EduConnect-2026",
        "agent": "agent@ac-demo.fr",
        "director": "directeur@ac-demo.fr",
        "references": refs,
        "open_references": [ref for _, ref in open_rows],
        "tokens": [make_token(SECRET, tid, ref) for tid, ref in open_rows],
        "director_references": [ref for ref, _ in director],
        "director_open_references": [ref for ref, status in director if status in OPEN]
        or [ref for ref, _ in director],
        "school_ids": schools,
        "terms": TERMS,
    }


def start_gunicorn(env: dict, port: int, folder: Path) -> subprocess.Popen:
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        env={**env, "HELPDESK_BIND": f"127.0.0.1:{port}"},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn s'est arrêté : voir {folder / 'gunicorn.log'}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=10).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(1)
    proc.kill()
    sys.exit("gunicorn ne répond pas.")


def warm_up(base: str, data: dict, workers: int) -> None:
    """Each worker builds its search index and loads the categoriser on its first pages: a
    few rounds of the public pages, on new connections, before anything is measured."""
    token = data["tokens"][0]
    for _ in range(4 * workers):
        for path in ("/login", "/faq", "/contact", f"/suivi/{token}"):
            requests.get(base + path, headers={"Connection": "close"}, timeout=120)


def workers_of(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args) -> int:
    folder = OUT / time.strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "instance").mkdir()
    env = app_env(args.database, folder, args.workers)
    build = prepare(args.database, args.tickets, args.reuse, env, folder)
    data = sample(args.database)
    (folder / "data.json").write_text(json.dumps(data))
    port = free_port()
    gunicorn = start_gunicorn(env, port, folder)
    warm_up(f"http://127.0.0.1:{port}", data, args.workers)
    started_at = time.time()
    locust = subprocess.Popen(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{args.duration}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(folder / "locust"),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        env={
            **os.environ,
            "SOAK_DATA": str(folder / "data.json"),
            "SOAK_JOURNAL": str(folder / "journal.json"),
        },
        cwd=ROOT,
        stdout=open(folder / "locust.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    memory: list[tuple[float, dict[int, float]]] = []
    loads: list[float] = []
    killed = None
    while locust.poll() is None:
        elapsed = time.time() - started_at
        pids = workers_of(gunicorn.pid)
        memory.append((elapsed, {pid: rss_mib(pid) or 0.0 for pid in pids}))
        loads.append(os.getloadavg()[0])
        if args.kill_at and killed is None and elapsed >= args.kill_at and pids:
            victim = random.choice(pids)
            os.kill(victim, signal.SIGKILL)
            killed = (round(elapsed), victim)
        time.sleep(10)
    gunicorn.send_signal(signal.SIGTERM)
    gunicorn.wait(timeout=60)
    return report(args, folder, data, build, memory, loads, killed, started_at)


def report(args, folder, data, build, memory, loads, killed, started_at) -> int:
    rows = list(csv.DictReader(open(folder / "locust_stats.csv", encoding="utf-8")))
    print(f"\nSoak : {args.users} utilisateurs, {args.duration} s, {data['tickets']} demandes")
    if build:
        print(f"Démonstration construite en {build:.0f} s")
    print(
        f"Charge de la machine (load 1 min) : moyenne {sum(loads) / len(loads):.1f}, "
        f"max {max(loads):.1f} ; {os.cpu_count()} cœurs"
    )
    print(f"\n{'page':32} {'requêtes':>9} {'échecs':>7} {'p50':>6} {'p95':>6} {'p99':>6} ms")
    for row in rows:
        print(
            f"{row['Name'][:32]:32} {row['Request Count']:>9} {row['Failure Count']:>7} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    failures_file = folder / "locust_failures.csv"
    if failures_file.exists():
        for row in csv.DictReader(open(failures_file, encoding="utf-8")):
            print(f"  échec : {row['Method']} {row['Name']} x{row['Occurrences']} : {row['Error']}")
    print("\nMémoire des workers (RSS, MiB), toutes les 10 s :")
    seen: dict[int, list[float]] = {}
    for _, sample_ in memory:
        for pid, rss in sample_.items():
            seen.setdefault(pid, []).append(rss)
    for pid, values in seen.items():
        after_warmup = values[min(6, len(values) - 1) :]
        print(
            f"  worker {pid}: début {values[0]:.0f}, après 1 min {after_warmup[0]:.0f}, "
            f"fin {values[-1]:.0f}, max {max(values):.0f} ({len(values)} mesures)"
        )
    if killed:
        print(f"\nWorker {killed[1]} tué (SIGKILL) à {killed[0]} s ; gunicorn l'a remplacé.")
    return check_journal(args.database, folder, started_at)


def check_journal(database: str, folder: Path, started_at: float) -> int:
    journal = json.loads((folder / "journal.json").read_text())
    with psycopg.connect(f"{PG}/{database}") as conn:
        bodies = [
            row[0]
            for row in conn.execute(
                "SELECT body FROM message "
                "WHERE created_at >= to_timestamp(%s) - interval '1 minute'",
                (started_at,),
            )
        ]
    text = "\n".join(bodies)
    lost = [entry for entry in journal if entry["marker"] not in text]
    kinds = {kind: sum(1 for e in journal if e["kind"] == kind) for kind in ("ticket", "message")}
    print(
        f"\nÉcritures acquittées : {len(journal)} ({kinds['ticket']} demandes, "
        f"{kinds['message']} messages) ; perdues : {len(lost)}"
    )
    for entry in lost[:10]:
        print(f"  perdue : {entry}")
    print(f"\nFichiers : {folder}")
    return 1 if lost else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_soak")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="garder une base déjà construite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=600, help="secondes")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kill-at", type=int, default=0, help="tuer un worker à N secondes")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
